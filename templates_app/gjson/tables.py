"""Decoded tables for well-formed documents, built once per document.

gjson rescans the text for every path.  A template reads many paths from one
answer, so when the document is well formed we decode it once, with the C
``json`` decoder, into a tree that still carries gjson's raw text:

* escapes inside strings are first replaced by same-length control-character
  markers, so the decoder hands back each string's raw body untouched (and
  the text keeps its length, so positions do not move);
* numbers are kept as their source text (``RawNum``), objects as tuples of
  (key, value) pairs in document order, duplicates included.

When the decoder accepts the marked text, every object and array in it is
well formed (string contents aside, which gjson reads the same way whatever
they hold), so gjson's scan visits exactly these members in this order:
paths are answered from the tree.  The raw text of a nested object or array
is only cut out of the document when a result needs it.  Documents the
decoder refuses (truncated, HTML, single quotes, NaN, ...) are scanned as
gjson does, and so is a plain key path on a document not decoded yet (see
doc_node).
"""

from __future__ import annotations

import json
import re
from operator import itemgetter, methodcaller
from operator import ne as _ne
from weakref import ref as _weakref

from .gofloat import parse_uint_index
from .result import FALSE, JSON, NULL, NUMBER, STRING, TRUE, Result
from .scan import LITERAL_TAIL, NUMBER_TAIL, STRING_TAIL, balanced_pattern, parse_squash, unescape


class RawNum(str):
    """A JSON number as its source text."""

    __slots__ = ()


def _refuse(_: str) -> None:
    # the decoder would accept NaN and Infinity; gjson reads them differently
    raise ValueError("NaN and Infinity are not JSON")


_decode = json.JSONDecoder(
    object_pairs_hook=tuple, parse_int=RawNum, parse_float=RawNum, parse_constant=_refuse, strict=False
).raw_decode
# raw_decode's own scanner, called without raw_decode's Python frame (it
# raises StopIteration where raw_decode raises ValueError)
_scan_once = _decode.__self__.scan_once

# Same-length stand-ins for escapes: "\\\\" -> AA, '\\"' -> AB, other "\\" -> A.
_A = "\x01"
_B = "\x02"
_AA = _A + _A
_AB = _A + _B


def unmark(body: str) -> str:
    """Raw string body from the marked body the decoder returned."""
    return body.replace(_AB, '\\"').replace(_A, "\\")


_k0 = itemgetter(0)
_k1 = itemgetter(1)

# Cutting the member texts out of a well-formed container, needed only when a
# result is a nested object or array (decoded values carry no positions).
_WS = r"[ \t\n\r]*+"
_STR = r'"[^"\\]*+(?:\\[\s\S][^"\\]*+)*+"'
_BRACKETED = balanced_pattern(r"\[{", r"\]}", 24)
_VALUE = rf'(?:{_STR}|{_BRACKETED}|[^ \t\n\r,\]}}\[{{"]++)'
_ELEMENTS = re.compile(rf"({_WS},?{_WS}({_VALUE}))")
_MEMBERS = re.compile(rf"({_WS},?{_WS}{_STR}{_WS}:{_WS}({_VALUE}))")
# the same for a text without backslashes, where a string is simpler to skip
_STR_PLAIN = r'"[^"]*+"'
_BRACKETED_PLAIN = balanced_pattern(r"\[{", r"\]}", 24, _STR_PLAIN)
_VALUE_PLAIN = rf'(?:{_STR_PLAIN}|{_BRACKETED_PLAIN}|[^ \t\n\r,\]}}\[{{"]++)'
_ELEMENTS_PLAIN = re.compile(rf"({_WS},?{_WS}({_VALUE_PLAIN}))")
_MEMBERS_PLAIN = re.compile(rf"({_WS},?{_WS}{_STR_PLAIN}{_WS}:{_WS}({_VALUE_PLAIN}))")
_SKIP_TO_VALUE = re.compile(r'[ \t\n\r,:]*+')
_COLON = re.compile(r"[ \t\n\r]*+:[ \t\n\r]*+").match
_BRACKETED_PLAIN_MATCH = re.compile(_BRACKETED_PLAIN).match
_BRACKETED_MATCH = re.compile(_BRACKETED).match


_CONTAINERS = frozenset((tuple, list))
MISSING = object()  # a path that finds nothing
_UNSET = object()  # not cached yet
IMPURE = object()  # gjson would do more than follow members: use a real Get


