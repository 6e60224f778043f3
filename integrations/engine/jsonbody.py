"""Values placed into a JSON body stay valid JSON (docs/request-engine.md).

A template writes its body as JSON text with actions inside string literals:
``{"name": "{{.CallerName}}"}``. The PBX renders that as plain text, so a caller
named ``Ann "Red" O'Neil\\`` breaks the body. Here, when a body is JSON (its first
character is ``{`` or ``[``), every string in the variables is escaped as JSON
string content before the body is rendered: ``"`` becomes ``\\"``, ``\\`` becomes
``\\\\``, control characters become ``\\n``, ``\\u0001`` and so on. Numbers, lists and
maps pass unchanged. The rule assumes what every template we have seen does: that
actions in a JSON body stand inside string literals, or render numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from json.encoder import encode_basestring

# What json.dumps(ensure_ascii=False) escapes in a string: most values hold none of it
# and pass as they are (a journal's body escapes some thirty variables per send).
_TO_ESCAPE = re.compile(r'["\\\x00-\x1f]')


def is_json_body(template_text: str) -> bool:
    """Whether a body template writes JSON (so its values need escaping)."""
    return template_text.lstrip()[:1] in ("{", "[")


def json_string_content(value: str) -> str:
    """``value`` escaped to stand between the quotes of a JSON string."""
    return encode_basestring(value)[1:-1] if _TO_ESCAPE.search(value) else value


def escaped_scope(scope: Mapping[str, object]) -> dict[str, object]:
    """A copy of ``scope`` whose strings (at any depth) are JSON string content."""
    return {key: _escaped(value) for key, value in scope.items()}


def _escaped(value: object) -> object:
    if isinstance(value, str):
        return json_string_content(value)
    if isinstance(value, Mapping):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value
