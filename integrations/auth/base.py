"""The interface every authentication method implements, and what it keeps."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from templates_app import gotemplate

if TYPE_CHECKING:
    from templates_app.xmlmodel.scenarios import AuthMethodScenario

# send(method, url, headers, body, name) -> (status, answer text): the engine's own
# sender, so token requests get the same timeouts, size cap, redaction and errors.
Send = Callable[[str, str, dict[str, str], str, str], tuple[int, str]]


@dataclass
class Credentials:
    """What a method keeps between runs; the portal stores it encrypted."""

    access_token: str = ""
    refresh_token: str = ""
    expires_at: float | None = None  # epoch seconds, when the CRM said
    obtained_at: float | None = None  # epoch seconds
    extra: dict[str, str] = field(default_factory=dict)

    def secrets(self) -> list[str]:
        return [s for s in (self.access_token, self.refresh_token) if s]


@dataclass(frozen=True)
class AuthStatus:
    state: str  # "connected", "disconnected" or "error"
    detail: str = ""


class AuthMethod:
    """One authentication method of the guide (AuthType / AuthMethod)."""

    name: ClassVar[str]

    def __init__(
        self,
        scenario: AuthMethodScenario,
        settings: Mapping[str, str],
        credentials: Credentials | None,
        send: Send,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.scenario = scenario
        self.settings = dict(settings)
        self.credentials = credentials or Credentials()
        self.send = send
        self.clock = clock
        self.error = ""

    # -- the interface ----------------------------------------------------------------

    def prepare(self) -> None:
        """Obtain what requests need (nothing, for most methods)."""

    def authorize(self, headers: dict[str, str]) -> None:
        """Add this method's credentials to one request's headers."""

    def refresh(self) -> None:
        """Obtain fresh credentials (after TokenInvalid, or when stale)."""
        self.prepare()

    def needs_refresh(self) -> bool:
        """Whether a scheduled refresh is due now."""
        return False

    def status(self) -> AuthStatus:
        if self.error:
            return AuthStatus("error", self.error)
        return AuthStatus("connected")

    def scope_values(self) -> dict[str, str]:
        """Variables this method adds to every request's scope (AccessToken…)."""
        return {}

    def secrets(self) -> list[str]:
        """Values the redaction step must mask."""
        return self.credentials.secrets()

    # -- helpers ----------------------------------------------------------------------

    def render(self, text: str | None) -> str:
        """A setting of the AuthMethod scenario rendered with the custom fields."""
        if not text:
            return ""
        return gotemplate.render(text, self.settings, name="AuthMethod", missingkey="empty")
