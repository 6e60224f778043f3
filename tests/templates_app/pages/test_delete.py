"""Deleting templates always goes through a confirmation page."""

from django.urls import reverse

from integrations.models import Integration
from templates_app import library
from templates_app.models import CrmTemplate

URL = reverse("templates_app:delete")


def test_delete_first_asks_for_confirmation_and_deletes_nothing(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme", "Acme CRM"))
    response = client_logged_in.get(URL, {"ids": [template.pk]})
    assert b"Delete 1 template?" in response.content and b"Acme CRM" in response.content
    assert CrmTemplate.objects.count() == 1


def test_confirming_deletes_the_selected_templates(client_logged_in, template_xml):
    a, b, c = (library.save_template(template_xml(k)) for k in ("a", "b", "c"))
    response = client_logged_in.post(URL, {"ids": [a.pk, c.pk]})
    assert response.status_code == 302
    assert list(CrmTemplate.objects.all()) == [b]


def test_a_template_in_use_is_not_deleted_and_the_reason_is_shown(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme", "Acme CRM"))
    Integration.objects.create(template=template, applied_xml=template.xml)
    response = client_logged_in.post(URL, {"ids": [template.pk]}, follow=True)
    assert "In use by an integration, so not deleted: Acme CRM" in response.content.decode()
    assert CrmTemplate.objects.count() == 1


def test_deleting_by_get_never_deletes(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme"))
    client_logged_in.get(URL, {"ids": [template.pk], "confirm": "yes"})
    assert CrmTemplate.objects.count() == 1


def test_the_confirmation_says_up_front_that_a_template_is_in_use_and_offers_no_ok(client_logged_in, template_xml):
    used = library.save_template(template_xml("acme", "Acme CRM"))
    Integration.objects.create(template=used, applied_xml=used.xml)
    free = library.save_template(template_xml("free", "Free CRM"))
    content = client_logged_in.get(URL, {"ids": [used.pk, free.pk]}).content.decode()
    assert "An integration runs with “Acme CRM”, so nothing can be deleted." in content
    assert ">OK</button>" not in content
