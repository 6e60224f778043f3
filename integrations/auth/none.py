"""None: custom fields only (an API key in a URL, a webhook address); nothing to obtain."""

from __future__ import annotations

from .base import AuthMethod


class NoAuth(AuthMethod):
    name = "none"
