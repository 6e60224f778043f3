"""Editing a template's XML as text in a real Chromium."""

import pytest
from playwright.sync_api import expect

from templates_app import library

pytestmark = pytest.mark.browser


def test_saving_xml_with_a_syntax_error_lists_the_line_and_highlights_it(
    page, template_xml, malformed_template_path
):
    template = library.save_template(template_xml("acme"))
    page.goto(f"/integrations/crm/templates/{template.pk}/xml/")
    page.locator("#id_xml").fill(malformed_template_path.read_text())
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#problems .problem").first).to_contain_text("Line 10, column")
    expect(page.locator("#L10")).to_have_class("error-line")
    template.refresh_from_db()
    assert template.xml == template_xml("acme")


def test_typing_a_syntax_error_is_reported_live_before_saving(page, template_xml):
    template = library.save_template(template_xml("acme"))
    page.goto(f"/integrations/crm/templates/{template.pk}/xml/")
    area = page.locator("#id_xml")
    area.fill(area.input_value().replace("<Parameters />", "<Parameters>", 1))
    expect(page.locator("#problems .problem").first).to_contain_text("Line ")
    expect(page.locator(".gutter li.error-line")).to_have_count(1)


def test_saving_valid_xml_keeps_the_old_text_as_a_version(page, template_xml):
    template = library.save_template(template_xml("acme", version="1.0.0"))
    page.goto(f"/integrations/crm/templates/{template.pk}/xml/")
    page.locator("#id_xml").fill(template_xml("acme", version="1.0.1"))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".message.success")).to_contain_text("Saved the XML")
    template.refresh_from_db()
    assert template.version == "1.0.1" and template.versions.get().xml == template_xml(
        "acme", version="1.0.0"
    )
