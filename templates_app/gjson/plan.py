"""Paths of the shapes templates use most, compiled into one function each.

A CRM answer is mostly read with plain keys down to an array, then one array
operation: ``data.#`` (count), ``data.#.id`` (projection), or a query
``data.#(Phone=="…").id`` / ``data.#(type=="phone")#.value``.  The general
walker (engine.py) re-reads the path at every level and dispatches on every
gjson flag; a path of these shapes is instead read once into a function
that goes straight down the decoded tree and runs its array operation.

The function answers only when the answer is certain: when it lands on a
value, gjson's depth-first walk (which tries members of the same name in
document order) would have landed there first.  Otherwise it returns None
and the general walker answers, so every quirk stays in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .gofloat import parse_uint_index
from .match import key_filter
from .path import ArrayPath, array_path, is_dot_piper_char, plain_chain
from .query import select
from .result import EMPTY, JSON, NULL, NUMBER, Result
from .tables import IMPURE, MISSING, Node, chain_get, derived_array, scalar_raw, type_of, value_result

Plan = Callable[[Node], "Result | None"]
_DOT_PIPE = re.compile(r"\.[@\[{]")


@lru_cache(maxsize=4096)
def compile_path(path: str) -> Plan | None:
    """The compiled form of ``path``, or None when it is not of a compiled shape."""
    if "\\" in path:
        return None
    bar = _top_level_pipe(path)
    m = _DOT_PIPE.search(path)
    if m is not None and (bar < 0 or m.start() < bar) and "#" not in path[: m.start()]:
        # "a.b.@this", "a.[x,y]": gjson reads a dot before a modifier or a
        # multipath as a pipe
        dot = m.start()
        if is_dot_piper_char(path[dot + 1 :]):
            return _pipe_plan(path[:dot], path[dot + 1 :])
    if bar >= 0 and _pipes_there(path, bar):
        return _pipe_plan(path[:bar], path[bar + 1 :])
    if bar >= 0:
        return None
    i = path.find("#")
    if i < 0:
        keys = _keys(path)
        return None if keys is None or not any(keys[1]) else _wild_chain_plan(keys)
    if i > 0 and path[i - 1] != ".":
        return None
    prefix = _keys(path[: i - 1]) if i > 0 else ((), ())
    if prefix is None:
        return None
    rp = array_path(path[i:])
    if rp.piped:
        return None
    if rp.count:
        if rp.alogok:
            if rp.alog_split is not None:
                return None
            key = plain_chain(rp.alogkey)
            if key is not None:
                return _projection_plan(prefix, key)
            sub = compile_path(rp.alogkey)
            return None if sub is None else _each_plan(prefix, sub)
        return None if rp.more else _count_plan(prefix)
    if not rp.query_on or not rp.arrch or (rp.query_path and rp.query_chain is None):
        return None
    sub = None
    if rp.more:
        if rp.more_split is not None:
            return None
        if rp.more_chain is None:
            # the rest is read from each match as a path of its own
            sub = compile_path(rp.more_path)
            if sub is None:
                return None
    return _query_plan(prefix, rp, sub)


def _get_each(arr: Node, positions: list[int] | range, sub: Plan) -> list[Result] | None:
    """Get(element, rest) for the elements at ``positions``, all objects or
    arrays, the rest being compiled; None if one is not certain."""
    vals = arr.vals
    out = []
    for k in positions:
        t = type(vals[k])
        if t is not tuple and t is not list:
            return None  # gjson reads a scalar's own text: left to it
        res = sub(arr.kid(k))
        if res is None:
            return None
        out.append(res)
    return out


def _each_plan(prefix: Keys, sub: Plan) -> Plan:
    """``#.rest`` where the rest is compiled: the found values, as an array."""

    def run(root: Node) -> Result | None:
        arr = _array_at(root, prefix)
        if arr is None:
            return None
        found = _get_each(arr, range(len(arr.vals)), sub)
        if found is None:
            return None
        return Result(JSON, "[" + ",".join([r.raw or r.str for r in found if r.exists]) + "]")

    return run


def _top_level_pipe(path: str) -> int:
    """Index of the first '|' outside parentheses and quotes, or -1."""
    if "|" not in path:
        return -1
    depth = 0
    quoted = False
    for i, c in enumerate(path):
        if c == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return i
    return -1


Keys = tuple[tuple[str, ...], tuple[bool, ...]]


def _keys(text: str) -> Keys | None:
    """(keys, which of them are wildcards) of a dotted chain of keys, else None."""
    parts = tuple(text.split("."))
    for p in parts:
        if not p or p[0] in "@![{" or "#" in p or "|" in p:
            return None
    return parts, tuple("*" in p or "?" in p for p in parts)


def _land(root: Node, keys: Keys) -> tuple[Node, int] | None:
    """(node, position) the chain reaches taking the first member that
    matches each key, or None (gjson might then try later members)."""
    names, wild = keys
    if not any(wild):
        return root.locate(names)
    node = root
    last = len(names) - 1
    for i, key in enumerate(names):
        if not node.is_obj:
            if wild[i]:
                return None
            j = parse_uint_index(key)
            if not 0 <= j < len(node.vals):
                return None
        elif wild[i]:
            found = key_filter(key)(node.keys)
            if not found:
                return None
            j = found[0]
        else:
            j = node.index(key)
            if j < 0:
                return None
        if i == last:
            return node, j
        t = type(node.vals[j])
        if t is not tuple and t is not list:
            return None
        node = node.kid(j)
    return None