class Node:
    """One decoded object or array.

    ``vals`` are the decoded members (str: marked raw body of a string,
    RawNum, True/False/None, tuple: object, list: array); for objects
    ``pairs`` keeps (key, value) in document order.  Keys, the first-position
    index and raw texts are computed on demand."""

    __slots__ = ("is_obj", "vals", "pairs", "_keys", "_first", "esc", "kids", "raw", "raws", "parent",
                 "pidx", "cols", "__weakref__")

    def __init__(self, value: tuple | list, esc: bool, parent: Node | None = None, pidx: int = 0) -> None:
        self.esc = esc
        # weak: the parent caches its kids, and trees must not be cycles (the
        # garbage collector would have to find every dropped document)
        self.parent = None if parent is None else _weakref(parent)
        self.pidx = pidx
        self.kids: list[Node | None] | None = None
        self.raw: str | None = None
        self.raws: list[str] | None = None
        self.cols: dict | None = None
        self._keys: list[str] | None = None
        self._first: dict[str, int] | None = None
        if type(value) is tuple:
            self.is_obj = True
            self.pairs = value
            self.vals = list(map(_k1, value))
        else:
            self.is_obj = False
            self.pairs = None
            self.vals = value

    # ---- structure

    @property
    def keys(self) -> list[str]:
        """Unescaped keys of an object, in document order."""
        keys = self._keys
        if keys is None:
            keys = list(map(_k0, self.pairs))
            if self.esc and _A in "".join(keys):
                keys = [unescape(unmark(k)) if _A in k else k for k in keys]
            self._keys = keys
        return keys

    def index(self, key: str, start: int = 0) -> int:
        """Position of the first member named ``key`` at or after ``start``, or -1."""
        keys = self._keys
        if keys is None:
            keys = self.keys
        if start == 0 and len(keys) > 32:
            # big objects: an index of first positions (small ones: a C-level scan)
            first = self._first
            if first is None:
                first = self._first = dict(zip(reversed(keys), range(len(keys) - 1, -1, -1), strict=True))
            return first.get(key, -1)
        if key in keys:
            return keys.index(key, start) if start == 0 or key in keys[start:] else -1
        return -1

    def kid(self, k: int) -> Node:
        """Node of the k-th value, which must be an object or an array."""
        kids = self.kids
        if kids is None:
            kids = self.kids = [None] * len(self.vals)
        node = kids[k]
        if node is None:
            node = kids[k] = Node(self.vals[k], self.esc, self, k)
        return node

    def results(self) -> list[Result]:
        """Result.Array() of this array."""
        return [value_result(self, k, NULL) for k in range(len(self.vals))]

    # ---- raw text

    def raw_text(self) -> str:
        raw = self.raw
        if raw is None:
            raw = self.raw = self.parent().raw_at(self.pidx)
        return raw

    def raw_at(self, k: int) -> str:
        """gjson's Raw of the k-th value."""
        v = self.vals[k]
        t = type(v)
        if t is tuple or t is list:
            raws = self.raws
            if raws is None:
                if self.is_obj:
                    raw = self._member_raw(k)
                    if raw is not None:
                        return raw
                raws = self.raws = self._child_raws()
            return raws[k]
        return scalar_raw(v, self.esc)

    def _member_raw(self, k: int) -> str | None:
        """The raw text of member k, an object or array, found by its name
        when the name appears once in this object's text (then it is this
        member's key: every quote in valid JSON delimits a string, but for
        one after a backslash, so the quoted name is a whole string); else
        None."""
        key = self.pairs[k][0]
        esc = self.esc
        if esc and _A in key:
            return None  # an escaped name is spelled otherwise in the text
        raw = self.raw_text()
        token = '"' + key + '"'
        if raw.count(token) != 1:
            return None
        p = raw.index(token)
        if esc and raw[p - 1] == "\\":
            return None  # the quote may be escaped, inside another string
        colon = _COLON(raw, p + len(token))
        if colon is None:
            return None
        i = colon.end()
        m = (_BRACKETED_MATCH if esc else _BRACKETED_PLAIN_MATCH)(raw, i)
        return None if m is None else raw[i : m.end()]

    def all_raws(self) -> list[str]:
        """The raw text of every member value."""
        raws = self.raws
        if raws is None:
            raws = self.raws = self._child_raws()
        return raws

    def _child_raws(self) -> list[str]:
        raw = self.raw_text()
        end = len(raw) - 1
        if "\\" in raw:
            parts = (_MEMBERS if self.is_obj else _ELEMENTS).findall(raw, 1, end)
        else:
            parts = (_MEMBERS_PLAIN if self.is_obj else _ELEMENTS_PLAIN).findall(raw, 1, end)
        used = 1 + sum(map(len, map(_k0, parts)))
        # findall skips what it cannot match: the members must cover the body
        if len(parts) == len(self.vals) and (used == end or not raw[used:end].strip(" \t\n\r")):
            return list(map(_k1, parts))
        return self._walk_raws(raw)

    def _walk_raws(self, raw: str) -> list[str]:
        # nesting deeper than the splitting regex: walk with gjson's own skips
        out = []
        i = 1
        for _ in self.vals:
            if self.is_obj:
                i = STRING_TAIL.match(raw, raw.index('"', i) + 1).end()
            i = _SKIP_TO_VALUE.match(raw, i).end()
            c = raw[i]
            if c == '"':
                end = STRING_TAIL.match(raw, i + 1).end()
            elif c == "{" or c == "[":
                end = parse_squash(raw, i)
            elif c in "tfn":
                end = LITERAL_TAIL.match(raw, i + 1).end()
            else:
                end = NUMBER_TAIL.match(raw, i + 1).end()
            out.append(raw[i:end])
            i = end
        return out

    # ---- plain key chains

    def locate(self, chain: tuple[str, ...]) -> tuple[Node, int] | None:
        """(node, position) of Get(this container, "a.b.c") for plain keys,
        following the members gjson's walk would (a failed descent goes on
        with the next member of the same name)."""
        # First try the first member of each name all the way down, in one
        # loop: when that lands, it is where gjson's depth-first walk lands.
        node = self
        last = len(chain) - 1
        for i, key in enumerate(chain):
            vals = node.vals
            if node.is_obj:
                keys = node._keys
                if keys is None:
                    keys = node.keys
                if len(keys) > 32:
                    j = node.index(key)
                    if j < 0:
                        break
                elif key in keys:
                    j = keys.index(key)
                elif node is self:
                    return None
                else:
                    break
            else:
                j = parse_uint_index(key)
                if not 0 <= j < len(vals):
                    break
            if i == last:
                return node, j
            t = type(vals[j])
            if t is not tuple and t is not list:
                break
            kids = node.kids
            nxt = kids[j] if kids is not None else None
            node = nxt if nxt is not None else node.kid(j)
        if node is self and not self.is_obj:
            return None
        return self._walk(chain, 0)  # a later member of the same name may lead on

    def _walk(self, chain: tuple[str, ...], i: int) -> tuple[Node, int] | None:
        key = chain[i]
        vals = self.vals
        if self.is_obj:
            j = self.index(key)
            if j < 0:
                return None
        else:
            j = parse_uint_index(key)
            if not 0 <= j < len(vals):
                return None
        if i + 1 == len(chain):
            return self, j
        while True:
            t = type(vals[j])
            if t is tuple or t is list:
                r = self.kid(j)._walk(chain, i + 1)
                if r is not None:
                    return r
            if not self.is_obj:
                return None
            # gjson goes on with the next member of the same name
            j = self.index(key, j + 1)
            if j < 0:
                return None

    def chain_value(self, k: int, chain: tuple[str, ...], i: int = 0) -> tuple[Node, int] | None:
        """(node, position) where chain_get(vals[k], chain) lands, following
        the same members in the same order; vals[k] is an object or array."""
        return self.kid(k)._walk(chain, i)

    def column(self, chain: tuple[str, ...]) -> list[object] | None:
        """chain_get of every element, cached; None when one needs a real Get."""
        cols = self.cols
        if cols is None:
            cols = self.cols = {}
        col = cols.get(chain, _UNSET)
        if col is not _UNSET:
            return col
        esc = self.esc
        lookups = self._lookups()
        # array indexes of the chain, for walks through arrays
        idx = tuple(map(parse_uint_index, chain)) if lookups is None or len(chain) > 1 else ()
        if lookups is not None:
            # an array of plain objects: first key by dictionary, the rest by walking
            if len(chain) == 1:
                values = _pluck(lookups, chain[0])
            else:
                first = self.column(chain[:1])
                sub = cols.get(("dicts", chain[0]), False)
                if sub is False:
                    sub = cols["dicts", chain[0]] = _dicts(first, esc)
                if sub is not None and len(chain) == 2:
                    # objects in plain objects (``#.address.city``): dictionaries again
                    values = _pluck(sub, chain[1])
                else:
                    values = [x if x is MISSING else _chain_rest(x, chain, idx, esc) for x in first]
            col = values  # dictionaries and walks through objects are never IMPURE
        else:
            values = [chain_get(v, chain, idx, esc) for v in self.vals]
            col = None if IMPURE in values else values
        cols[chain] = col
        return col

    def kinds(self) -> str:
        """"containers" when every value is an object or array, "scalars" when
        none is, else "mixed" (cached)."""
        cols = self.cols
        if cols is None:
            cols = self.cols = {}
        kinds = cols.get("kinds")
        if kinds is None:
            types = set(map(type, self.vals))
            kinds = cols["kinds"] = (
                "containers" if types <= _CONTAINERS else "scalars" if types.isdisjoint(_CONTAINERS) else "mixed")
        return kinds

    def _lookups(self) -> list[dict] | None:
        """For an array whose elements are objects with distinct, unescaped
        keys: a dictionary per element (what gjson finds first), else None."""
        cols = self.cols
        lookups = cols.get("dicts", False)
        if lookups is False:
            lookups = cols["dicts"] = _dicts(self.vals, self.esc)
        return lookups

    def nested_column(self, qpath: str, nested: tuple) -> list[object] | None:
        """Like column, for a query path such as ``tags.#(=="vip")``."""
        from .query import nested_get, nested_rest

        cols = self.cols
        if cols is None:
            cols = self.cols = {}
        key = ("?", qpath)
        col = cols.get(key, _UNSET)
        if col is not _UNSET:
            return col
        esc = self.esc
        lookups = self._lookups() if nested[0] else None
        if lookups is not None:
            first = _pluck(lookups, nested[0][0])
            values = [x if x is MISSING else nested_rest(x, nested, esc) for x in first]
        else:
            values = [nested_get(v, nested, esc) for v in self.vals]
        col = None if IMPURE in values else values
        cols[key] = col
        return col

    def projection_result(self, chain: tuple[str, ...]) -> Result | None:
        """Get(this array, "#.a.b") for a plain chain; None when an element needs a real Get."""
        col = self.column(chain)
        if col is None:
            return None
        made = self.cols.get(("#", chain))
        if made is None:
            # the new array is the same for every path that makes it: keep it
            made = self.cols["#", chain] = self.projection(chain, col)
        return Result(JSON, made.raw, None, None, made)

    def projection(self, chain: tuple[str, ...], col: list[object]) -> Node:
        """Node of the array ``#.a.b`` makes from the column of ``a.b``."""
        values = [v for v in col if v is not MISSING] if MISSING in col else col
        kinds = set(map(type, values))
        if kinds == {str}:
            # strings only (the usual case): one join; raws are cut again if ever needed
            raw = '["' + '","'.join(values) + '"]'
            if self.esc and _A in raw:
                raw = unmark(raw)
        elif kinds == {RawNum}:
            raw = "[" + ",".join(values) + "]"
        else:
            return derived_array(values, self.raws_of(chain, col), self.esc)
        node = Node(values, self.esc)
        node.raw = raw
        return node

    def raws_of(self, chain: tuple[str, ...], col: list[object]) -> list[str]:
        """Raw texts of the found values of a column (containers cut from the text)."""
        esc = self.esc
        out = []
        for k, v in enumerate(col):
            t = type(v)
            if t is str:
                out.append('"' + (unmark(v) if esc and _A in v else v) + '"')
            elif t is RawNum:
                out.append(str.__str__(v))
            elif v is MISSING:
                continue
            elif t is tuple or t is list:
                node, j = self.chain_value(k, chain)
                out.append(node.raw_at(j))
            else:
                out.append(scalar_raw(v, esc))
        return out


