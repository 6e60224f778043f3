"""Signing in and out in a real Chromium."""

import pytest
from playwright.sync_api import expect

from tests.conftest import ADMIN_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def anonymous_page(browser, live_server, transactional_db, admin_user):
    context = browser.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_signing_in_through_the_form_then_out(anonymous_page):
    page = anonymous_page
    page.goto("/integrations/crm/templates/")
    expect(page.get_by_role("heading")).to_have_text("Sign in to the PBX portal")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Template Management")).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
