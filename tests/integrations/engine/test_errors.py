"""What goes wrong at a CRM arrives as a typed error that says whether to retry."""

from __future__ import annotations

import httpx
import pytest

from integrations.engine import BadAnswer, ConfigurationError, CrmRefused, CrmUnavailable, Engine
from tests.integrations.crm_templates import crm_template, loaded, settings_for


def engine_at(crm, path: str, **options) -> Engine:
    """A basic-auth engine whose contact search goes to ``path`` on the local CRM."""
    xml = crm_template("basic", search_path=path)
    return Engine(loaded(xml), settings=settings_for("basic", crm.url), **options)


def test_an_html_error_page_is_retryable_with_status_and_excerpt(crm):
    with pytest.raises(CrmUnavailable) as caught:
        engine_at(crm, "/html").lookup("+1")
    err = caught.value
    assert err.retryable and err.status == 500 and "502 Bad Gateway" in err.excerpt and err.request == "Contacts"


def test_an_html_page_with_200_is_a_bad_answer_not_worth_retrying(crm):
    with pytest.raises(BadAnswer) as caught:
        engine_at(crm, "/ok-html").lookup("+1")
    assert not caught.value.retryable and "not JSON" in str(caught.value)


def test_a_slow_answer_times_out_as_retryable(crm):
    client = httpx.Client(timeout=httpx.Timeout(0.3))
    with pytest.raises(CrmUnavailable, match="timed out"):
        engine_at(crm, "/slow?seconds=2", client=client).lookup("+1")
    client.close()


def test_a_20_mb_answer_is_refused_without_reading_it_all(crm):
    with pytest.raises(BadAnswer, match="larger than 5 MB"):
        engine_at(crm, "/huge").lookup("+1")


def test_429_is_retryable_and_carries_retry_after(crm):
    with pytest.raises(CrmUnavailable) as caught:
        engine_at(crm, "/busy").lookup("+1")
    assert caught.value.status == 429 and caught.value.retry_after == 7


def test_a_4xx_is_refused_and_not_retryable(crm):
    with pytest.raises(CrmRefused) as caught:
        engine_at(crm, "/nowhere").lookup("+1")
    assert caught.value.status == 404 and not caught.value.retryable


def test_a_refused_connection_is_retryable():
    engine = Engine(loaded(crm_template("basic")), settings=settings_for("basic", "http://127.0.0.1:9"))
    with pytest.raises(CrmUnavailable, match="could not connect"):
        engine.lookup("+1")


def test_a_redirect_to_another_host_is_not_followed(crm):
    with pytest.raises(CrmRefused, match="another host"):
        engine_at(crm, "/redirect-away").lookup("+1")
    assert all(r.path != "/steal" for r in crm.state.received)


def test_a_redirect_on_the_same_host_is_followed(crm):
    assert engine_at(crm, "/redirect-here").lookup("+1") == []


def test_an_address_that_is_not_http_is_a_configuration_error(crm):
    engine = Engine(loaded(crm_template("basic")), settings=settings_for("basic", "file:///etc"))
    with pytest.raises(ConfigurationError, match="not an http"):
        engine.lookup("+1")