def _pluck(lookups: list[dict], key: str) -> list[object]:
    """The value of ``key`` in each dictionary, MISSING where there is none."""
    try:
        return list(map(itemgetter(key), lookups))  # the usual case, three times faster
    except KeyError:
        return list(map(methodcaller("get", key, MISSING), lookups))


def _dicts(vals: list[object], esc: bool) -> list[dict] | None:
    """A dictionary per value when all are objects with distinct, unescaped keys."""
    if vals and all(type(v) is tuple for v in vals):
        # as many entries as pairs: no key repeats, so the last pair is the first
        lookups = list(map(dict, vals))
        if not (any(map(_ne, map(len, lookups), map(len, vals))) or (
                esc and _A in "".join(map("".join, lookups)))):
            return lookups
    return None  # duplicate or escaped keys: walk instead


def chain_get(v: object, chain: tuple[str, ...], idx: tuple[int, ...], esc: bool) -> object:
    """The decoded value Get(element, "a.b.c") lands on, for plain keys.

    MISSING when gjson finds nothing; IMPURE for a string element holding a
    bracket, where gjson's Get would start reading inside the string."""
    t = type(v)
    if t is tuple or t is list:
        return _chain_in(v, chain, idx, 0, esc)
    if t is str and ("{" in v or "[" in v):
        return IMPURE
    return MISSING


