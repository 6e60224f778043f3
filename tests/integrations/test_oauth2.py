"""OAuth2 end to end: a real authorization server (oidc-provider) with its login and consent
pages, the portal in Chromium, and the local CRM accepting the server's tokens."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from django.db import connection
from playwright.sync_api import expect

from integrations import connecting
from integrations.models import Integration
from tests.integrations.crm_server import CrmServer, contact
from tests.integrations.crm_templates import crm_template
from tests.servers import oauth_provider

CLIENT_ID, CLIENT_SECRET = "pbxcrm-portal", "portal-secret-4f9a2c"


def oauth_template(provider: str) -> str:
    xml = crm_template("oauth2", key="oauth_crm")
    xml = xml.replace('Value="{{.crm_url}}/oauth/authorize?client_id={{.client_id}}"', f'Value="{provider}/auth"')
    xml = xml.replace('Name="TokenEndPoint" Value="{{.crm_url}}/oauth/token"', f'Name="TokenEndPoint" Value="{provider}/token"')
    return xml.replace('Value="contacts.read,calls.write"', 'Value="contacts.read"')


@pytest.fixture
def provider(live_server) -> Iterator[str]:
    with oauth_provider(f"{live_server.url}/integrations/crm/oauth/callback/", CLIENT_ID, CLIENT_SECRET) as url:
        yield url


@pytest.fixture
def crm(provider) -> Iterator[CrmServer]:
    with CrmServer() as server:
        server.state.contacts = [contact(3, "+442071838750")]
        server.state.introspect = (f"{provider}/token/introspection", CLIENT_ID, CLIENT_SECRET)
        yield server


def authorize_in_the_browser(page, template, crm) -> None:
    page.goto(f"/integrations/crm/{template.pk}/")
    expect(page.locator("#redirect-uri")).to_contain_text("/integrations/crm/oauth/callback/")
    page.locator('[name="client_id"]').fill(CLIENT_ID)
    page.locator('[name="client_secret"]').fill(CLIENT_SECRET)
    page.locator('[name="crm_url"]').fill(crm.url)
    page.get_by_role("button", name="Save").click()
    # oidc-provider's own pages: sign in, then consent.
    page.locator('input[name="login"]').fill("agent@example.com")
    page.locator('input[name="password"]').fill("any-password")
    page.locator('button[type="submit"]').click()
    page.locator('button[type="submit"]', has_text="Continue").click()


@pytest.mark.browser
def test_authorize_consent_and_connect(page, provider, crm):
    template = connecting.install_template(oauth_template(provider))
    authorize_in_the_browser(page, template, crm)
    expect(page.locator(".message.success")).to_contain_text("Authorized: connected to “Local CRM”")
    expect(page.locator("[data-status]")).to_have_text("Connected")
    integration = Integration.objects.get()
    credentials = integration.credentials
    assert credentials.access_token and credentials.refresh_token
    with connection.cursor() as cursor:
        cursor.execute("SELECT credentials_sealed FROM integrations_integration")
        assert credentials.access_token not in repr(cursor.fetchall())
    report = connecting.try_lookup(integration, "+442071838750")
    assert [c.fields["ContactsId"] for c in report.contacts] == ["c3"]


@pytest.mark.browser
def test_a_token_is_refreshed_and_a_revoked_grant_shows_as_error(page, provider, crm):
    template = connecting.install_template(oauth_template(provider))
    authorize_in_the_browser(page, template, crm)
    expect(page.locator("[data-status]")).to_have_text("Connected")
    integration = Integration.objects.get()
    first = integration.credentials
    first.expires_at = 0  # as if it had expired
    integration.credentials = first
    integration.save()
    assert connecting.refresh_if_due(integration)
    integration.refresh_from_db()
    refreshed = integration.credentials
    assert refreshed.access_token != first.access_token
    for token in (refreshed.access_token, refreshed.refresh_token):
        httpx.post(f"{provider}/token/revocation", data={"token": token, "client_id": CLIENT_ID,
                                                          "client_secret": CLIENT_SECRET}).raise_for_status()
    report = connecting.try_lookup(integration, "+442071838750")
    assert report.error
    page.goto(f"/integrations/crm/{template.pk}/")
    expect(page.locator("[data-status]")).to_have_text("Error")
    expect(page.locator("#status-detail")).to_contain_text("refresh")


@pytest.mark.browser
def test_the_crms_refusal_is_shown_in_words(page, provider, crm):
    template = connecting.install_template(oauth_template(provider))
    page.goto(f"/integrations/crm/{template.pk}/")
    page.locator('[name="client_id"]').fill(CLIENT_ID)
    page.locator('[name="client_secret"]').fill(CLIENT_SECRET)
    page.locator('[name="crm_url"]').fill(crm.url)
    page.get_by_role("button", name="Save").click()
    page.locator('input[name="login"]').fill("agent@example.com")
    page.locator('input[name="password"]').fill("x")
    page.locator('button[type="submit"]').click()
    page.get_by_role("link", name="Cancel").or_(page.locator("a", has_text="abort")).first.click()
    expect(page.locator("#oauth-reason")).to_contain_text("access_denied")
