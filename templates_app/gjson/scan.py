"""Skipping over JSON text the way gjson does, at C speed where possible.

gjson never tokenizes: it looks for the few bytes it cares about and jumps over
everything else, so malformed input still gives an answer.  Each helper below
reproduces one of its skipping loops exactly (including where it stops on
broken input) but lets a compiled regex do the walking.
"""

from __future__ import annotations

import re
from json.decoder import scanstring as _scanstring

# Body of a string after its opening quote, up to and including the closing
# quote.  gjson decides whether a quote is escaped by the parity of the
# backslashes before it, which is the same as pairing backslash escapes.
STRING_TAIL = re.compile(r'[^"\\]*+(?:\\[\s\S][^"\\]*+)*+"')
# gjson's parseNumber / tonum: everything up to whitespace, ',', ']' or '}'.
NUMBER_TAIL = re.compile(r"[^\x00-\x20,\]}]*+")
# parseLiteral / tolit: lowercase letters.
LITERAL_TAIL = re.compile(r"[a-z]*+")

_STR = r'"[^"\\]*+(?:\\[\s\S][^"\\]*+)*+"'


def balanced_pattern(opens: str, closes: str, depth: int, string: str = _STR) -> str:
    """A regex matching one bracketed value nested at most ``depth`` deep.

    gjson's squash counts every opening and closing bracket alike (also
    parentheses), skipping strings; possessive loops keep this linear."""
    flat = rf'[^"{opens}{closes}]'
    level = rf"(?:{flat}++|{string})*+"
    for _ in range(depth):
        level = rf"(?:{flat}++|{string}|[{opens}]{level}[{closes}])*+"
    return rf"[{opens}]{level}[{closes}]"


_SQUASH = re.compile(balanced_pattern(r"\[{(", r"\]})", 10))
_SQUASH_STEP = re.compile(r'["\[\]{}()]')
_OPENERS = "[{("


def parse_squash(s: str, i: int) -> int:
    """gjson parseSquash: s[i] is an opener already read; returns the end index.

    Like Go it returns len(s) when brackets never close and len(s)+1 when the
    text ends inside a string."""
    if s[i] in _OPENERS:
        m = _SQUASH.match(s, i)
        if m is not None:
            return m.end()
    depth = 1
    i += 1
    n = len(s)
    search = _SQUASH_STEP.search
    while True:
        m = search(s, i)
        if m is None:
            return n
        j = m.start()
        c = s[j]
        if c == '"':
            m = STRING_TAIL.match(s, j + 1)
            if m is None:
                return n + 1
            i = m.end()
        elif c in _OPENERS:
            depth += 1
            i = j + 1
        else:
            depth -= 1
            i = j + 1
            if depth == 0:
                return i


def squash(s: str) -> str:
    """gjson squash: the leading value of s (a string or bracketed value)."""
    if s[0] == '"':
        m = STRING_TAIL.match(s, 1)
        return s if m is None else s[: m.end()]
    return s[: parse_squash(s, 0)]


def number_end(s: str, i: int) -> int:
    return NUMBER_TAIL.match(s, i + 1).end()


def literal_end(s: str, i: int) -> int:
    return LITERAL_TAIL.match(s, i + 1).end()


def tostr(s: str) -> tuple[str, str]:
    """gjson tostr: s starts with a quote; returns (raw, unescaped string)."""
    m = STRING_TAIL.match(s, 1)
    if m is not None:
        raw = s[: m.end()]
        body = raw[1:-1]
        return raw, (unescape(body) if "\\" in body else body)
    # unterminated: the raw is the rest of the text
    body = s[1:]
    return s, (unescape(body) if "\\" in body else body)


def trim(s: str) -> str:
    """gjson trim: strips bytes <= ' ' from both ends."""
    i, j = 0, len(s)
    while i < j and s[i] <= " ":
        i += 1
    while j > i and s[j - 1] <= " ":
        j -= 1
    return s[i:j]


_CTRL = re.compile(r"[\x00-\x1f]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_SIMPLE_ESCAPES = {
    "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", '"': '"',
}


def _rune(s: str, i: int) -> int:
    # strconv.ParseUint(x, 16) fails (giving 0) unless all four are hex digits
    h = s[i : i + 4]
    return int(h, 16) if _HEX4.fullmatch(h) else 0


def unescape(s: str) -> str:
    """gjson unescape: decode escapes; stops silently at a control character or
    a bad escape; lone surrogates become U+FFFD as Go's UTF-8 encoder does."""
    # Well-formed escapes decode the same in C; the decoder refuses what gjson
    # reads its own way (control characters, bad escapes), and lone
    # surrogates are checked after.
    try:
        out, end = _scanstring(s + '"', 0)
    except ValueError:
        pass
    else:
        if end == len(s) + 1 and not _SURROGATE.search(out):
            return out
    return _unescape_slowly(s)


def _unescape_slowly(s: str) -> str:
    out = []
    i = 0
    n = len(s)
    while True:
        j = s.find("\\", i)
        seg = s[i:] if j < 0 else s[i:j]
        m = _CTRL.search(seg)
        if m is not None:
            out.append(seg[: m.start()])
            break
        out.append(seg)
        if j < 0:
            break
        i = j + 1
        if i >= n:
            break
        c = s[i]
        if c == "u":
            if i + 5 > n:
                break
            r = _rune(s, i + 1)
            i += 5
            if 0xD800 <= r < 0xE000:
                if n - i >= 6 and s[i] == "\\" and s[i + 1] == "u":
                    r2 = _rune(s, i + 2)
                    i += 6
                    if r < 0xDC00 and 0xDC00 <= r2 < 0xE000:
                        r = 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00)
                    else:
                        r = 0xFFFD
                else:
                    r = 0xFFFD
            out.append(chr(r))
            continue
        simple = _SIMPLE_ESCAPES.get(c)
        if simple is None:
            break
        out.append(simple)
        i += 1
    return "".join(out)