def _chain_rest(x: object, chain: tuple[str, ...], idx: tuple[int, ...], esc: bool) -> object:
    # the value of the first key was found; follow the others as gjson would
    t = type(x)
    if t is tuple or t is list:
        return _chain_in(x, chain, idx, 1, esc)
    return MISSING


def _chain_in(v: tuple | list, chain: tuple[str, ...], idx: tuple[int, ...], i: int, esc: bool) -> object:
    key = chain[i]
    last = i + 1 == len(chain)
    if type(v) is tuple:
        # every member with the key, in order: gjson goes on after a failed descent
        for k, x in v:
            if (unescape(unmark(k)) == key) if (esc and _A in k) else (k == key):
                if last:
                    return x
                tx = type(x)
                if tx is tuple or tx is list:
                    r = _chain_in(x, chain, idx, i + 1, esc)
                    if r is not MISSING:
                        return r
        return MISSING
    j = idx[i]
    if 0 <= j < len(v):
        x = v[j]
        if last:
            return x
        tx = type(x)
        if tx is tuple or tx is list:
            return _chain_in(x, chain, idx, i + 1, esc)
    return MISSING


def scalar_raw(v: object, esc: bool) -> str:
    """gjson's Raw of a decoded string, number or literal."""
    t = type(v)
    if t is str:
        return '"' + (unmark(v) if esc and _A in v else v) + '"'
    if t is RawNum:
        return str.__str__(v)
    if v is True:
        return "true"
    if v is False:
        return "false"
    return "null"


