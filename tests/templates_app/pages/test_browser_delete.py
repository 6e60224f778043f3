"""Deleting templates through the confirmation page in a real Chromium."""

import pytest
from playwright.sync_api import expect

from templates_app import library
from templates_app.models import CrmTemplate

pytestmark = pytest.mark.browser


def test_deleting_one_template_from_its_row_after_confirming(page, template_xml):
    library.save_template(template_xml("alpha", "Alpha CRM"))
    library.save_template(template_xml("beta", "Beta CRM"))
    page.goto("/integrations/crm/templates/")
    page.get_by_role("link", name="Delete Alpha CRM").click()
    expect(page.get_by_role("heading")).to_have_text("Delete 1 template?")
    page.get_by_role("button", name="OK").click()
    expect(page.locator("#templates")).not_to_contain_text("Alpha CRM")
    assert list(CrmTemplate.objects.values_list("key", flat=True)) == ["beta"]


def test_deleting_several_selected_templates_after_confirming(page, template_xml):
    for key in ("alpha", "beta", "gamma"):
        library.save_template(template_xml(key, f"{key.title()} CRM"))
    page.goto("/integrations/crm/templates/")
    page.get_by_label("Select Alpha CRM").check()
    page.get_by_label("Select Gamma CRM").check()
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading")).to_have_text("Delete 2 templates?")
    page.get_by_role("button", name="OK").click()
    expect(page.locator(".message.success")).to_have_text("Deleted 2 templates.")
    assert list(CrmTemplate.objects.values_list("key", flat=True)) == ["beta"]


def test_cancelling_the_confirmation_deletes_nothing(page, template_xml):
    library.save_template(template_xml("alpha", "Alpha CRM"))
    page.goto("/integrations/crm/templates/")
    page.get_by_role("link", name="Delete Alpha CRM").click()
    page.get_by_role("link", name="Cancel").click()
    expect(page.locator("#templates")).to_contain_text("Alpha CRM")
    assert CrmTemplate.objects.count() == 1
