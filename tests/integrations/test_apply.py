"""Apply to current integration: the template's page pushes its XML to the integration."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from integrations.applying import apply_template
from integrations.models import Integration
from templates_app import library


def template_in_use(template_xml):
    """A template at 1.1.0 whose integration still runs 1.0.0."""
    template = library.save_template(template_xml("acme", version="1.0.0"))
    integration = Integration.objects.create(template=template, applied_xml=template.xml)
    return library.save_template(template_xml("acme", version="1.1.0"), instance=template), integration


def test_the_template_page_offers_apply_when_an_integration_uses_it(client_logged_in, template_xml):
    template, _ = template_in_use(template_xml)
    content = client_logged_in.get(reverse("templates_app:detail", args=[template.pk])).content.decode()
    assert "Apply to current integration" in content and "Runs an older version" in content


def test_the_template_page_offers_no_apply_without_an_integration(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme"))
    content = client_logged_in.get(reverse("templates_app:detail", args=[template.pk])).content.decode()
    assert "Apply to current integration" not in content


def test_apply_asks_for_confirmation_first(client_logged_in, template_xml):
    template, integration = template_in_use(template_xml)
    response = client_logged_in.get(reverse("integrations:apply", args=[template.pk]))
    assert b"Confirm" in response.content
    integration.refresh_from_db()
    assert integration.applied_xml != template.xml


def test_confirming_apply_updates_the_integrations_snapshot(client_logged_in, template_xml):
    template, integration = template_in_use(template_xml)
    client_logged_in.post(reverse("integrations:apply", args=[template.pk]))
    integration.refresh_from_db()
    assert integration.applied_xml == template.xml and integration.is_current


@pytest.mark.browser
def test_applying_in_the_browser_after_confirming(page, template_xml):
    template, integration = template_in_use(template_xml)
    page.goto(f"/integrations/crm/templates/{template.pk}/")
    page.get_by_role("link", name="Apply to current integration").click()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".message.success")).to_contain_text("Applied “Acme CRM” to 1 integration")
    expect(page.locator("#integrations")).to_contain_text("Up to date")
    integration.refresh_from_db()
    assert integration.applied_xml == template.xml


def test_apply_template_updates_the_applied_snapshot(db, template_xml):
    template, integration = template_in_use(template_xml)
    assert apply_template(template) == 1
    integration.refresh_from_db()
    assert integration.applied_xml == template.xml and integration.applied_at is not None



def test_once_applied_the_template_page_offers_no_apply(client_logged_in, template_xml):
    template, _ = template_in_use(template_xml)
    client_logged_in.post(reverse("integrations:apply", args=[template.pk]))
    content = client_logged_in.get(reverse("templates_app:detail", args=[template.pk])).content.decode()
    assert "Up to date" in content and "Apply to current integration" not in content