def derived_array(values: list[object], raws: list[str], esc: bool, raw: str | None = None) -> Node:
    """Node of an array gjson built from decoded values (raws known)."""
    node = Node(values, esc)
    node.raws = raws
    node.raw = "[" + ",".join(raws) + "]" if raw is None else raw
    return node


def type_of(v: object, stale: str = NULL) -> str:
    t = type(v)
    if t is str:
        return STRING
    if t is RawNum:
        return NUMBER
    if t is tuple or t is list:
        return JSON
    if v is True:
        return TRUE
    if v is False:
        return FALSE
    return stale


def value_result(node: Node, k: int, stale_type: str) -> Result:
    """The Result gjson returns for the k-th value of a decoded container.

    gjson does not set the type when it returns a ``null`` it found, so the
    caller passes the type its context already held (normally Null)."""
    v = node.vals[k]
    t = type(v)
    if t is str:
        if node.esc and _A in v:
            return Result(STRING, '"' + unmark(v) + '"')
        return Result(STRING, '"' + v + '"', v)  # no escapes: the body is the string
    if t is RawNum:
        return Result(NUMBER, str.__str__(v))
    if t is tuple or t is list:
        kid = node.kid(k)
        raw = kid.raw
        if raw is None:
            # the Result may outlive the parent (only weakly referenced): keep the text
            raw = kid.raw = node.raw_at(k)
        return Result(JSON, raw, None, None, kid)
    if v is True:
        return Result(TRUE, "true")
    if v is False:
        return Result(FALSE, "false")
    return Result(stale_type, "null")


class _Root(Node):
    __slots__ = ("text", "start", "end")

    def raw_text(self) -> str:
        raw = self.raw
        if raw is None:
            raw = self.raw = self.text[self.start : self.end]
        return raw


# Documents seen recently, with the tree of their outermost container.
_DOCS: dict[str, Node | int] = {}
_DOC_CACHE_SIZE = 8
_DOC_CACHE_CHARS = 8 << 20
_cached_chars = 0
_LEAD = re.compile(r"[ \t\n\r]*+")
# Documents shorter than this are always scanned (tests raise it to force scanning).
MIN_TABLE_SIZE = 0


