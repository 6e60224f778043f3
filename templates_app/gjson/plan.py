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

from collections.abc import Callable
from functools import lru_cache

from .path import ArrayPath, array_path, plain_chain
from .query import select
from .result import JSON, NULL, NUMBER, Result
from .tables import IMPURE, MISSING, Node, chain_get, derived_array, scalar_raw, type_of, value_result

Plan = Callable[[Node], "Result | None"]


@lru_cache(maxsize=4096)
def compile_path(path: str) -> Plan | None:
    """The compiled form of ``path``, or None when it is not of a compiled shape."""
    i = path.find("#")
    if i < 0 or (i > 0 and path[i - 1] != "."):
        return None
    prefix: tuple[str, ...] = ()
    if i > 0:
        chain = plain_chain(path[: i - 1])
        if chain is None:
            return None
        prefix = chain
    rp = array_path(path[i:])
    if rp.piped:
        return None
    if rp.count:
        if rp.alogok:
            key = plain_chain(rp.alogkey)
            if key is None or rp.alog_split is not None:
                return None
            return _projection_plan(prefix, key)
        return None if rp.more else _count_plan(prefix)
    if not rp.query_on or not rp.arrch or (rp.query_path and rp.query_chain is None):
        return None
    if rp.more and (rp.more_split is not None or rp.more_chain is None):
        return None
    return _query_plan(prefix, rp)


def _array_at(root: Node, prefix: tuple[str, ...]) -> Node | None:
    """The array the prefix leads to (first members of each name), or None."""
    if not prefix:
        return None if root.is_obj else root
    at = root.locate(prefix)
    if at is None:
        return None
    node, j = at
    if type(node.vals[j]) is not list:
        return None  # gjson would go on with a later member of the same name
    return node.kid(j)


def _count_plan(prefix: tuple[str, ...]) -> Plan:
    def run(root: Node) -> Result | None:
        arr = _array_at(root, prefix)
        if arr is None:
            return None
        n = len(arr.vals)
        return Result(NUMBER, str(n), num=float(n))

    return run


def _projection_plan(prefix: tuple[str, ...], key: tuple[str, ...]) -> Plan:
    def run(root: Node) -> Result | None:
        arr = _array_at(root, prefix)
        return None if arr is None else arr.projection_result(key)

    return run


def _query_plan(prefix: tuple[str, ...], rp: ArrayPath) -> Plan:
    qchain = rp.query_chain
    every = rp.query_all
    rest = rp.more_chain if rp.more else None
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
        if not every:
            if not hits:
                return None  # a later member of the same name may hold a match
            k = hits[0]
            if rest is None:
                return value_result(arr, k, NULL)
            x = chain_get(vals[k], rest, rest_idx, esc)
            if x is IMPURE or x is MISSING:
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
        return Result(JSON, raw, node=derived_array(values, acc, esc, raw))

    return run


__all__ = ["compile_path"]
