"""Secrets never appear in what the engine shows: exchanges, errors, excerpts."""

from __future__ import annotations

import base64

import pytest

from integrations.engine import CrmError, Redactor
from tests.integrations.crm_server import API_KEY, CLIENT_SECRET, PASSWORD


def shown(exchanges) -> str:
    return repr([vars(e) for e in exchanges])


def test_basic_credentials_are_masked_in_every_exchange(make_engine, exchanges):
    make_engine("basic").lookup("+442071838750")
    text = shown(exchanges)
    assert PASSWORD not in text and base64.b64encode(f"pbx:{PASSWORD}".encode()).decode() not in text
    assert "Basic ••••••" in text


def test_an_api_key_in_the_query_string_is_masked(make_engine, exchanges):
    make_engine("none").lookup("+442071838750")
    assert API_KEY not in shown(exchanges) and "api_key=••••••" in shown(exchanges)


def test_bearer_tokens_and_client_secrets_are_masked(make_engine, exchanges, crm):
    engine = make_engine("bearertoken")
    engine.connect()
    engine.lookup("+442071838750")
    text = shown(exchanges)
    assert CLIENT_SECRET not in text and engine.credentials.access_token not in text


def test_an_error_excerpt_masks_a_secret_the_crm_echoes(crm):
    redactor = Redactor([PASSWORD])
    assert PASSWORD not in redactor.text(f'{{"error": "bad password {PASSWORD}"}}')


def test_errors_raised_by_the_engine_carry_no_secret(make_engine):
    engine = make_engine("none", settings={"crm_url": "http://127.0.0.1:9"})
    with pytest.raises(CrmError) as caught:
        engine.lookup("+1")
    assert API_KEY not in str(caught.value)


@pytest.mark.parametrize("form", ["plain", "url", "json"])
def test_each_encoded_form_of_a_secret_is_masked(form):
    secret = 'p@ss w"rd/1'
    text = {"plain": secret, "url": "p%40ss%20w%22rd%2F1", "json": 'p@ss w\\"rd/1'}[form]
    assert Redactor([secret]).text(f"x={text}&y=1") == "x=••••••&y=1"


def test_token_fields_of_an_answer_are_masked_before_they_are_known():
    answer = '{"access_token": "abc123xyz", "refresh_token": "r-987654", "expires_in": 3600}'
    assert Redactor().text(answer) == '{"access_token": "••••••", "refresh_token": "••••••", "expires_in": 3600}'


def test_an_exchange_as_stored_is_what_asdict_gives(make_engine, exchanges):
    from dataclasses import asdict

    make_engine("basic").lookup(["+14155550100"])
    assert exchanges and [e.as_json() for e in exchanges] == [asdict(e) for e in exchanges]
