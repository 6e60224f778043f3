"""Beat refreshes bearer tokens when due; a refusal shows as the integration's Error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings

from integrations import connecting
from integrations.auth import Credentials
from integrations.models import Integration
from integrations.tasks import refresh_tokens
from tests.integrations.crm_server import CrmServer
from tests.integrations.crm_templates import crm_template, settings_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def crm() -> Iterator[CrmServer]:
    with CrmServer() as server:
        yield server


@pytest.fixture
def integration(crm) -> Integration:
    template = connecting.install_template(crm_template("bearertoken"))
    return connecting.connect(connecting.activate(template, settings_for("bearertoken", crm.url)))


def age_token(integration: Integration, minutes: float) -> None:
    credentials = integration.credentials
    credentials.obtained_at -= minutes * 60
    integration.credentials = credentials
    integration.save()


def test_beat_runs_the_refresh_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-crm-tokens"]
    assert (entry["task"], entry["schedule"]) == ("integrations.tasks.refresh_tokens", 60.0)


def test_a_fresh_token_is_left_alone(integration, crm):
    assert refresh_tokens() == 0 and crm.state.token_count == 1


def test_a_token_older_than_25_minutes_is_refreshed(integration, crm):
    old = integration.credentials.access_token
    age_token(integration, 25.5)
    assert refresh_tokens() == 1
    integration.refresh_from_db()
    assert integration.credentials.access_token not in ("", old) and crm.state.token_count == 2


def test_a_refused_refresh_shows_as_error_with_the_reason(integration, crm):
    age_token(integration, 30)
    integration.settings = {**integration.settings, "client_secret": "revoked"}
    integration.save()
    assert refresh_tokens() == 0
    integration.refresh_from_db()
    assert integration.status == Integration.Status.ERROR and "401" in integration.status_detail


def test_an_integration_without_a_token_is_not_refreshed(crm):
    template = connecting.install_template(crm_template("bearertoken"))
    integration = connecting.activate(template, settings_for("bearertoken", crm.url))
    integration.credentials = Credentials()
    integration.save()
    assert refresh_tokens() == 0 and crm.state.token_count == 0
