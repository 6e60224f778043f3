"""The value returned by ``get``: gjson's Result with its String()/Float()/Array()."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .gofloat import float_to_int64, format_float, parse_float, parse_int
from .scan import LITERAL_TAIL, NUMBER_TAIL, STRING_TAIL, parse_squash, tostr, unescape

if TYPE_CHECKING:
    from .tables import Node

NULL = "Null"
FALSE = "False"
NUMBER = "Number"
STRING = "String"
TRUE = "True"
JSON = "JSON"

_DIGITS = re.compile(r"-?[0-9]*")
# Array(): gjson's arrayOrMap only reacts to these bytes and steps over the rest.
_ARRAY_ITEM = re.compile(r'[\]}0-9\-{\["ntf]')


class Result:
    """One gjson Result.  ``str`` is Result.String(), ``num`` is Result.Float()."""

    __slots__ = ("type", "raw", "_str", "_num", "_node")

    def __init__(
        self,
        type: str = NULL,
        raw: str = "",
        str: str | None = None,
        num: float | None = None,
        node: Node | None = None,
    ) -> None:
        self.type = type
        self.raw = raw
        self._str = str
        self._num = num
        self._node = node

    @property
    def exists(self) -> bool:
        return self.type != NULL or self.raw != ""

    @property
    def is_array(self) -> bool:
        return self.type == JSON and self.raw[:1] == "["

    @property
    def is_object(self) -> bool:
        return self.type == JSON and self.raw[:1] == "{"

    @property
    def str(self) -> str:
        t = self.type
        if t == STRING:
            s = self._str
            if s is None:
                body = self.raw[1:-1]
                s = unescape(body) if "\\" in body else body
                self._str = s
            return s
        if t == NUMBER:
            raw = self.raw
            if raw and _DIGITS.fullmatch(raw):
                return raw
            return format_float(self._number())
        if t == JSON:
            return self.raw
        if t == TRUE:
            return "true"
        if t == FALSE:
            return "false"
        return ""

    def _number(self) -> float:
        n = self._num
        if n is None:
            n = self._num = parse_float(self.raw)
        return n

    @property
    def num(self) -> float:
        """Result.Float()."""
        t = self.type
        if t == NUMBER:
            return self._number()
        if t == TRUE:
            return 1.0
        if t == STRING:
            return parse_float(self.str)
        return 0.0

    def bool(self) -> bool:
        """Result.Bool()."""
        t = self.type
        if t == TRUE:
            return True
        if t == STRING:
            return self.str.lower() in ("1", "t", "true")
        if t == NUMBER:
            return self._number() != 0
        return False

    def int(self) -> int:
        """Result.Int()."""
        t = self.type
        if t == TRUE:
            return 1
        if t == STRING:
            return parse_int(self.str)[0]
        if t == NUMBER:
            f = self._number()
            if -9007199254740991 <= f <= 9007199254740991:
                return int(f)
            n, ok = parse_int(self.raw)
            return n if ok else float_to_int64(f)
        return 0

    def array(self) -> list[Result]:
        """Result.Array(): elements of an array, [self] for other values, [] for null."""
        if self.type == NULL:
            return []
        if not self.is_array:
            return [self]
        node = self._node
        if node is not None:
            return node.results()
        return array_items(self.raw)

    def get(self, path: str) -> Result:
        """Result.Get(path): the path evaluated against this value's raw text."""
        return _get_in(self.raw, path, self._node)

    def __repr__(self) -> str:
        return f"Result(type={self.type}, raw={self.raw!r})"

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, Result) and (self.type, self.raw, self.str) == (other.type, other.raw, other.str)

    __hash__ = None  # type: ignore[assignment]


EMPTY = Result()


def _get_in(s: str, path: str, node: Node | None) -> Result:
    # engine imports this module, so it cannot be imported at the top; once
    # loaded, engine puts its get_in here (an import per call costs ~0.5 µs)
    from .engine import get_in

    return get_in(s, path, node)


def array_items(raw: str) -> list[Result]:
    """gjson arrayOrMap('[') for a raw that starts with '['."""
    out: list[Result] = []
    i = 1
    n = len(raw)
    search = _ARRAY_ITEM.search
    while i < n:
        m = search(raw, i)
        if m is None:
            break
        i = m.start()
        c = raw[i]
        if c == "]" or c == "}":
            break
        if c == '"':
            m = STRING_TAIL.match(raw, i + 1)
            if m is None:
                r, s = tostr(raw[i:])
                out.append(Result(STRING, r, s))
            else:
                r = raw[i : m.end()]
                out.append(Result(STRING, r))
        elif c == "{" or c == "[":
            end = min(parse_squash(raw, i), n)
            r = raw[i:end]
            out.append(Result(JSON, r))
        elif c == "n" or c == "t" or c == "f":
            r = raw[i : LITERAL_TAIL.match(raw, i + 1).end()]
            out.append(Result(NULL if c == "n" else TRUE if c == "t" else FALSE, r))
        else:
            r = raw[i : NUMBER_TAIL.match(raw, i + 1).end()]
            out.append(Result(NUMBER, r))
        i += len(r)
    return out


__all__ = ["EMPTY", "FALSE", "JSON", "NULL", "NUMBER", "Result", "STRING", "TRUE", "array_items"]
