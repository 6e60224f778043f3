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


def test_associating_users_and_setting_features_in_the_browser(page, crm):
    from integrations.models import Association, Features
    from integrations.users import sync_users
    from pbxcrm.pbx.models import Extension

    crm.state.users = [{"id": "u1", "first_name": "Ann", "last_name": "Lee", "email": "ann@example.com"},
                       {"id": "u2", "first_name": "Bob", "last_name": "Roe", "email": "bob@example.com"}]
    template = connecting.install_template(crm_template("basic"))
    integration = connecting.connect(connecting.activate(template, settings_for("basic", crm.url)))
    sync_users(integration)
    Extension.objects.create(number="1001", email="ANN@example.com")
    Extension.objects.create(number="1002", first_name="Desk")
    page.goto(f"/integrations/crm/{template.pk}/")
    page.get_by_role("link", name="Associate Automatically").click()
    expect(page.locator("#matches")).to_contain_text("1001")
    page.get_by_role("button", name="OK").click()
    expect(page.locator('[data-crm-user="u1"]')).to_contain_text("1001")
    page.get_by_role("link", name="Extensions of bob@example.com").click()
    page.get_by_label("1002 Desk").check()
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator('[data-crm-user="u2"]')).to_contain_text("1002")
    page.get_by_label("Synchronize Contacts Automatically").check()
    page.locator("#features").get_by_label("Contacts", exact=True).check()
    page.get_by_label("…or create a phonebook").fill("CRM")
    page.get_by_label("Call Journal", exact=True).check()
    page.get_by_role("button", name="Save features").click()
    expect(page.locator(".message.success")).to_contain_text("Saved the integration's features.")
    assert Association.objects.count() == 2
    assert Features.objects.get().phonebook.name == "CRM"
