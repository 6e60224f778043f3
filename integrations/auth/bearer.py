"""Bearer token: a token from ``TokenEndPoint`` into ``{{.AccessToken}}``.

Every request carries ``Authorization: Bearer <token>`` (the guide's "Authorization:
Bearer {{.AccessToken}}"), unless the template writes its own Authorization header.
The token is fetched with a POST to the rendered TokenEndPoint, carrying the
template's custom headers, and refreshed every ``TokenRefreshInterval`` minutes
(blank: the guide's 25; 0: never), and at once after a TokenInvalid answer.
"""

from __future__ import annotations

from ..errors import AuthError, CrmError
from .base import AuthMethod, AuthStatus
from .tokens import ACCESS_TOKEN_PATHS, EXPIRES_IN_PATHS, REFRESH_TOKEN_PATHS, first

# The guide: "If left blank, the system will automatically refresh the access token
# every 25 minutes by default."
DEFAULT_REFRESH_MINUTES = 25


class BearerTokenAuth(AuthMethod):
    name = "bearertoken"

    def refresh_minutes(self) -> int:
        text = (self.scenario.token_refresh_interval or "").strip()
        return int(text) if text.isdigit() else DEFAULT_REFRESH_MINUTES

    def prepare(self) -> None:
        if not self.credentials.access_token or self.needs_refresh():
            self.fetch()

    def refresh(self) -> None:
        self.fetch()

    def needs_refresh(self) -> bool:
        minutes = self.refresh_minutes()
        obtained = self.credentials.obtained_at
        if minutes == 0 or obtained is None:
            return not self.credentials.access_token
        return self.clock() >= obtained + minutes * 60

    def fetch(self) -> None:
        url = self.render(self.scenario.token_end_point)
        if not url:
            raise AuthError("the template has no TokenEndPoint", request="TokenEndPoint")
        headers = {"Accept": "application/json"}
        try:
            _status, answer = self.send("POST", url, headers, "", "TokenEndPoint")
        except CrmError as err:
            self.error = f"could not get a token: {err}"
            raise
        token = first(answer, ACCESS_TOKEN_PATHS)
        if not token:
            self.error = "the token endpoint answered without an access token"
            raise AuthError(self.error, request="TokenEndPoint")
        self.credentials.access_token = token
        self.credentials.refresh_token = first(answer, REFRESH_TOKEN_PATHS) or self.credentials.refresh_token
        expires_in = first(answer, EXPIRES_IN_PATHS)
        now = self.clock()
        self.credentials.obtained_at = now
        self.credentials.expires_at = now + float(expires_in) if _number(expires_in) else None
        self.error = ""

    def authorize(self, headers: dict[str, str]) -> None:
        if self.credentials.access_token and not any(k.lower() == "authorization" for k in headers):
            kind = (self.scenario.token_type or "Bearer").strip() or "Bearer"
            headers["Authorization"] = f"{kind} {self.credentials.access_token}"

    def scope_values(self) -> dict[str, str]:
        return {"AccessToken": self.credentials.access_token}

    def status(self) -> AuthStatus:
        if self.error:
            return AuthStatus("error", self.error)
        if not self.credentials.access_token:
            return AuthStatus("disconnected", "no token yet")
        return AuthStatus("connected")


def _number(text: str) -> bool:
    try:
        return float(text) > 0
    except ValueError:
        return False
