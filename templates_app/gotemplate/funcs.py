"""Go's builtin template functions and the four functions of the PBX guide.

A function reports a failure by raising CallError; the executor turns it into Go's
``error calling NAME: ...``. Argument counts and string parameters are checked by the
executor, as Go checks them before the call.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import UTC, datetime, timezone
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from .gofmt import format_value, sprint, sprintf, sprintln
from .nodes import go_trim_space
from .strconv import RangeErr, SyntaxErr, is_print, parse_int, quote
from .values import (
    K_BOOL,
    K_COMPLEX,
    K_FLOAT,
    K_INT,
    K_INVALID,
    K_STRING,
    K_UINT,
    GoInt,
    GoUint8,
    as_float,
    basic_kind,
    byte_len,
    from_bytes,
    go_cap,
    is_list,
    is_map,
    reflect_kind,
    to_bytes,
    truth,
    type_name,
)


class CallError(Exception):
    """The error a template function returns."""


class FuncSpec(NamedTuple):
    """A function as the executor sees it: parameters are 'a' (any value) or 's' (string)."""

    impl: Callable
    params: tuple[str, ...]
    variadic: str | None = None  # type of the ... parameter, if any
    needs_state: bool = False


# -- len, index, slice ------------------------------------------------------------------------


def go_len(item: object) -> GoInt:
    t = type(item)
    if t is str:
        return GoInt(byte_len(item))  # type: ignore[arg-type]
    if t is list or t is dict or t is tuple or is_list(item) or is_map(item):
        return GoInt(len(item))  # type: ignore[arg-type]
    if item is None:
        raise CallError("len of nil pointer")
    raise CallError(f"len of type {type_name(item)}")


def _index_arg(index: object, cap: int) -> int:
    t = type(index)
    if t is GoInt or t is GoUint8:
        x = int(index)  # type: ignore[call-overload]
    elif index is None:
        raise CallError("cannot index slice/array with nil")
    else:
        raise CallError(f"cannot index slice/array with type {type_name(index)}")
    if x < 0 or x > cap:
        raise CallError(f"index out of range: {x}")
    return x


def go_index(item: object, *indexes: object) -> object:
    if item is None:
        raise CallError("index of untyped nil")
    for index in indexes:
        if item is None:
            # An element or map value that holds nil.
            raise CallError("index of nil pointer")
        if isinstance(item, str):
            b = to_bytes(item) if not item.isascii() else None
            n = len(b) if b is not None else len(item)
            x = _index_arg(index, n)
            if x == n:
                raise CallError("reflect: string index out of range")
            item = GoUint8(b[x] if b is not None else ord(item[x]))
        elif is_list(item):
            x = _index_arg(index, len(item))  # type: ignore[arg-type]
            if x == len(item):  # type: ignore[arg-type]
                raise CallError("reflect: slice index out of range")
            item = item[x]  # type: ignore[index]
        elif is_map(item):
            if index is None:
                raise CallError("value is nil; should be of type string")
            if not isinstance(index, str):
                raise CallError(f"value has type {type_name(index)}; should be string")
            item = item.get(index)  # type: ignore[attr-defined]
        else:
            raise CallError(f"can't index item of type {type_name(item)}")
    return item


def go_slice(item: object, *indexes: object) -> object:
    if item is None:
        raise CallError("slice of untyped nil")
    if len(indexes) > 3:
        raise CallError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise CallError("cannot 3-index slice a string")
        b = to_bytes(item) if not item.isascii() else None
        length = cap = len(b) if b is not None else len(item)
    elif is_list(item):
        length = len(item)  # type: ignore[arg-type]
        # A slice may reach past its length up to its capacity, as JSON arrays have.
        cap = go_cap(length)
    else:
        raise CallError(f"can't slice item of type {type_name(item)}")
    idx = [0, length, 0]
    for i, index in enumerate(indexes):
        idx[i] = _index_arg(index, cap)
    if idx[0] > idx[1]:
        raise CallError(f"invalid slice index: {idx[0]} > {idx[1]}")
    if len(indexes) == 3 and idx[1] > idx[2]:
        raise CallError(f"invalid slice index: {idx[1]} > {idx[2]}")
    lo, hi = idx[0], idx[1]
    if isinstance(item, str):
        if b is None:
            return item[lo:hi]
        return from_bytes(b[lo:hi])
    part = list(item[lo:hi])  # type: ignore[index]
    if hi > length:
        part.extend([None] * (hi - max(lo, length)))
    return part


# -- comparisons --------------------------------------------------------------------------------


def _str_lt(a: str, b: str) -> bool:
    if a.isascii() and b.isascii():
        return a < b
    return to_bytes(a) < to_bytes(b)


def _comparable(v: object) -> bool:
    return not (is_list(v) or is_map(v))


def go_eq(arg1: object, *arg2: object) -> bool:
    if not arg2:
        raise CallError("missing argument for comparison")
    k1 = basic_kind(arg1)
    for arg in arg2:
        k2 = basic_kind(arg)
        if k1 != k2:
            if k1 == K_INT and k2 == K_UINT or k1 == K_UINT and k2 == K_INT:
                truth_ = int(arg1) == int(arg)  # type: ignore[call-overload]
            elif arg1 is not None and arg is not None:
                raise CallError("incompatible types for comparison")
            else:
                truth_ = False
        elif k1 == K_FLOAT:
            truth_ = as_float(arg1) == as_float(arg)
        elif k1 != K_INVALID:
            truth_ = arg1 == arg
        else:
            r1, r2 = reflect_kind(arg1), reflect_kind(arg)
            if r1 != r2 and r1 != "invalid" and r2 != "invalid":
                raise CallError(
                    sprintf(
                        "non-comparable types %s: %v, %s: %v", [arg1, type_name(arg1), type_name(arg), arg]
                    )
                )
            if arg1 is None or arg is None:
                truth_ = (arg1 is None) == (arg is None)
            else:
                if not _comparable(arg):
                    raise CallError(sprintf("non-comparable type %s: %v", [arg, type_name(arg)]))
                truth_ = arg1 == arg
        if truth_:
            return True
    return False


def go_ne(arg1: object, arg2: object) -> bool:
    return not go_eq(arg1, arg2)


def go_lt(arg1: object, arg2: object) -> bool:
    k1 = basic_kind(arg1)
    if k1 == K_INVALID:
        raise CallError("invalid type for comparison")
    k2 = basic_kind(arg2)
    if k2 == K_INVALID:
        raise CallError("invalid type for comparison")
    if k1 != k2:
        if k1 == K_INT and k2 == K_UINT:
            return arg1 < 0 or arg1 < arg2  # type: ignore[operator]
        if k1 == K_UINT and k2 == K_INT:
            return arg2 >= 0 and arg1 < arg2  # type: ignore[operator]
        raise CallError("incompatible types for comparison")
    if k1 in (K_BOOL, K_COMPLEX):
        raise CallError("invalid type for comparison")
    if k1 == K_FLOAT:
        return as_float(arg1) < as_float(arg2)
    if k1 == K_STRING:
        return _str_lt(arg1, arg2)  # type: ignore[arg-type]
    return arg1 < arg2  # type: ignore[operator]


def go_le(arg1: object, arg2: object) -> bool:
    return go_lt(arg1, arg2) or go_eq(arg1, arg2)


def go_gt(arg1: object, arg2: object) -> bool:
    return not go_le(arg1, arg2)


def go_ge(arg1: object, arg2: object) -> bool:
    return not go_lt(arg1, arg2)


def go_not(arg: object) -> bool:
    return not truth(arg)


def go_call(fn: object, *args: object) -> object:
    # Data decoded from JSON holds no functions, and Python callables found in data are
    # never called: a template must not run code it was handed.
    if fn is None:
        raise CallError("call of nil")
    raise CallError(f"non-function of type {type_name(fn)}")


# -- escapers -----------------------------------------------------------------------------------


def _eval_args(args: tuple) -> str:
    # fmt.Sprint of the arguments, a nil one printed as Go's "<no value>".
    if len(args) == 1 and type(args[0]) is str:
        return args[0]
    return sprint(["<no value>" if a is None else a for a in args])


_HTML_TABLE = str.maketrans(
    {"\0": "\ufffd", '"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;"}
)


def html_escape(s: str) -> str:
    return s.translate(_HTML_TABLE)


def go_html(*args: object) -> str:
    return html_escape(_eval_args(args))


_JS_SPECIAL = {
    "\\": "\\\\",
    "'": "\\'",
    '"': '\\"',
    "<": "\\u003C",
    ">": "\\u003E",
    "&": "\\u0026",
    "=": "\\u003D",
}


def js_escape(s: str) -> str:
    if s.isascii() and s.isprintable() and not any(c in s for c in "\\'\"<>&="):
        return s
    if not s.isascii():
        s = from_bytes(to_bytes(s))
    out = []
    for ch in s:
        c = ord(ch)
        if c < 0x80:
            rep = _JS_SPECIAL.get(ch)
            if rep is not None:
                out.append(rep)
            elif c < 0x20:
                out.append(f"\\u00{c:02X}")
            else:
                out.append(ch)
        elif 0xDC80 <= c <= 0xDCFF or is_print(c):
            # A stray byte decodes to RuneError, which is printable: Go copies the byte.
            out.append(ch)
        else:
            out.append(f"\\u{c:04X}")
    return "".join(out)


def go_js(*args: object) -> str:
    return js_escape(_eval_args(args))


class _EscapeTable(dict):
    """str.translate table percent-encoding every byte but the unreserved ones.

    ASCII is filled in up front; a non-ASCII character (or a stray byte kept as a lone
    surrogate) is encoded on first use and remembered.
    """

    def __missing__(self, c: int) -> str:
        if 0xDC80 <= c <= 0xDCFF:
            r = f"%{c - 0xDC00:02X}"
        else:
            r = "".join(f"%{b:02X}" for b in chr(c).encode("utf-8", "surrogatepass"))
        if len(self) < 8192:
            self[c] = r
        return r


_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def _escape_table(space: str) -> _EscapeTable:
    t = _EscapeTable({c: chr(c) if c in _UNRESERVED else f"%{c:02X}" for c in range(128)})
    t[32] = space
    return t


_QUERY_TABLE = _escape_table("+")
_PERCENT_TABLE = _escape_table("%20")


def query_escape(s: str) -> str:
    """Go's url.QueryEscape."""
    return s.translate(_QUERY_TABLE)


