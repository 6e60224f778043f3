"""One redaction step for everything the engine shows: logs, errors, pages, the CLI.

Secrets are the values of password-type custom fields, tokens, client secrets and
every ``Authorization`` header. A secret is masked wherever it appears, in its plain,
URL-encoded and JSON-escaped forms, since a template may place it in a query string
(``?api_key={{.api_key}}``) or a body as well as in a header.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "••••••"
# Values this short would mask unrelated text ("1", "id"); no real secret is this short.
MIN_SECRET_LENGTH = 4
# Token fields of a token endpoint's answer, masked before the engine has even read them.
_TOKEN_FIELDS = re.compile(
    r'("(?:access_token|refresh_token|id_token|accessToken|refreshToken|client_secret|token)"\s*:\s*")[^"]*(")'
)
SECRET_HEADERS = {"authorization", "proxy-authorization", "x-api-key", "api-key", "x-auth-token", "cookie"}


class Redactor:
    """Masks a known set of secret values in any text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._forms: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Mask ``secret`` (and its encoded forms) from now on."""
        if not secret or len(secret) < MIN_SECRET_LENGTH:
            return
        forms = {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1]}
        forms.add(base64.b64encode(secret.encode()).decode())
        self._forms |= {f for f in forms if len(f) >= MIN_SECRET_LENGTH}
        self._pattern = None

    @property
    def pattern(self) -> re.Pattern[str] | None:
        if getattr(self, "_pattern", None) is None and self._forms:
            # Longest first, so a secret is masked whole before any part of it.
            self._pattern = re.compile("|".join(re.escape(f) for f in sorted(self._forms, key=len, reverse=True)))
        return getattr(self, "_pattern", None)

    def text(self, value: str) -> str:
        """``value`` with every known secret, and every token field of a JSON answer, masked."""
        if not value:
            return value
        pattern = self.pattern
        if pattern is not None:
            value = pattern.sub(MASK, value)
        return _TOKEN_FIELDS.sub(rf"\g<1>{MASK}\g<2>", value) if "token" in value or "secret" in value else value

    def headers(self, headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Headers for display: credentials-bearing headers masked whole, the rest redacted."""
        shown = []
        for name, value in headers:
            if name.lower() in SECRET_HEADERS:
                scheme = value.split(" ", 1)[0] if " " in value else ""
                shown.append((name, f"{scheme} {MASK}".strip()))
            else:
                shown.append((name, self.text(value)))
        return shown
