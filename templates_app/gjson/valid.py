"""gjson.Valid: strict RFC 8259 JSON, whitespace being only space, tab, CR, LF.

The C ``json`` decoder accepts the same language once NaN/Infinity are refused
and numbers are kept as text (so huge integers do not trip Python's digit
limit); a small iterative checker covers nesting too deep for it.
"""

from __future__ import annotations

import json
import re


def _refuse(_: str) -> None:
    raise ValueError("not JSON")


_decode = json.JSONDecoder(parse_int=str, parse_float=str, parse_constant=_refuse).decode

_WS = re.compile(r"[ \t\n\r]*+")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]++|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*+"')
_SCALAR = re.compile(r"-?(?:0|[1-9][0-9]*+)(?:\.[0-9]++)?(?:[eE][+-]?[0-9]++)?|true|false|null")


def valid(json_text: str) -> bool:
    """True when gjson.Valid(json_text) is true."""
    try:
        _decode(json_text)
        return True
    except RecursionError:
        return _valid_deep(json_text)
    except (ValueError, TypeError):
        return False


def _valid_deep(s: str) -> bool:
    # An explicit stack instead of recursion: after each value we expect ',' or
    # the closer of the innermost container, or the end of the text.
    n = len(s)
    stack: list[str] = []
    i = _WS.match(s).end()
    while True:
        # a value starts at i
        if i >= n:
            return False
        c = s[i]
        if c == "{" or c == "[":
            i = _WS.match(s, i + 1).end()
            closer = "}" if c == "{" else "]"
            if i < n and s[i] == closer:
                i += 1
            else:
                stack.append(closer)
                if closer == "}":
                    i = _member_key(s, i)
                    if i < 0:
                        return False
                continue
        else:
            m = (_STRING if c == '"' else _SCALAR).match(s, i)
            if m is None:
                return False
            i = m.end()
        # after a value
        while True:
            i = _WS.match(s, i).end()
            if not stack:
                return i == n
            if i < n and s[i] == ",":
                i = _WS.match(s, i + 1).end()
                if stack[-1] == "}":
                    i = _member_key(s, i)
                    if i < 0:
                        return False
                break
            if i < n and s[i] == stack[-1]:
                stack.pop()
                i += 1
                continue
            return False


def _member_key(s: str, i: int) -> int:
    """Reads '"key" :' and the whitespace after it; -1 when malformed."""
    m = _STRING.match(s, i)
    if m is None:
        return -1
    i = _WS.match(s, m.end()).end()
    if i >= len(s) or s[i] != ":":
        return -1
    return _WS.match(s, i + 1).end()
