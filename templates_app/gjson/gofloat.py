"""Go's number conversions as gjson uses them.

gjson parses numbers with ``strconv.ParseFloat`` (ignoring the error, so a
malformed number is 0 and an overflowing one is +/-Inf) and prints computed
numbers with ``strconv.FormatFloat(f, 'f', -1, 64)``.  Python's ``float()``
accepts a different language (spaces, signed NaN, no hex), so both directions
are written out here.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from ..gonumber import underscore_ok as _underscore_ok

_SPECIAL_INF = re.compile(r"[+-]?(?:inf|infinity)", re.I)
_SPECIAL_NAN = re.compile(r"nan", re.I)
_DECIMAL = re.compile(r"[+-]?([0-9_]*(?:\.[0-9_]*)?)(?:[eE][+-]?[0-9][0-9_]*)?")
_HEX = re.compile(r"[+-]?0[xX]([0-9a-fA-F_]*(?:\.[0-9a-fA-F_]*)?)[pP][+-]?[0-9][0-9_]*")
_HAS_DIGIT = re.compile(r"[0-9]")
_HAS_HEX_DIGIT = re.compile(r"[0-9a-fA-F]")


def parse_float(s: str) -> float:
    """strconv.ParseFloat(s, 64) with the error dropped, as gjson does."""
    if not s:
        return 0.0
    if _SPECIAL_INF.fullmatch(s):
        return -math.inf if s[0] == "-" else math.inf
    if _SPECIAL_NAN.fullmatch(s):
        return math.nan
    m = _HEX.fullmatch(s)
    if m:
        if not _HAS_HEX_DIGIT.search(m.group(1)):
            return 0.0
        if "_" in s and not _underscore_ok(s):
            return 0.0
        try:
            return float.fromhex(s.replace("_", ""))
        except OverflowError:
            return -math.inf if s[0] == "-" else math.inf
    m = _DECIMAL.fullmatch(s)
    if not m or not _HAS_DIGIT.search(m.group(1)):
        return 0.0
    if "_" in s and not _underscore_ok(s):
        return 0.0
    return float(s.replace("_", ""))


def format_float(f: float) -> str:
    """strconv.FormatFloat(f, 'f', -1, 64): shortest digits, never an exponent."""
    if f != f:
        return "NaN"
    if f in (math.inf, -math.inf):
        return "+Inf" if f > 0 else "-Inf"
    r = repr(f)
    sign = ""
    if r[0] == "-":
        sign, r = "-", r[1:]
    exp = 0
    if "e" in r:
        r, e = r.split("e")
        exp = int(e)
    ip, _, fp = r.partition(".")
    digits = ip + fp
    point = len(ip) + exp
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    digits = stripped.rstrip("0")
    if not digits:
        return sign + "0"
    if point <= 0:
        return sign + "0." + "0" * (-point) + digits
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return sign + digits[:point] + "." + digits[point:]


@lru_cache(maxsize=4096)
def parse_uint_index(s: str) -> int:
    """gjson's parseUint for array indexes, then Go's int(uint64) conversion.

    Returns -1 when the text is not all ASCII digits. Overflow wraps like Go."""
    if not s or not s.isascii() or not s.isdigit():
        return -1
    n = int(s) & 0xFFFFFFFFFFFFFFFF
    return n - (1 << 64) if n >= (1 << 63) else n


def parse_int(s: str) -> tuple[int, bool]:
    """gjson's parseInt: optional '-', ASCII digits, int64 wrap-around."""
    neg = s[:1] == "-"
    body = s[1:] if neg else s
    if not body or not body.isascii() or not body.isdigit():
        return 0, False
    n = int(body) & 0xFFFFFFFFFFFFFFFF
    if neg:
        n = (-n) & 0xFFFFFFFFFFFFFFFF
    return (n - (1 << 64) if n >= (1 << 63) else n), True


def float_to_int64(f: float) -> int:
    """Go's int64(f) as it behaves on amd64 (out of range gives MinInt64)."""
    if f != f or f >= 9.223372036854775807e18 or f < -9.223372036854775808e18:
        return -(1 << 63)
    return int(f)