def go_urlquery(*args: object) -> str:
    return query_escape(_eval_args(args))


def go_print(*args: object) -> str:
    return sprint(list(args))


def go_println(*args: object) -> str:
    return sprintln(list(args))


def go_printf(format: str, *args: object) -> str:
    return sprintf(format, list(args))


# -- the PBX guide's functions ------------------------------------------------------------------

# Characters whose full upper case is several characters but whose simple upper case,
# the one Go's unicode.ToUpper uses, is a single one.
_SIMPLE_UPPER = {0x1FB3: 0x1FBC, 0x1FC3: 0x1FCC, 0x1FF3: 0x1FFC}
for _base in (0x1F80, 0x1F90, 0x1FA0):
    for _k in range(8):
        _SIMPLE_UPPER[_base + _k] = _base + 8 + _k


def _to_upper(ch: str) -> str:
    c = ord(ch)
    if c in _SIMPLE_UPPER:
        return chr(_SIMPLE_UPPER[c])
    up = ch.upper()
    return up if len(up) == 1 else ch


def capitalize(v: object) -> str:
    s = format_value(v)
    if not s:
        return s
    if not s.isascii():
        s = from_bytes(to_bytes(s))
    c = ord(s[0])
    if 0xD800 <= c <= 0xDFFF or c == 0xFFFD:
        return s  # RuneError: Go leaves the text as it is
    return _to_upper(s[0]) + s[1:]


