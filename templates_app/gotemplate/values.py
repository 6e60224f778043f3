"""How Go values are represented while a template runs.

Data arrives as decoded JSON, which Go holds as ``interface{}``: ``map[string]interface{}``
(dict), ``[]interface{}`` (list), ``string`` (str), ``bool``, ``nil`` (None) and ``float64``.
Every JSON number is a float64 in Go, so a Python ``int`` found in the data is treated as
a float64 too; the integers the template itself makes (constants, ``len``, range indexes)
are ``GoInt``, and a byte taken out of a string by ``index`` is ``GoUint8``.

Go strings are bytes. A Python str stands for the UTF-8 encoding of its text, and a byte
that is not valid UTF-8 (made by ``slice``, ``index`` or ``"\\xff"``) is kept as the lone
surrogate U+DC80+byte, as Python's ``surrogateescape`` does.
"""

from __future__ import annotations

import codecs
import re


class GoInt(int):
    """Go's ``int``: what constants, ``len`` and range indexes give."""

    __slots__ = ()


class GoUint8(int):
    """Go's ``uint8`` (``byte``): what ``index`` gives for a string."""

    __slots__ = ()


class _Sentinel:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


# A range variable that holds a nil element of a list or map. Go keeps the element's
# static type interface{}, so a field of it is an error, whereas a missing value is not.
NIL_ELEM = _Sentinel("NIL_ELEM")


def _escape_bytes(err: UnicodeError) -> tuple[bytes, int]:
    # U+DC80..U+DCFF are bytes kept by surrogateescape. Any other lone surrogate can only
    # come from Python's json, which keeps a lone "\ud800" escape where Go's decoder puts
    # U+FFFD: write what Go would hold.
    assert isinstance(err, UnicodeEncodeError)
    out = bytearray()
    for ch in err.object[err.start : err.end]:
        c = ord(ch)
        if 0xDC80 <= c <= 0xDCFF:
            out.append(c - 0xDC00)
        else:
            out += b"\xef\xbf\xbd"
    return bytes(out), err.end


codecs.register_error("gotemplate-bytes", _escape_bytes)


def to_bytes(s: str) -> bytes:
    """The bytes of the Go string ``s`` stands for."""
    try:
        return s.encode("utf-8")
    except UnicodeEncodeError:
        return s.encode("utf-8", "gotemplate-bytes")


def from_bytes(b: bytes) -> str:
    """The str that stands for the Go string of bytes ``b``."""
    return b.decode("utf-8", "surrogateescape")


def byte_len(s: str) -> int:
    if s.isascii():
        return len(s)
    return len(to_bytes(s))


_ESCAPED = re.compile("[\udc80-\udcff]")


def printable_output(s: str) -> str:
    """Rendered text as a valid str: stray bytes become U+FFFD, one per byte as Go's JSON does."""
    if s.isascii():
        return s
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        # Re-join bytes that were split apart and put together again, then mark the rest.
        return _ESCAPED.sub("\ufffd", from_bytes(to_bytes(s)))


_TYPE_NAMES = {
    str: "string",
    bool: "bool",
    float: "float64",
    int: "float64",
    GoInt: "int",
    GoUint8: "uint8",
    complex: "complex128",
    list: "[]interface {}",
    tuple: "[]interface {}",
    dict: "map[string]interface {}",
}


def type_name(v: object) -> str:
    """Go's ``reflect.Type.String()`` of the value (``<nil>`` for nil)."""
    if v is None:
        return "<nil>"
    name = _TYPE_NAMES.get(type(v))
    if name is not None:
        return name
    if isinstance(v, dict):
        return "map[string]interface {}"
    if isinstance(v, (list, tuple)):
        return "[]interface {}"
    return type(v).__name__


