"""OAuth2 authorization code, the browser part: send the admin to the CRM, take the code back.

    url = authorization_url(request, integration)     # Save on the integration page
    integration = finish(request, params)              # the callback

The authorization request carries the template's rendered ``AuthEndPoint`` with its own
query, then ``response_type=code``, ``client_id``, ``redirect_uri`` (the portal's one
callback address, shown on the page to register in the CRM), ``scope`` (the template's
Scope as written: the guide writes a comma list, which is what CRMs of this kind
expect), a signed one-time ``state``, PKCE S256 (servers that do not know it ignore
it), and the rendered ``AdditionalQueryString``. The client id and secret are the
custom fields ``client_id`` and ``client_secret`` (the guide's names), or the
``client_id`` already in the AuthEndPoint.

``state`` is signed and expires after 10 minutes; its nonce is kept in the admin's
session and removed at first use, so a forged, expired or replayed state is refused.
authlib does the token exchange.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse

from templates_app import gotemplate

from .auth import Credentials
from .connecting import model_of
from .engine.redact import Redactor
from .models import Integration

STATE_SALT = "pbxcrm.integrations.oauth2.state"
STATE_MAX_AGE = 600
SESSION_KEY = "pbxcrm_oauth2"


class OAuthError(Exception):
    """The authorization did not complete; the message is for the admin."""


@dataclass
class Endpoints:
    auth: str
    token: str
    scope: str
    extra: list[tuple[str, str]]
    client_id: str
    client_secret: str


def redirect_uri(request: HttpRequest) -> str:
    """The portal's callback address, to register in the CRM's application."""
    return request.build_absolute_uri(reverse("integrations:oauth_callback"))


def endpoints(integration: Integration) -> Endpoints:
    auth = model_of(integration).auth_method_scenario
    if auth is None:
        raise OAuthError("the template has no AuthMethod scenario")
    values = integration.settings

    def render(text: str | None) -> str:
        return gotemplate.render(text or "", values, name="AuthMethod", missingkey="empty").strip()

    auth_url = render(auth.auth_end_point)
    if not auth_url:
        raise OAuthError("the template has no AuthEndPoint")
    in_url = dict(parse_qsl(urlsplit(auth_url).query))
    return Endpoints(
        auth=auth_url,
        token=render(auth.token_end_point),
        scope=(auth.scope or "").strip(),
        extra=parse_qsl(render(auth.additional_query_string).lstrip("?&")),
        client_id=values.get("client_id") or in_url.get("client_id", ""),
        client_secret=values.get("client_secret", ""),
    )


def authorization_url(request: HttpRequest, integration: Integration) -> str:
    """Where to send the admin's browser; the state and PKCE verifier go to the session."""
    ends = endpoints(integration)
    nonce = secrets.token_urlsafe(16)
    verifier = secrets.token_urlsafe(48)
    state = signing.dumps({"i": integration.pk, "n": nonce}, salt=STATE_SALT)
    pending = request.session.get(SESSION_KEY, {})
    pending[nonce] = {"integration": integration.pk, "verifier": verifier, "redirect_uri": redirect_uri(request),
                      "at": time.time()}
    request.session[SESSION_KEY] = pending
    parts = urlsplit(ends.auth)
    query = parse_qsl(parts.query)
    have = {k for k, _ in query}
    wanted = [("response_type", "code"), ("client_id", ends.client_id), ("redirect_uri", redirect_uri(request)),
              ("scope", ends.scope), ("state", state), ("code_challenge", create_s256_code_challenge(verifier)),
              ("code_challenge_method", "S256"), *ends.extra]
    query += [(k, v) for k, v in wanted if v and k not in have]
    return urlunsplit(parts._replace(query=urlencode(query)))


def finish(request: HttpRequest, params: dict[str, str]) -> Integration:
    """Check the state, exchange the code, store the tokens (encrypted)."""
    try:
        state = signing.loads(params.get("state", ""), salt=STATE_SALT, max_age=STATE_MAX_AGE)
    except signing.SignatureExpired:
        raise OAuthError("the authorization took longer than 10 minutes; start it again") from None
    except signing.BadSignature:
        raise OAuthError("the answer's state is not one this portal issued; start the authorization again") from None
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(state.get("n"), None)
    request.session[SESSION_KEY] = pending
    if entry is None or entry["integration"] != state.get("i"):
        raise OAuthError("this authorization answer was already used, or belongs to another sign-in; start again")
    integration = Integration.objects.filter(pk=entry["integration"]).first()
    if integration is None:
        raise OAuthError("the integration no longer exists")
    if params.get("error"):
        detail = params.get("error_description") or ""
        raise OAuthError(f"the CRM answered {params['error']}{': ' + detail if detail else ''}")
    code = params.get("code", "")
    if not code:
        raise OAuthError("the CRM's answer has no authorization code")
    ends = endpoints(integration)
    redactor = Redactor([ends.client_secret, code])
    client = OAuth2Client(ends.client_id, ends.client_secret, token_endpoint_auth_method="client_secret_post",
                          timeout=20)
    try:
        token = client.fetch_token(ends.token, grant_type="authorization_code", code=code,
                                   redirect_uri=entry["redirect_uri"], code_verifier=entry["verifier"])
    except Exception as err:  # authlib raises its own errors and httpx's: all end the same way here
        raise OAuthError(f"the token endpoint refused the code: {redactor.text(str(err))[:300]}") from None
    finally:
        client.close()
    if not token.get("access_token"):
        raise OAuthError("the token endpoint answered without an access token")
    now = time.time()
    integration.credentials = Credentials(
        access_token=token["access_token"], refresh_token=token.get("refresh_token", ""),
        expires_at=float(token["expires_at"]) if token.get("expires_at") else None, obtained_at=now,
    )
    integration.save(update_fields=["credentials_sealed", "updated"])
    return integration