def _mark(text: str) -> str:
    """The text with each escape replaced by same-length markers."""
    parts = text.split("\\")
    if len(parts) > 2000:
        # many escapes: three C-level passes beat a Python loop
        return text.replace("\\\\", _AA).replace('\\"', _AB).replace("\\", _A)
    out = [parts[0]]
    n = len(parts)
    i = 1
    while i < n:
        p = parts[i]
        if not p:
            # an escaped backslash: the next part follows it as plain text
            if i + 1 >= n:
                out.append(_A)
                break
            out.append(_AA)
            out.append(parts[i + 1])
            i += 2
            continue
        if p[0] == '"':
            out.append(_AB)
            out.append(p[1:])
        else:
            out.append(_A)
            out.append(p)
        i += 1
    return "".join(out)


def decode_root(text: str) -> Node | None:
    """Tree of the document's outer object or array, or None if it is not well formed."""
    start = _LEAD.match(text).end()
    if start >= len(text) or text[start] not in "{[":
        return None
    esc = "\\" in text
    marked = text
    if esc:
        if _A in text or _B in text:
            return None  # the markers would be ambiguous
        marked = _mark(text)
    try:
        value, end = _scan_once(marked, start)
    except (ValueError, RecursionError, StopIteration):
        return None
    root = _Root(value, esc)
    root.text = text
    root.start = start
    root.end = end
    return root


_UNDECODABLE = -1
# Tests set this to exercise the decoded walker on every path.
DECODE_AT_ONCE = False
# Documents longer than this are scanned for their first plain key paths.
SCAN_FIRST_SIZE = 2048


def doc_node(text: str, scan_is_cheap: bool = False) -> Node | None:
    """The decoded tree of a document, cached; None when it must be scanned.

    A plain key path on a big document not decoded yet is cheaper to scan
    (gjson stops at the key), so decoding waits for a path that reads arrays,
    or for the third path on the same document.  A small document is decoded
    at once: its later paths make up for it."""
    entry = _DOCS.get(text, 0)
    if type(entry) is not int:
        return entry  # a tree, or None for text that is scanned
    if entry == _UNDECODABLE:
        return None
    if scan_is_cheap and entry < 2 and len(text) > SCAN_FIRST_SIZE and not DECODE_AT_ONCE:
        _remember(text, entry + 1)
        return None
    node = decode_root(text)
    _remember(text, node if node is not None else _UNDECODABLE)
    return node


def _remember(text: str, entry: Node | int) -> None:
    global _cached_chars
    if text not in _DOCS:
        _cached_chars += len(text)
        # forget the oldest documents beyond the count or size budget
        while _DOCS and (len(_DOCS) >= _DOC_CACHE_SIZE or _cached_chars > _DOC_CACHE_CHARS):
            try:
                old = next(iter(_DOCS))
                del _DOCS[old]
                _cached_chars -= len(old)
            except (KeyError, RuntimeError, StopIteration):  # another thread got there first
                pass
    _DOCS[text] = entry


# Texts read as JSON lines (gjson's ``..``), with their values as an array.
_LINES: dict[str, Node | None] = {}


def lines_node(text: str) -> Node | None:
    """The values of a text read as JSON lines, as one array, when each value
    is well formed and blanks follow it; else None (then it is scanned).

    gjson reads such a text as the body of an array whose values need no
    commas, so the array it walks holds exactly these values."""
    node = _LINES.get(text, _UNSET)
    if node is _UNSET:
        node = _decode_lines(text)
        if len(_LINES) >= _DOC_CACHE_SIZE:
            _LINES.clear()
        _LINES[text] = node
    return node


def _decode_lines(text: str) -> Node | None:
    esc = "\\" in text
    marked = text
    if esc:
        if _A in text or _B in text:
            return None
        marked = _mark(text)
    values: list[object] = []
    raws: list[str] = []
    blank = _LEAD.match
    n = len(text)
    start = blank(text).end()
    while start < n:
        try:
            value, end = _scan_once(marked, start)
        except (ValueError, RecursionError, StopIteration):
            return None
        values.append(value)
        raws.append(text[start:end])
        start = blank(text, end).end()
        if start == end < n:
            return None  # gjson would read "1x" or "nulltrue" as one value
    return derived_array(values, raws, esc)


def clear_cache() -> None:
    global _cached_chars
    _DOCS.clear()
    _LINES.clear()
    _cached_chars = 0


__all__ = ["IMPURE", "JSON", "MIN_TABLE_SIZE", "MISSING", "Node", "RawNum", "chain_get", "clear_cache",
           "derived_array", "doc_node", "scalar_raw", "type_of", "value_result"]
