"""Connecting an integration: settings stored encrypted, the outcome recorded, one active at a time."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from integrations import connecting
from integrations.models import Integration
from tests.integrations.crm_server import CLIENT_SECRET, PASSWORD, CrmServer, contact
from tests.integrations.crm_templates import crm_template, settings_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def crm() -> Iterator[CrmServer]:
    with CrmServer() as server:
        server.state.contacts = [contact(3, "+442071838750")]
        yield server


def integration_for(crm: CrmServer, auth: str = "basic", **changes: str) -> Integration:
    template = connecting.install_template(crm_template(auth, key=f"local_{auth}"))
    return connecting.activate(template, {**settings_for(auth, crm.url), **changes})


def raw_columns() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT settings_sealed, credentials_sealed FROM integrations_integration")
        return repr(cursor.fetchall())


def test_connecting_with_good_credentials_is_connected(crm):
    integration = connecting.connect(integration_for(crm))
    assert integration.status == Integration.Status.CONNECTED and integration.last_success is not None


def test_connecting_with_a_wrong_password_is_an_error_with_the_reason(crm):
    integration = connecting.connect(integration_for(crm, password="wrong"))
    assert integration.status == Integration.Status.ERROR and "HTTP 401" in integration.status_detail
    assert "wrong" not in integration.status_detail


def test_settings_are_encrypted_at_rest(crm):
    integration_for(crm)
    assert PASSWORD not in raw_columns() and crm.url not in raw_columns()


def test_bearer_tokens_are_encrypted_at_rest(crm):
    integration = connecting.connect(integration_for(crm, "bearertoken"))
    token = integration.credentials.access_token
    assert token and token not in raw_columns() and CLIENT_SECRET not in raw_columns()


def test_a_blank_password_keeps_the_stored_one(crm):
    integration = integration_for(crm)
    integration = connecting.activate(integration.template, {**settings_for("basic", crm.url), "password": ""})
    assert integration.settings["password"] == PASSWORD


def test_one_integration_is_active_at_a_time(crm):
    first = integration_for(crm, "basic")
    second = integration_for(crm, "none")
    first.refresh_from_db()
    assert (first.active, second.active) == (False, True)


def test_try_lookup_reports_each_exchange_redacted_and_the_contacts(crm):
    report = connecting.try_lookup(integration_for(crm), "+442071838750")
    assert [c.fields["ContactsId"] for c in report.contacts] == ["c3"] and not report.error
    assert report.exchanges[0].status == 200 and PASSWORD not in repr(report.exchanges)


def test_disconnect_forgets_the_token(crm):
    integration = connecting.disconnect(connecting.connect(integration_for(crm, "bearertoken")))
    assert integration.status == Integration.Status.DISCONNECTED and not integration.credentials.access_token


def test_connect_crm_installs_activates_and_connects(crm, tmp_path):
    path = tmp_path / "crm.xml"
    path.write_text(crm_template("basic", key="scripted"))
    out = io.StringIO()
    call_command("connect_crm", str(path), *[f"--set={k}={v}" for k, v in settings_for("basic", crm.url).items()], stdout=out)
    assert out.getvalue().strip() == "Local CRM: Connected"
    assert Integration.objects.get(active=True).template.key == "scripted"


def test_connect_crm_fails_with_the_reason(crm, tmp_path):
    path = tmp_path / "crm.xml"
    path.write_text(crm_template("basic", key="scripted"))
    with pytest.raises(CommandError, match="Local CRM: Error — request 'Contacts'|HTTP 401"):
        call_command("connect_crm", str(path), f"--set=crm_url={crm.url}", "--set=username=x", "--set=password=y",
                     stdout=io.StringIO())
