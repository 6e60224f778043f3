"""A save made from an older revision of a template is refused, not silently applied."""

from __future__ import annotations

from django.urls import reverse

from templates_app import library
from templates_app.editor import mapping
from templates_app.xmlmodel import parse_template
from tests.templates_app.editor.conftest import initial_to_post


def xml_url(template):
    return reverse("templates_app:xml", args=[template.pk])


def opened_xml_page(client, template) -> int:
    """The revision the XML page's form carries when the admin opens it."""
    return client.get(xml_url(template)).context["form"]["base_revision"].value()


def test_saving_the_xml_page_from_the_current_revision_saves(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme", version="1.0.0"))
    revision = opened_xml_page(client_logged_in, template)
    response = client_logged_in.post(
        xml_url(template), {"xml": template_xml("acme", version="1.0.1"), "base_revision": revision}
    )
    template.refresh_from_db()
    assert response.status_code == 302 and template.version == "1.0.1" and template.revision == revision + 1


def test_saving_the_xml_page_over_a_newer_save_is_refused(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme", version="1.0.0"))
    mine = opened_xml_page(client_logged_in, template)
    library.save_template(template_xml("acme", version="2.0.0"), instance=template)  # the other tab
    response = client_logged_in.post(
        xml_url(template), {"xml": template_xml("acme", version="1.0.1"), "base_revision": mine}
    )
    template.refresh_from_db()
    assert response.status_code == 409 and template.version == "2.0.0"
    assert "was changed by another save after you opened it" in response.content.decode()


def test_the_refusal_links_to_the_diff_from_what_the_admin_opened(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme", version="1.0.0"))
    opened = template.xml
    mine = opened_xml_page(client_logged_in, template)
    library.save_template(template_xml("acme", version="2.0.0"), instance=template)
    response = client_logged_in.post(xml_url(template), {"xml": opened, "base_revision": mine})
    version = template.versions.get(revision=mine)
    assert version.xml == opened
    assert reverse("templates_app:version", args=[template.pk, version.pk]) in response.content.decode()


def test_the_refused_text_stays_in_the_editor(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme", version="1.0.0"))
    mine = opened_xml_page(client_logged_in, template)
    library.save_template(template_xml("acme", version="2.0.0"), instance=template)
    response = client_logged_in.post(
        xml_url(template), {"xml": template_xml("acme", version="9.9.9"), "base_revision": mine}
    )
    assert 'Version=&quot;9.9.9&quot;' in response.content.decode()


def test_the_edit_form_over_a_newer_save_is_refused(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme", version="1.0.0"))
    page = client_logged_in.get(reverse("templates_app:edit", args=[template.pk]))
    mine = page.context["editor"].form["base_revision"].value()
    library.save_template(template_xml("acme", version="2.0.0"), instance=template)
    post = initial_to_post(mapping.to_initial(parse_template(template_xml("acme", version="1.0.0"))))
    post.update(remark="mine", **{"base_revision": mine})
    response = client_logged_in.post(reverse("templates_app:edit", args=[template.pk]), post)
    template.refresh_from_db()
    assert response.status_code == 409 and template.version == "2.0.0" and template.remark != "mine"


def test_the_edit_form_from_the_current_revision_saves(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme", version="1.0.0"))
    page = client_logged_in.get(reverse("templates_app:edit", args=[template.pk]))
    post = initial_to_post(mapping.to_initial(parse_template(template.xml)))
    post.update(remark="mine", base_revision=page.context["editor"].form["base_revision"].value())
    response = client_logged_in.post(reverse("templates_app:edit", args=[template.pk]), post)
    template.refresh_from_db()
    assert response.status_code == 302 and template.remark == "mine"


def test_a_save_that_changes_the_xml_keeps_the_old_revision_with_its_version(db, template_xml):
    template = library.save_template(template_xml("acme", version="1.0.0"))
    library.save_template(template_xml("acme", version="1.0.1"), instance=template)
    template.refresh_from_db()
    assert template.revision == 2 and list(template.versions.values_list("revision", flat=True)) == [1]
