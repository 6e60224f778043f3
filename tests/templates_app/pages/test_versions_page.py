"""Version history: each save keeps the previous XML, shown as a diff, restorable."""

from django.urls import reverse

from templates_app import library


def saved_twice(template_xml):
    template = library.save_template(template_xml("acme", version="1.0.0"))
    return library.save_template(template_xml("acme", version="2.0.0"), instance=template)


def test_the_template_page_lists_its_versions(client_logged_in, template_xml):
    template = saved_twice(template_xml)
    content = client_logged_in.get(reverse("templates_app:detail", args=[template.pk])).content.decode()
    assert "Version 1.0.0 before a save" in content


def test_a_version_page_shows_the_diff_to_the_current_xml(client_logged_in, template_xml):
    template = saved_twice(template_xml)
    version = template.versions.get()
    content = client_logged_in.get(
        reverse("templates_app:version", args=[template.pk, version.pk])
    ).content.decode()
    assert 'class="removed"' in content and "Version=&quot;1.0.0&quot;" in content
    assert 'class="added"' in content and "Version=&quot;2.0.0&quot;" in content


def test_posting_on_a_version_page_restores_it(client_logged_in, template_xml):
    template = saved_twice(template_xml)
    version = template.versions.get()
    client_logged_in.post(reverse("templates_app:version", args=[template.pk, version.pk]))
    template.refresh_from_db()
    assert template.version == "1.0.0"


def test_viewing_a_version_restores_nothing(client_logged_in, template_xml):
    template = saved_twice(template_xml)
    version = template.versions.get()
    client_logged_in.get(reverse("templates_app:version", args=[template.pk, version.pk]))
    template.refresh_from_db()
    assert template.version == "2.0.0"