def url_encode(v: object) -> str:
    # url.QueryEscape with "+" turned into "%20": plain percent-encoding of every byte
    # but the unreserved ones (a "+" in the text was already escaped as %2B).
    return format_value(v).translate(_PERCENT_TABLE)


def _float_to_int64(f: float) -> int:
    # Go's int64(f) on amd64: out of range (or NaN) gives the "integer indefinite" value.
    if math.isnan(f) or f >= 2.0**63 or f < -(2.0**63):
        return -(1 << 63)
    return int(f)


def _wrap_int64(n: int) -> int:
    return ((n + (1 << 63)) & ((1 << 64) - 1)) - (1 << 63)


def seconds(v: object) -> int:
    """A Unix timestamp given as a JSON number or a decimal string."""
    t = type(v)
    if t is float or (t is int) or (isinstance(v, (int, float)) and t not in (bool, GoInt, GoUint8)):
        return _float_to_int64(as_float(v))
    if isinstance(v, str):
        if v.isascii() and v.isdigit() and len(v) < 19:
            return int(v)  # the common case: plain digits, which cannot overflow int64
        try:
            return parse_int(go_trim_space(v), 10)
        except (SyntaxErr, RangeErr):
            raise CallError(f"not a Unix timestamp: {quote(v)}") from None
    raise CallError(f"not a Unix timestamp: {format_value(v)}")


