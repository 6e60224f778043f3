"""Modifiers read from a decoded tree (see tables.py) instead of the text.

``@reverse``, ``@keys``, ``@values``, ``@this``, ``@flatten`` and ``@join``
only rearrange the members of a container; on a well-formed container gjson's
ForEach visits exactly the decoded members, so their output text is joined
from the members' raw texts, and (but for ``@join``) the output comes with a
tree of its own for the rest of the path (no rescan of the new text).
``@pretty`` walks the tree instead of the bytes.
"""

from __future__ import annotations

from .modifiers import _option, modifier_parts, pretty_options
from .pretty import Options
from .tables import _A, Node, _Root, scalar_raw, unmark


def _raws(node: Node) -> list[str]:
    """Raw texts of every member value of a container."""
    raws = node.raws
    if raws is not None:
        return raws
    esc = node.esc
    vals = node.vals
    for v in vals:
        t = type(v)
        if t is tuple or t is list:
            raws = node.raws = node._child_raws()
            return raws
    return [scalar_raw(v, esc) for v in vals]


def _key_raws(node: Node) -> list[str]:
    if node.esc:
        return ['"' + (unmark(k) if _A in k else k) + '"' for k, _ in node.pairs]
    return ['"' + k + '"' for k, _ in node.pairs]


def _array(vals: list, raws: list[str], esc: bool, raw: str | None = None) -> Node:
    node = Node(vals, esc)
    node.raws = raws
    node.raw = "[" + ",".join(raws) + "]" if raw is None else raw
    return node


def _reverse(node: Node, arg: str) -> Node:
    raws = _raws(node)[::-1]
    if not node.is_obj:
        return _array(node.vals[::-1], raws, node.esc)
    out = Node(node.pairs[::-1], node.esc)
    out.raws = raws
    out.raw = "{" + ",".join(map("{}:{}".format, _key_raws(node)[::-1], raws)) + "}"
    return out


def _this(node: Node, arg: str) -> Node:
    return node


def _keys(node: Node, arg: str) -> Node:
    esc = node.esc
    if node.is_obj:
        return _array([k for k, _ in node.pairs], _key_raws(node), esc)
    n = len(node.vals)
    return _array([None] * n, ["null"] * n, esc)


def _values(node: Node, arg: str) -> Node:
    if not node.is_obj:
        return node
    return _array(list(node.vals), list(_raws(node)), node.esc)


def _flat_leaves(node: Node, vals: list, raws: list[str]) -> None:
    # deep: every value that is not an array, in document order
    for k, (v, r) in enumerate(zip(node.vals, _raws(node), strict=True)):
        if type(v) is list:
            _flat_leaves(node.kid(k), vals, raws)
        else:
            vals.append(v)
            raws.append(r)


def _flatten(node: Node, arg: str) -> Node | None:
    if node.is_obj:
        return None
    deep = False
    if arg:
        opt = _option(arg, "deep")
        deep = opt is not None and opt.bool()
    vals: list = []
    raws: list[str] = []
    if deep:
        _flat_leaves(node, vals, raws)
        return _array(vals, raws, node.esc)
    parts = []
    for k, (v, r) in enumerate(zip(node.vals, _raws(node), strict=True)):
        if type(v) is list:
            if v:
                # the inner text as it is, whitespace between members included
                parts.append(r[1:-1].strip(" \t\n\r"))
                vals.extend(v)
                raws.extend(_raws(node.kid(k)))
        else:
            parts.append(r)
            vals.append(v)
            raws.append(r)
    return _array(vals, raws, node.esc, "[" + ",".join(parts) + "]")


def _join(node: Node, arg: str) -> str | None:
    if node.is_obj:
        return None
    preserve = False
    if arg:
        opt = _option(arg, "preserve")
        preserve = opt is not None and opt.bool()
    vals = node.vals
    raws = _raws(node)
    if preserve:
        return "{" + ",".join([r[1:-1] for v, r in zip(vals, raws, strict=True) if type(v) is tuple]) + "}"
    # members of all objects, each key where it first appears with its last value
    order: list[tuple[str, str]] = []
    last: dict[str, str] = {}
    for k, v in enumerate(vals):
        if type(v) is tuple:
            kid = node.kid(k)
            for name, key_raw, raw in zip(kid.keys, _key_raws(kid), _raws(kid), strict=True):
                if name not in last:
                    order.append((name, key_raw))
                last[name] = raw
    return "{" + ",".join([key_raw + ":" + last[name] for name, key_raw in order]) + "}"


