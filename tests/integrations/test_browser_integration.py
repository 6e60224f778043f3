"""Connecting a CRM and trying a lookup in a real Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from integrations import connecting
from tests.integrations.crm_server import PASSWORD, CrmServer, contact
from tests.integrations.crm_templates import crm_template, settings_for

pytestmark = pytest.mark.browser


@pytest.fixture
def crm() -> Iterator[CrmServer]:
    with CrmServer() as server:
        server.state.contacts = [contact(3, "+442071838750")]
        yield server


@pytest.mark.parametrize("auth", ["none", "basic", "bearertoken"])
def test_connecting_from_the_crm_list_and_trying_a_lookup(page, crm, auth):
    connecting.install_template(crm_template(auth))
    page.goto("/integrations/crm/")
    page.get_by_role("link", name="Local CRM").click()
    for name, value in settings_for(auth, crm.url).items():
        page.locator(f'[name="{name}"]').fill(value)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".message.success")).to_contain_text("Connected to “Local CRM”")
    expect(page.locator("[data-status]")).to_have_text("Connected")
    page.get_by_label("Phone number").fill("+442071838750")
    page.get_by_role("button", name="Look up").click()
    expect(page.locator("#lookup-contacts")).to_contain_text("First3 Last3")
    expect(page.locator("#lookup-exchanges")).to_contain_text("HTTP 200")
    assert PASSWORD not in page.content()