def to_millis(v: object) -> str:
    return str(_wrap_int64(seconds(v) * 1000))


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo | timezone:
    if name in ("", "UTC", "Local"):
        return UTC
    try:
        return ZoneInfo(name)
    except Exception:  # zoneinfo raises several kinds for a bad key
        raise CallError(f"unknown time zone {name}") from None


_UNIX_TO_INTERNAL = 62135596800
_INTERNAL_TO_ABSOLUTE = 9223371966579724800
_ABSOLUTE_ZERO_YEAR = -292277022399
_DAYS_BEFORE = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365)
_U64 = (1 << 64) - 1
_MIN_TS, _MAX_TS = -62135596800 + 86400, 253402300799 - 86400


_SECONDS_PER_400_YEARS = 146097 * 86400  # a whole number of weeks: the calendar repeats


def _offset(n: int, zone: ZoneInfo | timezone) -> int:
    if zone is UTC:
        return 0
    # Go applies a zone's rules to any year; Python's datetime stops at 1..9999. Moving by
    # whole 400-year cycles keeps weekdays and leap years, hence the zone's offset.
    if n > _MAX_TS:
        n -= -(-(n - _MAX_TS) // _SECONDS_PER_400_YEARS) * _SECONDS_PER_400_YEARS
    elif n < _MIN_TS:
        n += -(-(_MIN_TS - n) // _SECONDS_PER_400_YEARS) * _SECONDS_PER_400_YEARS
    off = datetime.fromtimestamp(n, tz=zone).utcoffset()
    return int(off.total_seconds()) if off is not None else 0


def _is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def _civil(n: int, offset: int) -> tuple[int, int, int, int, int, int]:
    # Go's time.absDate/absClock, unsigned wrap-around included.
    sec = _wrap_int64(n + offset)
    abs_ = _wrap_int64(sec + (_UNIX_TO_INTERNAL + _INTERNAL_TO_ABSOLUTE)) & _U64
    d = abs_ // 86400
    q = d // 146097
    y = 400 * q
    d -= 146097 * q
    q = d // 36524
    q -= q >> 2
    y += 100 * q
    d -= 36524 * q
    q = d // 1461
    y += 4 * q
    d -= 1461 * q
    q = d // 365
    q -= q >> 2
    y += q
    d -= 365 * q
    year = _wrap_int64(y + _ABSOLUTE_ZERO_YEAR)
    day = d
    month = 0
    if _is_leap(year) and day == 31 + 29 - 1:
        month, day = 2, 29
    else:
        if _is_leap(year) and day > 31 + 29 - 1:
            day -= 1
        m = day // 31
        end = _DAYS_BEFORE[m + 1]
        if day >= end:
            m += 1
            begin = end
        else:
            begin = _DAYS_BEFORE[m]
        month = m + 1
        day = day - begin + 1
    clock = abs_ % 86400
    return year, month, day, clock // 3600, clock % 3600 // 60, clock % 60


def _append_int(x: int, width: int) -> str:
    s = str(abs(x)).rjust(width, "0")
    return "-" + s if x < 0 else s


_TOKENS = ("yyyy", "SSS", "yy", "MM", "dd", "HH", "hh", "mm", "ss")


def time_format(tz: str, ts: object, layout: str, utc: str) -> str:
    n = seconds(ts)
    zone = UTC if utc == "1" else _zone(tz)
    year, month, day, hour, minute, sec = _civil(n, _offset(n, zone))
    out = []
    i = 0
    while i < len(layout):
        for tok in _TOKENS:
            if layout.startswith(tok, i):
                if tok == "yyyy":
                    out.append(_append_int(year, 4))
                elif tok == "SSS":
                    out.append("000")  # time.Unix(n, 0) has no fraction
                elif tok == "yy":
                    out.append(_append_int(abs(year) % 100, 2))
                elif tok == "MM":
                    out.append(_append_int(month, 2))
                elif tok == "dd":
                    out.append(_append_int(day, 2))
                elif tok == "HH":
                    out.append(_append_int(hour, 2))
                elif tok == "hh":
                    out.append(_append_int(hour % 12 or 12, 2))
                elif tok == "mm":
                    out.append(_append_int(minute, 2))
                else:
                    out.append(_append_int(sec, 2))
                i += len(tok)
                break
        else:
            out.append(layout[i])
            i += 1
    return "".join(out)


BUILTINS: dict[str, FuncSpec] = {
    "and": FuncSpec(None, ("a",), "a"),  # type: ignore[arg-type]  # short-circuit, done by the executor
    "or": FuncSpec(None, ("a",), "a"),  # type: ignore[arg-type]
    "call": FuncSpec(go_call, ("a",), "a"),
    "html": FuncSpec(go_html, (), "a"),
    "index": FuncSpec(go_index, ("a",), "a"),
    "slice": FuncSpec(go_slice, ("a",), "a"),
    "js": FuncSpec(go_js, (), "a"),
    "len": FuncSpec(go_len, ("a",)),
    "not": FuncSpec(go_not, ("a",)),
    "print": FuncSpec(go_print, (), "a"),
    "printf": FuncSpec(go_printf, ("s",), "a"),
    "println": FuncSpec(go_println, (), "a"),
    "urlquery": FuncSpec(go_urlquery, (), "a"),
    "eq": FuncSpec(go_eq, ("a",), "a"),
    "ge": FuncSpec(go_ge, ("a", "a")),
    "gt": FuncSpec(go_gt, ("a", "a")),
    "le": FuncSpec(go_le, ("a", "a")),
    "lt": FuncSpec(go_lt, ("a", "a")),
    "ne": FuncSpec(go_ne, ("a", "a")),
}

PBX_FUNCS: dict[str, FuncSpec] = {
    "Capitalize": FuncSpec(capitalize, ("a",)),
    "UrlEncode": FuncSpec(url_encode, ("a",)),
    "ToMillis": FuncSpec(to_millis, ("a",)),
    "TimeFormat": FuncSpec(time_format, ("a", "s", "s"), needs_state=True),
}

FUNCS: dict[str, FuncSpec] = {**BUILTINS, **PBX_FUNCS}
FUNC_NAMES = frozenset(FUNCS)
