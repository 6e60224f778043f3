"""OAuth2 (authorization code): the token part that runs without a browser.

The browser part (the redirect to AuthEndPoint with state and PKCE, the callback
that exchanges the code) belongs to the portal's pages; here are the token's use and
its refresh: every request carries ``Authorization: <TokenType> <token>`` and the
token is refreshed with the refresh token before it expires and after TokenInvalid,
unless the template says ``NoNeedRefreshAccessToken``.
"""

from __future__ import annotations

from urllib.parse import urlencode

from ..errors import AuthError, CrmError
from .base import AuthStatus
from .bearer import BearerTokenAuth
from .tokens import ACCESS_TOKEN_PATHS, EXPIRES_IN_PATHS, REFRESH_TOKEN_PATHS, first

# Refresh this long before the CRM's stated expiry, so no request meets an expired token.
REFRESH_MARGIN_SECONDS = 300


class OAuth2Auth(BearerTokenAuth):
    name = "oauth2"

    def prepare(self) -> None:
        if not self.credentials.access_token:
            self.error = ""
            raise AuthError("not authorized yet: authorize the portal in the CRM from the integration page")
        if self.needs_refresh():
            self.refresh()

    def needs_refresh(self) -> bool:
        if self.scenario.no_need_refresh_access_token:
            return False
        expires = self.credentials.expires_at
        return expires is not None and self.clock() >= expires - REFRESH_MARGIN_SECONDS

    def refresh(self) -> None:
        if self.scenario.no_need_refresh_access_token or not self.credentials.refresh_token:
            self.error = "the token was refused and cannot be refreshed: authorize again"
            raise AuthError(self.error)
        body = urlencode({"grant_type": "refresh_token", "refresh_token": self.credentials.refresh_token,
                          **{k: self.settings[k] for k in ("client_id", "client_secret") if self.settings.get(k)}})
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"}
        try:
            _status, answer = self.send("POST", self.render(self.scenario.token_end_point), headers, body, "TokenEndPoint")
        except CrmError as err:
            self.error = f"could not refresh the token: {err}"
            raise AuthError(self.error, status=err.status, excerpt=err.excerpt) from err
        token = first(answer, ACCESS_TOKEN_PATHS)
        if not token:
            self.error = "the token endpoint answered without an access token"
            raise AuthError(self.error, request="TokenEndPoint")
        now = self.clock()
        self.credentials.access_token = token
        self.credentials.refresh_token = first(answer, REFRESH_TOKEN_PATHS) or self.credentials.refresh_token
        expires_in = first(answer, EXPIRES_IN_PATHS)
        self.credentials.obtained_at = now
        self.credentials.expires_at = now + float(expires_in) if expires_in.replace(".", "", 1).isdigit() else None
        self.error = ""

    def status(self) -> AuthStatus:
        if not self.credentials.access_token and not self.error:
            return AuthStatus("disconnected", "not authorized yet")
        return super().status()
