"""Restoring an earlier version in a real Chromium."""

import pytest
from playwright.sync_api import expect

from templates_app import library

pytestmark = pytest.mark.browser


def test_restoring_a_version_after_reading_its_diff(page, template_xml):
    template = library.save_template(template_xml("acme", version="1.0.0"))
    library.save_template(template_xml("acme", version="2.0.0"), instance=template)
    page.goto(f"/integrations/crm/templates/{template.pk}/")
    page.get_by_role("link", name="Compare & restore").click()
    expect(page.locator("#diff tr.removed")).to_contain_text('Version="1.0.0"')
    expect(page.locator("#diff tr.added")).to_contain_text('Version="2.0.0"')
    page.get_by_role("button", name="Restore this version").click()
    expect(page.locator(".message.success")).to_contain_text("Restored")
    template.refresh_from_db()
    assert template.version == "1.0.0"
