"""Authentication methods: one module each, behind the small interface of base.py.

    method = auth_method_for(template, settings, credentials, send)
    method.prepare()                     # obtain what requests need (a token…)
    method.authorize(headers)            # add Authorization to one request
    method.refresh()                     # after TokenInvalid, or when stale
    method.status()                      # Connected / Disconnected / Error, and why

Plain Python: the portal stores Credentials (encrypted) and hands them back.
"""

from __future__ import annotations

from .base import AuthMethod, AuthStatus, Credentials
from .basic import BasicAuth
from .bearer import BearerTokenAuth
from .none import NoAuth
from .oauth2 import OAuth2Auth

METHODS: dict[str, type[AuthMethod]] = {
    cls.name: cls for cls in (NoAuth, BasicAuth, OAuth2Auth, BearerTokenAuth)
}

__all__ = ["METHODS", "AuthMethod", "AuthStatus", "BasicAuth", "BearerTokenAuth", "Credentials", "NoAuth", "OAuth2Auth"]
