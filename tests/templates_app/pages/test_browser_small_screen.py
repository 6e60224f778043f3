"""At 420 px wide (a phone) the portal is usable: the menu folds, tables scroll in place."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from templates_app import library

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 420, "height": 860})
    return page


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("path", ["/integrations/crm/templates/", "/integrations/crm/templates/add/",
                                  "/integrations/crm/templates/upload/", "/integrations/crm/"])
def test_no_page_is_wider_than_the_phone(phone, template_xml, path):
    library.save_template(template_xml("a_rather_long_key_for_a_small_screen", name="A Rather Long CRM Name"))
    phone.goto(path)
    assert page_width(phone) <= 420


def test_the_sidebar_folds_behind_the_menu_button(phone):
    phone.goto("/integrations/crm/templates/")
    nav = phone.get_by_role("navigation", name="Main")
    expect(nav).to_be_hidden()
    phone.get_by_role("button", name="Menu").click()
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="CRM", exact=True).click()
    expect(phone.get_by_role("heading", name="CRM", exact=True)).to_be_visible()


def test_the_template_table_scrolls_inside_its_card(phone, template_xml):
    library.save_template(template_xml("acme", name="Acme CRM"))
    phone.goto("/integrations/crm/templates/")
    box = phone.locator(".table-scroll").first
    assert box.evaluate("el => el.scrollWidth > el.clientWidth") and page_width(phone) <= 420
    expect(phone.get_by_role("link", name="Acme CRM", exact=True)).to_be_visible()


def test_on_a_wide_screen_the_menu_button_is_not_shown(page):
    page.goto("/integrations/crm/templates/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