def truth(v: object) -> bool:
    """Go's ``template.IsTrue``: the value is not the zero of its type."""
    t = type(v)
    if t is str or t is list or t is dict or t is tuple:
        return len(v) > 0  # type: ignore[arg-type]
    if v is None:
        return False
    if t is bool:
        return v  # type: ignore[return-value]
    if t is float or t is int or t is GoInt or t is GoUint8 or t is complex:
        return v != 0
    if isinstance(v, (str, list, dict, tuple)):
        return len(v) > 0
    return True


# Go's comparison kinds (funcs.go basicKind), and the reflect kind for the others.
K_INVALID, K_BOOL, K_COMPLEX, K_INT, K_FLOAT, K_STRING, K_UINT = range(7)

_KINDS = {
    bool: K_BOOL,
    complex: K_COMPLEX,
    GoInt: K_INT,
    float: K_FLOAT,
    int: K_FLOAT,
    str: K_STRING,
    GoUint8: K_UINT,
}


def basic_kind(v: object) -> int:
    return _KINDS.get(type(v), K_INVALID)


def reflect_kind(v: object) -> str:
    """The reflect.Kind, as far as comparisons of non-basic values need it."""
    if v is None:
        return "invalid"
    if isinstance(v, dict):
        return "map"
    if isinstance(v, (list, tuple)):
        return "slice"
    return type(v).__name__


def is_map(v: object) -> bool:
    return type(v) is dict or isinstance(v, dict)


def is_list(v: object) -> bool:
    t = type(v)
    return t is list or t is tuple or isinstance(v, (list, tuple))


def as_float(v: object) -> float:
    """A data number (float, or an int standing for a float64) as a Python float."""
    try:
        return float(v)  # type: ignore[arg-type]
    except OverflowError:
        return float("inf") if v > 0 else float("-inf")  # type: ignore[operator]


def sorted_keys(m: dict) -> list:
    """Map keys in the order of Go's fmtsort (string keys: byte order)."""
    try:
        return sorted(m)
    except TypeError:
        return sorted(m, key=lambda k: (type(k).__name__, repr(k)))


# Go's JSON decoder builds each array by appending, so its capacity, which ``slice`` may
# reach past the length, is the one append leaves. Elements are 16-byte interfaces.
_SIZE_CLASSES = (
    0,
    8,
    16,
    24,
    32,
    48,
    64,
    80,
    96,
    112,
    128,
    144,
    160,
    176,
    192,
    208,
    224,
    240,
    256,
    288,
    320,
    352,
    384,
    416,
    448,
    480,
    512,
    576,
    640,
    704,
    768,
    896,
    1024,
    1152,
    1280,
    1408,
    1536,
    1792,
    2048,
    2304,
    2688,
    3072,
    3200,
    3456,
    4096,
    4864,
    5376,
    6144,
    6528,
    6784,
    6912,
    8192,
    9472,
    9728,
    10240,
    10880,
    12288,
    13568,
    14336,
    16384,
    18432,
    19072,
    20480,
    21760,
    24576,
    27264,
    28672,
    32768,
)


def _roundup_size(size: int) -> int:
    if size <= 32768:
        for c in _SIZE_CLASSES:
            if c >= size:
                return c
    page = 8192
    return (size + page - 1) // page * page


def go_cap(n: int) -> int:
    """Capacity of a []interface{} of length ``n`` made by appending one at a time (Go 1.19)."""
    cap = 0
    length = 0
    while length < n:
        if length == cap:
            newcap = cap
            doublecap = newcap + newcap
            needed = length + 1
            if needed > doublecap:
                newcap = needed
            else:
                threshold = 256
                if cap < threshold:
                    newcap = doublecap
                else:
                    while 0 < newcap < needed:
                        newcap += (newcap + 3 * threshold) // 4
                    if newcap <= 0:
                        newcap = needed
            cap = _roundup_size(newcap * 16) // 16
            # Skip ahead: nothing changes until the slice is full again.
            length = min(cap, n)
        else:
            length = min(cap, n)
    return cap
