"""Integrations › CRM and the Custom Templates list."""

from django.urls import reverse

from integrations.models import Integration
from templates_app import library


def test_the_crm_list_shows_each_custom_template(client_logged_in, template_xml):
    library.save_template(template_xml("acme", "Acme CRM"))
    response = client_logged_in.get(reverse("integrations:crm"))
    assert b"Acme CRM" in response.content


def test_the_crm_list_links_to_template_management(client_logged_in):
    response = client_logged_in.get(reverse("integrations:crm"))
    assert reverse("templates_app:list").encode() in response.content


def test_the_template_list_shows_name_remark_version_and_provider(client_logged_in, template_xml):
    library.save_template(template_xml("acme", "Acme CRM", "3.2.1", remark="Sales team"))
    content = client_logged_in.get(reverse("templates_app:list")).content.decode()
    assert all(text in content for text in ("Acme CRM", "Sales team", "3.2.1", "Helpdesk"))


def test_the_template_list_offers_add_and_upload_below_the_limit(client_logged_in):
    content = client_logged_in.get(reverse("templates_app:list")).content.decode()
    assert f'href="{reverse("templates_app:add")}"' in content
    assert f'href="{reverse("templates_app:upload")}"' in content


def test_the_template_list_disables_add_and_upload_at_the_limit(client_logged_in, template_xml):
    for n in range(library.MAX_TEMPLATES):
        library.save_template(template_xml(f"crm{n}"))
    content = client_logged_in.get(reverse("templates_app:list")).content.decode()
    assert f'href="{reverse("templates_app:upload")}"' not in content
    assert "the most the PBX supports" in content


def test_a_template_in_use_is_marked_in_the_list(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme"))
    Integration.objects.create(template=template, applied_xml=template.xml)
    assert b"In use" in client_logged_in.get(reverse("templates_app:list")).content