def _array_at(root: Node, prefix: Keys) -> Node | None:
    """The array the prefix leads to (first members of each name), or None."""
    names, wild = prefix
    if not names:
        return None if root.is_obj else root
    at = _land(root, prefix) if True in wild else root.locate(names)
    if at is None:
        return None
    node, j = at
    if type(node.vals[j]) is not list:
        return None  # gjson would go on with a later member of the same name
    kids = node.kids
    kid = kids[j] if kids is not None else None
    return kid if kid is not None else node.kid(j)


def _only_route(root: Node, prefix: Keys) -> bool:
    """Whether the prefix leads to one value only: no object on the way has a
    later member that the key also names (gjson would try it next)."""
    names, wild = prefix
    node = root
    last = len(names) - 1
    for i, key in enumerate(names):
        if node.is_obj:
            found = key_filter(key)(node.keys) if wild[i] else [k for k, name in enumerate(node.keys) if name == key]
            if len(found) != 1:
                return False
            j = found[0]
        else:
            j = parse_uint_index(key)
            if not 0 <= j < len(node.vals):
                return False
        if i == last:
            return True
        if type(node.vals[j]) not in (tuple, list):
            return False
        node = node.kid(j)
    return True


def _wild_chain_plan(keys: Keys) -> Plan:
    def run(root: Node) -> Result | None:
        at = _land(root, keys)
        return None if at is None else value_result(at[0], at[1], NULL)

    return run


def _pipes_there(path: str, bar: int) -> bool:
    """Whether gjson reads the '|' at ``bar`` as a pipe applied to what the
    path before it finds (after ``#.``, gjson's own split may skip it)."""
    i = path.find("#")
    if i < 0 or i > bar:
        return True  # keys only: the pipe ends the last key
    rp = array_path(path[i:])
    right = path[bar + 1 :]
    if rp.alogok:
        return rp.alog_split is not None and rp.alog_split[1] == right
    return rp.piped and rp.pipe == right


def _pipe_plan(left: str, right: str) -> Plan | None:
    chain = plain_chain(left)
    first = None if chain is not None else compile_path(left)
    if chain is None and first is None:
        return None
    i = left.find("#")
    if i >= 0:
        rp = array_path(left[i:])
        if rp.query_on and rp.more:
            return None  # gjson takes up the pipe only at a match

    this = right == "@this"  # gives back its input, as Parse reads it

    def run(root: Node) -> Result | None:
        if chain is not None:
            at = root.locate(chain)
            res = None if at is None else value_result(at[0], at[1], NULL)
        else:
            res = first(root)
        # gjson pipes whatever it found; an empty left side is left to it
        if res is None or not res.exists:
            return None
        return res if this else res.get(right)

    return run


def _count_plan(prefix: Keys) -> Plan:
    def run(root: Node) -> Result | None:
        arr = _array_at(root, prefix)
        if arr is None:
            return None
        n = len(arr.vals)
        return Result(NUMBER, str(n), None, float(n))

    return run


def _projection_plan(prefix: Keys, key: tuple[str, ...]) -> Plan:
    def run(root: Node) -> Result | None:
        arr = _array_at(root, prefix)
        return None if arr is None else arr.projection_result(key)

    return run


def _query_plan(prefix: Keys, rp: ArrayPath, sub: Plan | None) -> Plan:
    qchain = rp.query_chain
    every = rp.query_all
    rest = rp.more_chain if rp.more and sub is None else None
    rest_idx = rp.more_idx

    def run(root: Node) -> Result | None:
        arr = _array_at(root, prefix)
        if arr is None:
            return None
        kinds = arr.kinds()
        if qchain is not None:
            col = arr.column(qchain)
            if col is None or kinds != "containers":
                return None
        elif kinds == "scalars":
            col = arr.vals
        else:
            return None
        esc = arr.esc
        hits = select(rp, col, esc)
        vals = arr.vals
        if sub is not None and hits:
            found = _get_each(arr, hits[:1] if not every else hits, sub)
            if found is None:
                return None
            if not every:
                return found[0]  # gjson stops at the first match, found or not
            raws = [r.raw or r.str for r in found]
            return Result(JSON, "[" + ",".join([r for r in raws if r]) + "]")
        if not every:
            if not hits:
                # a later member of the same name may hold a match
                return EMPTY if _only_route(root, prefix) else None
            k = hits[0]
            if rest is None:
                return value_result(arr, k, NULL)
            x = chain_get(vals[k], rest, rest_idx, esc)
            if x is MISSING:
                return EMPTY  # gjson stops at the first match, found or not
            if x is IMPURE:
                return None
            t = type(x)
            if t is tuple or t is list:
                owner, j = arr.chain_value(k, rest)
                return value_result(owner, j, NULL)
            return Result(type_of(x), scalar_raw(x, esc))
        if rest is None:
            values = [vals[k] for k in hits]
            acc = [arr.raw_at(k) for k in hits]
        else:
            # many hits: the whole column (cached for later paths); few: each one
            rest_col = arr.column(rest) if len(hits) * 4 > len(vals) else None
            values = []
            acc = []
            for k in hits:
                x = rest_col[k] if rest_col is not None else chain_get(vals[k], rest, rest_idx, esc)
                if x is MISSING:
                    continue
                if x is IMPURE:
                    return None
                t = type(x)
                if t is tuple or t is list:
                    owner, j = arr.chain_value(k, rest)
                    acc.append(owner.raw_at(j))
                else:
                    acc.append(scalar_raw(x, esc))
                values.append(x)
        raw = "[" + ",".join(acc) + "]"
        return Result(JSON, raw, None, None, derived_array(values, acc, esc, raw))

    return run


__all__ = ["compile_path"]
