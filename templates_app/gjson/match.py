"""Wildcard matching as tidwall/match.MatchLimit does it (used for keys and ``%``).

``*`` matches any run of characters, ``?`` exactly one, ``\\`` escapes.  Go bounds
the work at ``10000 * len(str)`` recursive steps and then reports no match; the
backtracking matcher below counts the same steps.  Patterns without a backslash
and with few stars go through an equivalent compiled regex instead, because
there the step limit cannot be reached for realistic key lengths.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import compress

_MAX_COMPLEXITY = 10000


class _Stop(Exception):
    """Raised when the Go step budget is exhausted (Go then answers 'no match')."""


@lru_cache(maxsize=1024)
def _as_regex(pattern: str) -> re.Pattern[str]:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.S)


def match_limit(s: str, pattern: str) -> bool:
    """match.MatchLimit(s, pattern, 10000) -> matched."""
    if pattern == "*":
        return True
    if "\\" not in pattern:
        stars = pattern.count("*")
        if stars <= 1 or (stars == 2 and len(s) < _MAX_COMPLEXITY):
            return _as_regex(pattern).fullmatch(s) is not None
    slen = len(s.encode("utf-8", "surrogatepass")) if not s.isascii() else len(s)
    budget = [0, slen * _MAX_COMPLEXITY]
    try:
        return _match(s, pattern, budget)
    except _Stop:
        return False


def _match(s: str, pat: str, budget: list[int]) -> bool:
    if budget[0] > budget[1]:
        raise _Stop
    budget[0] += 1
    while pat:
        pc = pat[0]
        if pc == "?":
            if not s:
                return False
            s, pat = s[1:], pat[1:]
            continue
        if pc == "*":
            # collapse repeated stars, a trailing star matches the rest
            while len(pat) > 1 and pat[1] == "*":
                pat = pat[1:]
            if len(pat) == 1:
                return True
            s, pat, ok = _trim_suffix(s, pat)
            if not ok:
                return False
            if len(pat) == 1:
                return True
            # try the rest of the pattern at every position of s
            while True:
                if _match(s, pat[1:], budget):
                    return True
                if not s:
                    return False
                s = s[1:]
        if not s:
            return False
        if pc == "\\":
            pat = pat[1:]
            if not pat:
                return False
            pc = pat[0]
        if s[0] != pc:
            return False
        s, pat = s[1:], pat[1:]
    return not s


def _trim_suffix(s: str, pat: str) -> tuple[str, str, bool]:
    # Go compares the literal tail of the pattern against the tail of the string
    # before recursing; this changes results for a trailing lone backslash.
    while s and len(pat) > 1:
        pc = pat[-1]
        ps = 1
        i = 0
        while pat[len(pat) - ps - i - 1] == "\\":
            i += 1
        esc = False
        if i & 1:
            esc = True
            ps += 1
        if pc == "*" and not esc:
            return s, pat, True
        if not ((pc == "?" and not esc) or pc == s[-1]):
            return s, pat, False
        s = s[:-1]
        pat = pat[: len(pat) - ps]
    return s, pat, True


def matcher(pattern: str) -> Callable[[str], bool]:
    """match_limit(., pattern) as a one-argument function, compiled once."""
    if pattern == "*":
        return lambda s: True
    if "\\" not in pattern and pattern.count("*") <= 1:
        return _Fullmatch(_as_regex(pattern).fullmatch)
    return lambda s: match_limit(s, pattern)


class _Fullmatch:
    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[str], object]) -> None:
        self.fn = fn

    def __call__(self, s: str) -> bool:
        return self.fn(s) is not None


@lru_cache(maxsize=1024)
def key_filter(pattern: str) -> Callable[[list[str]], list[int]]:
    """Positions of the keys that match_limit(key, pattern) accepts, compiled once."""
    if pattern == "*":
        return lambda keys: list(range(len(keys)))
    if "\\" not in pattern and pattern.count("*") <= 1:
        fm = _as_regex(pattern).fullmatch
        return lambda keys: list(compress(range(len(keys)), map(fm, keys)))
    return lambda keys: [k for k, key in enumerate(keys) if match_limit(key, pattern)]
