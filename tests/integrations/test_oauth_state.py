"""The OAuth2 callback refuses a forged, replayed or expired state, and stores nothing."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.urls import reverse

from integrations import connecting, oauth
from integrations.models import Integration
from tests.integrations.crm_templates import crm_template

pytestmark = pytest.mark.django_db
CALLBACK = reverse("integrations:oauth_callback")


@pytest.fixture
def integration() -> Integration:
    template = connecting.install_template(crm_template("oauth2"))
    return connecting.activate(template, {"client_id": "cid", "client_secret": "csecret", "crm_url": "http://127.0.0.1:9"})


def start(client, integration) -> dict[str, str]:
    """Save on the page: the authorization URL's query."""
    response = client.post(reverse("integrations:integration", args=[integration.template.pk]),
                           {"client_id": "cid", "crm_url": "http://127.0.0.1:9"}, follow=True)
    url = response.context["url"]
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_the_authorization_request_carries_what_oauth2_needs(client_logged_in, integration):
    query = start(client_logged_in, integration)
    assert query["response_type"] == "code" and query["client_id"] == "cid"
    assert query["redirect_uri"] == f"http://testserver{CALLBACK}" and query["scope"] == "contacts.read,calls.write"
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43 and query["state"]


def test_a_forged_state_is_refused(client_logged_in, integration):
    start(client_logged_in, integration)
    forged = signing.dumps({"i": integration.pk, "n": "guessed"}, salt="another-salt")
    response = client_logged_in.get(CALLBACK, {"state": forged, "code": "x"})
    assert response.status_code == 400 and "not one this portal issued" in response.content.decode()


def test_a_replayed_state_is_refused(client_logged_in, integration):
    state = start(client_logged_in, integration)["state"]
    client_logged_in.get(CALLBACK, {"state": state, "error": "access_denied"})
    response = client_logged_in.get(CALLBACK, {"state": state, "code": "x"})
    assert response.status_code == 400 and "already used" in response.content.decode()


def test_an_expired_state_is_refused(client_logged_in, integration, monkeypatch):
    state = start(client_logged_in, integration)["state"]
    monkeypatch.setattr(oauth, "STATE_MAX_AGE", -1)
    response = client_logged_in.get(CALLBACK, {"state": state, "code": "x"})
    assert response.status_code == 400 and "longer than 10 minutes" in response.content.decode()


def test_the_crms_error_is_shown_and_nothing_stored(client_logged_in, integration):
    state = start(client_logged_in, integration)["state"]
    response = client_logged_in.get(CALLBACK, {"state": state, "error": "access_denied",
                                               "error_description": "The user said no"})
    assert "the CRM answered access_denied: The user said no" in response.content.decode()
    integration.refresh_from_db()
    assert not integration.credentials.access_token
