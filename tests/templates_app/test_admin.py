"""Django's admin cannot change a template behind the library's back."""

from __future__ import annotations

from django.urls import reverse

from templates_app import library
from templates_app.models import CrmTemplate


def test_the_admin_shows_a_template(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme"))
    response = client_logged_in.get(reverse("admin:templates_app_crmtemplate_change", args=[template.pk]))
    assert response.status_code == 200 and "acme" in response.content.decode()


def test_the_admin_refuses_to_save_a_template(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme"))
    response = client_logged_in.post(
        reverse("admin:templates_app_crmtemplate_change", args=[template.pk]),
        {"name": "Hacked", "key": "acme", "xml": "<not a template/>", "revision": 1},
    )
    template.refresh_from_db()
    assert response.status_code == 403 and template.name == "Acme CRM" and not template.versions.exists()


def test_the_admin_refuses_to_add_an_eleventh_template(client_logged_in):
    response = client_logged_in.post(reverse("admin:templates_app_crmtemplate_add"), {"name": "x", "xml": "<x/>"})
    assert response.status_code == 403 and not CrmTemplate.objects.exists()


def test_the_admin_refuses_to_delete_a_template(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme"))
    response = client_logged_in.post(
        reverse("admin:templates_app_crmtemplate_delete", args=[template.pk]), {"post": "yes"}
    )
    assert response.status_code == 403 and CrmTemplate.objects.filter(pk=template.pk).exists()
