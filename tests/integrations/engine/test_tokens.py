"""Bearer tokens: fetched, sent, refreshed on schedule and on TokenInvalid."""

from __future__ import annotations

import pytest

from integrations.auth import Credentials
from integrations.engine import AuthError, Engine
from tests.integrations.crm_templates import crm_template, loaded, settings_for


def test_connect_fetches_a_token_and_requests_carry_it(make_engine, crm):
    engine = make_engine("bearertoken")
    engine.connect()
    engine.lookup("+442071838750")
    token = engine.credentials.access_token
    assert token in crm.state.tokens
    assert crm.state.received[-1].headers["Authorization"] == f"Bearer {token}"
    assert engine.scope()["AccessToken"] == token


def test_a_token_invalid_answer_refreshes_the_token_and_retries_once(make_engine, crm):
    engine = make_engine("bearertoken")
    engine.connect()
    crm.state.revoke_all()
    assert engine.lookup("+442071838750")[0].fields["ContactsId"] == "c3"
    assert crm.state.token_count == 2
    assert [r.path for r in crm.state.received].count("/crm/v2/Contacts/search") == 2


def test_the_token_is_due_for_refresh_after_the_guides_25_minutes(crm):
    now = [1_000_000.0]
    engine = Engine(loaded(crm_template("bearertoken")), settings=settings_for("bearertoken", crm.url),
                    clock=lambda: now[0])
    engine.connect()
    now[0] += 24 * 60
    assert not engine.auth.needs_refresh()
    now[0] += 61
    assert engine.auth.needs_refresh()


def test_an_interval_of_0_never_refreshes(crm):
    xml = crm_template("bearertoken").replace('Name="TokenRefreshInterval" Value=""', 'Name="TokenRefreshInterval" Value="0"')
    now = [1_000_000.0]
    engine = Engine(loaded(xml), settings=settings_for("bearertoken", crm.url), clock=lambda: now[0])
    engine.connect()
    now[0] += 10 * 365 * 86400
    assert not engine.auth.needs_refresh()


def test_a_refused_client_secret_is_an_auth_error_shown_as_status(crm):
    engine = Engine(loaded(crm_template("bearertoken")),
                    settings={**settings_for("bearertoken", crm.url), "client_secret": "wrong"})
    with pytest.raises(Exception):  # noqa: B017 - the refusal is a CrmRefused from the token endpoint
        engine.connect()
    assert engine.auth.status().state == "error" and "401" in engine.auth.status().detail


def test_oauth2_without_a_token_asks_for_authorization(crm):
    engine = Engine(loaded(crm_template("oauth2")), settings=settings_for("oauth2", crm.url))
    with pytest.raises(AuthError, match="not authorized yet"):
        engine.connect()
    assert engine.auth.status().state == "disconnected"


def test_oauth2_sends_a_stored_token(crm):
    token = crm.state.issue_token()
    engine = Engine(loaded(crm_template("oauth2")), settings=settings_for("oauth2", crm.url),
                    credentials=Credentials(access_token=token))
    engine.connect()
    assert engine.lookup("+442071838750")[0].fields["ContactsId"] == "c3"
    assert crm.state.received[-1].headers["Authorization"] == f"Bearer {token}"
