"""What can go wrong when the portal talks to a CRM, as types the caller can act on.

Every error says which request failed, the HTTP status when there was one, a short
excerpt of the answer (already redacted), and whether trying again later can help:
a timeout, a refused connection, 429 and 5xx can; any other 4xx, an answer that is
not JSON or one too large cannot, until someone changes something.
"""

from __future__ import annotations


class CrmError(Exception):
    """A request to the CRM did not give a usable answer."""

    retryable = False

    def __init__(
        self,
        message: str,
        *,
        request: str = "",
        status: int | None = None,
        excerpt: str = "",
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.request = request
        self.status = status
        self.excerpt = excerpt
        self.retry_after = retry_after

    def __str__(self) -> str:
        where = f"request {self.request!r}: " if self.request else ""
        status = f"HTTP {self.status}: " if self.status is not None else ""
        excerpt = f" — {self.excerpt}" if self.excerpt else ""
        return f"{where}{status}{self.message}{excerpt}"


class CrmUnavailable(CrmError):
    """Timeouts, refused connections, 429 and 5xx: the CRM may answer later."""

    retryable = True


class CrmRefused(CrmError):
    """A 4xx (other than 429): the request itself is wrong or not allowed."""


class TokenInvalid(CrmRefused):
    """The answer carries the template's TokenErrorMap text: refresh the token, retry once."""


class BadAnswer(CrmError):
    """A 2xx whose body is not what the template reads: not JSON (an HTML error page), too big."""


class ConfigurationError(CrmError):
    """The template or its settings cannot make a request (a missing scenario, a bad URL)."""


class AuthError(CrmError):
    """Credentials are missing, were refused, or a token could not be obtained."""
