"""Deciding whether an array element satisfies a ``#(...)`` query, as gjson does."""

from __future__ import annotations

import operator
from collections.abc import Callable

from .match import match_limit, matcher
from .path import ArrayPath
from .result import FALSE, NUMBER, STRING, TRUE, Result
from .scan import unescape
from .tables import IMPURE, MISSING, RawNum, chain_get, unmark


def _compare_str(op: str, s: str, rpv: str) -> bool:
    if op == "=":
        return s == rpv
    if op == "!=":
        return s != rpv
    if op == "<":
        return s < rpv
    if op == "<=":
        return s <= rpv
    if op == ">":
        return s > rpv
    if op == ">=":
        return s >= rpv
    if op == "%":
        return match_limit(s, rpv)
    if op == "!%":
        return not match_limit(s, rpv)
    return False


def _compare_num(op: str, n: float, rpvn: float) -> bool:
    if op == "=":
        return n == rpvn
    if op == "!=":
        return n != rpvn
    if op == "<":
        return n < rpvn
    if op == "<=":
        return n <= rpvn
    if op == ">":
        return n > rpvn
    if op == ">=":
        return n >= rpvn
    return False


def _compare_bool(op: str, value: bool, rpv: str) -> bool:
    # gjson orders false < true and compares against the query text
    if value:
        if op == "=":
            return rpv == "true"
        if op == "!=":
            return rpv != "true"
        if op == ">":
            return rpv == "false"
        return op == ">="
    if op == "=":
        return rpv == "false"
    if op == "!=":
        return rpv != "false"
    if op == "<":
        return rpv == "true"
    return op == "<="


def query_matches(rp: ArrayPath, value: Result) -> bool:
    """gjson queryMatches for a Result."""
    if rp.tilde:
        return _compare_bool(rp.query_op, value.bool(), rp.rpv) if rp.query_op else True
    if not value.exists:
        return False
    op = rp.query_op
    if op == "":
        return True
    t = value.type
    if t == STRING:
        return _compare_str(op, value.str, rp.rpv)
    if t == NUMBER:
        return _compare_num(op, value.num, rp.rpvn)
    if t == TRUE:
        return _compare_bool(op, True, rp.rpv)
    if t == FALSE:
        return _compare_bool(op, False, rp.rpv)
    return False


def matches_tree(rp: ArrayPath, v: object, esc: bool) -> bool:
    """query_matches for a decoded value (see tables.py); MISSING when absent.

    Saves building a Result per array element on the fast path."""
    op = rp.query_op
    t = type(v)
    if rp.tilde:
        if not op:
            return True
        if v is True:
            b = True
        elif t is str:
            b = _str_of(v, esc).lower() in ("1", "t", "true")
        elif t is RawNum:
            b = float(v) != 0
        else:
            b = False
        return _compare_bool(op, b, rp.rpv)
    if v is MISSING:
        return False
    if op == "":
        return True
    if t is str:
        return _compare_str(op, _str_of(v, esc), rp.rpv)
    if t is RawNum:
        return _compare_num(op, float(v), rp.rpvn)
    if v is True:
        return _compare_bool(op, True, rp.rpv)
    if v is False:
        return _compare_bool(op, False, rp.rpv)
    return False


def _str_of(v: str, esc: bool) -> str:
    return unescape(unmark(v)) if esc and "\x01" in v else v


def nested_get(v: object, nested: tuple, esc: bool) -> object:
    """The decoded value Get(element, "chain.#(inner)") returns (first match
    of the inner query), MISSING, or IMPURE when a real Get is needed."""
    chain, idx, inner = nested
    t = type(v)
    if t is tuple or t is list:
        return _nested_in(v, chain, idx, 0, inner, esc)
    if t is str and ("{" in v or "[" in v):
        return IMPURE
    return MISSING


def nested_rest(x: object, nested: tuple, esc: bool) -> object:
    """nested_get once the first key of the chain has been looked up."""
    chain, idx, inner = nested
    t = type(x)
    if t is tuple or t is list:
        return _nested_in(x, chain, idx, 1, inner, esc)
    return MISSING


def _nested_in(v: tuple | list, chain: tuple[str, ...], idx: tuple[int, ...], i: int, inner: ArrayPath,
               esc: bool) -> object:
    if i == len(chain):
        if type(v) is not list:
            return IMPURE  # gjson would look for a key spelled like the query
        qchain = inner.query_chain
        for x in v:
            tx = type(x)
            if tx is tuple or tx is list:
                if qchain is None:
                    return IMPURE
                y = chain_get(x, qchain, inner.query_idx, esc)
                if y is IMPURE:
                    return IMPURE
                if matches_tree(inner, y, esc):
                    return x
            elif qchain is None and matches_tree(inner, x, esc):
                return x
        return MISSING  # the enclosing object goes on with later duplicates
    key = chain[i]
    if type(v) is tuple:
        for k, x in v:
            if (unescape(unmark(k)) == key) if (esc and "\x01" in k) else (k == key):
                tx = type(x)
                if tx is tuple or tx is list:
                    r = _nested_in(x, chain, idx, i + 1, inner, esc)
                    if r is not MISSING:
                        return r
        return MISSING
    j = idx[i]
    if 0 <= j < len(v):
        x = v[j]
        tx = type(x)
        if tx is tuple or tx is list:
            return _nested_in(x, chain, idx, i + 1, inner, esc)
    return MISSING


_STR_OPS: dict[str, Callable[[str, str], bool]] = {
    "=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}
_NUM_OPS: dict[str, Callable[[float, float], bool]] = {
    "=": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


def select(rp: ArrayPath, values: list[object], esc: bool) -> list[int]:
    """Positions of the decoded values (MISSING: absent) that satisfy the
    query; matches_tree for each, with the comparison chosen once."""
    op = rp.query_op
    if rp.tilde or op not in _OPS_KNOWN:
        return [k for k, v in enumerate(values) if matches_tree(rp, v, esc)]
    if op == "":
        return [k for k, v in enumerate(values) if v is not MISSING]
    rpv = rp.rpv
    rpvn = rp.rpvn
    ops = rp.select_ops
    if ops is None:
        ops = rp.select_ops = _select_ops(op, rpv)
    str_op, num_op, on_true, on_false = ops
    out = []
    for k, v in enumerate(values):
        t = type(v)
        if t is str:
            if esc and "\x01" in v:
                v = unescape(unmark(v))
            if str_op(v, rpv):
                out.append(k)
        elif t is RawNum:
            if num_op is not None and num_op(float(v), rpvn):
                out.append(k)
        elif v is True:
            if on_true:
                out.append(k)
        elif v is False and on_false:
            out.append(k)
    return out


def _select_ops(op: str, rpv: str) -> tuple:
    """(string comparison, number comparison, answer for true, for false) of a query."""
    if op == "%" or op == "!%":
        m = matcher(rpv)
        str_op = (lambda s, _: m(s)) if op == "%" else (lambda s, _: not m(s))
        num_op = None
    else:
        str_op = _STR_OPS[op]
        num_op = _NUM_OPS[op]
    return str_op, num_op, _compare_bool(op, True, rpv), _compare_bool(op, False, rpv)


_OPS_KNOWN = frozenset(["", "=", "!=", "<", "<=", ">", ">=", "%", "!%"])
