"""Reading a token endpoint's answer: the OAuth2 fields, wherever a CRM puts them."""

from __future__ import annotations

from templates_app import gjson

# RFC 6749 names first, then the spellings CRMs use.
ACCESS_TOKEN_PATHS = ("access_token", "accessToken", "token", "data.access_token", "data.accessToken", "data.token")
REFRESH_TOKEN_PATHS = ("refresh_token", "refreshToken", "data.refresh_token", "data.refreshToken")
EXPIRES_IN_PATHS = ("expires_in", "expiresIn", "data.expires_in", "data.expiresIn")


def first(answer: str, paths: tuple[str, ...]) -> str:
    for path in paths:
        result = gjson.get(answer, path)
        if result.exists and result.type != "Null" and (result.str if result.type == "String" else result.raw):
            return result.str if result.type == "String" else result.raw
    return ""