class _Pretty:
    """tidwall/pretty's Pretty over a decoded container (see pretty.py for the
    byte-level original): the same output for well-formed ASCII text, where
    widths in bytes are widths in characters."""

    __slots__ = ("buf", "n", "nl", "esc", "prefix", "indent", "sort", "width")

    def __init__(self, esc: bool, opts: Options) -> None:
        self.buf: list[str] = []
        self.n = 0  # characters in buf
        self.nl = 0  # where the current line starts (as the original counts it)
        self.esc = esc
        self.prefix = opts.prefix
        self.indent = opts.indent
        self.sort = opts.sort_keys
        self.width = opts.width

    def put(self, s: str) -> None:
        self.buf.append(s)
        self.n += len(s)

    def value(self, v: object, tabs: int) -> None:
        t = type(v)
        if t is tuple:
            self.obj(v, tabs)
        elif t is list:
            self.arr(v, tabs)
        else:
            self.put(scalar_raw(v, self.esc))

    def compact(self, v: list) -> str | None:
        """The array on one line, None when it holds an object."""
        parts = []
        for x in v:
            t = type(x)
            if t is tuple:
                return None
            if t is list:
                x = self.compact(x)
                if x is None:
                    return None
                parts.append(x)
            else:
                parts.append(scalar_raw(x, self.esc))
        return "[" + ", ".join(parts) + "]"

    def arr(self, v: list, tabs: int) -> None:
        width = self.width
        if width > 0:
            room = width - (self.n - self.nl)
            if room > 3:
                line = self.compact(v)
                if line is not None and len(line) <= room:
                    self.put(line)
                    return
        self.put("[")
        inner = self.prefix + self.indent * (tabs + 1)
        for i, x in enumerate(v):
            if i and width != -1:
                # ", " whose space becomes the newline: the line starts after it
                self.put(",\n")
                self.nl = self.n
            else:
                if i:
                    self.put(",")
                self.nl = self.n
                self.put("\n")
            self.put(inner)
            self.value(x, tabs + 1)
        if v:
            self.nl = self.n
            self.put("\n")
            self.put(self.prefix + self.indent * tabs)
        self.put("]")

    def obj(self, v: tuple, tabs: int) -> None:
        self.put("{")
        inner = self.prefix + self.indent * (tabs + 1)
        esc = self.esc
        sort = self.sort
        start = len(self.buf)
        chunks = []
        for i, (k, x) in enumerate(v):
            if i:
                self.put(",")
            self.nl = self.n
            self.put("\n")
            first = len(self.buf)
            body = unmark(k) if esc and _A in k else k
            self.put(inner + '"' + body + '": ')
            self.value(x, tabs + 1)
            if sort:
                chunks.append((body.encode("utf-8", "surrogatepass"), "".join(self.buf[first:])))
        if sort and chunks:
            chunks.sort(key=_first)
            del self.buf[start:]
            self.buf.append("\n" + ",\n".join(map(_second, chunks)))
        if v:
            self.nl = self.n
            self.put("\n")
            self.put(self.prefix + self.indent * tabs)
        self.put("}")


def _first(pair: tuple) -> bytes:
    return pair[0]


def _second(pair: tuple) -> str:
    return pair[1]


def _pretty(node: Node, arg: str) -> str | None:
    raw = node.raw_text()
    if not raw.isascii():
        return None  # widths are counted in bytes: leave it to the byte-level Pretty
    p = _Pretty(node.esc, pretty_options(arg))
    p.put(p.prefix)
    p.value(node.pairs if node.is_obj else node.vals, 0)
    return "".join(p.buf) + "\n"


_TREE_MODIFIERS = {"reverse": _reverse, "this": _this, "keys": _keys, "values": _values, "flatten": _flatten,
                   "pretty": _pretty, "join": _join}


def tree_modifier(node: Node, path: str) -> tuple[str, Node | str] | None:
    """(rest of path, output) for a modifier read from the tree, else None; the
    output is its tree, or its text when it is not a rearrangement of members."""
    parts = modifier_parts(path)
    if parts is None:
        return None
    fn = _TREE_MODIFIERS.get(parts[0])
    if fn is None:
        return None
    if type(node) is _Root and (node.start or node.end != len(node.text)):
        return None  # gjson's modifier reads the whole text, blanks and trailing bytes too
    out = fn(node, parts[1])
    return None if out is None else (parts[2], out)
