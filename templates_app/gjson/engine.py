"""gjson.Get: walking a path through JSON text.

Two walkers give the same answers.  The scanning walker follows gjson's own
loops over the text (so any input, however broken, gives gjson's answer).  The
table walker reads a document decoded once and cached (see tables.py), for
documents the C decoder accepts.  Both share the path parsing, the query
matching and the context rules, including gjson's quirks: an object member
search resumes after a failed descent, ``#(...)#`` with no match sets ``[]``
only if nothing was found before, a ``null`` found keeps the type the context
had, and so on.
"""

from __future__ import annotations

import re
from functools import lru_cache

from . import result as _result_module
from .match import key_filter, match_limit
from .modifiers import append_json_string, exec_modifier, exec_static, parse, parse_any
from .path import ArrayPath, array_path, is_simple_name, name_of_last, object_path, plain_chain, sub_selectors
from .plan import Plan, compile_path
from .query import matches_tree, query_matches, select
from .result import EMPTY, FALSE, JSON, NULL, NUMBER, STRING, TRUE, Result
from .scan import LITERAL_TAIL, NUMBER_TAIL, STRING_TAIL, balanced_pattern, parse_squash, unescape
from .tables import (
    _DOCS,
    IMPURE,
    MIN_TABLE_SIZE,
    MISSING,
    Node,
    _Root,
    chain_get,
    derived_array,
    doc_node,
    lines_node,
    scalar_raw,
    type_of,
    value_result,
)
from .treemods import tree_modifier
from .valid import valid


class _Ctx:
    """gjson parseContext: the value found so far and a pending pipe."""

    __slots__ = ("value", "pipe", "piped")

    def __init__(self) -> None:
        self.value = EMPTY
        self.pipe = ""
        self.piped = False


# In an object: skip to the next key quote or the closing brace, read the key,
# then skip to the first byte that can start a value (gjson ignores the rest).
_MEMBER = re.compile(r'[^"}]*+(?:(\})|"([^"\\]*+(?:\\[\s\S][^"\\]*+)*+)"[^"{\[ntf+\-0-9iIN]*+)')
# In an array: skip to the first byte that can start a value, or ']'.
_ARRAY_NEXT = re.compile(r'[^"{\[ntf+\-0-9iIN\]]*+')
_FIRST_CONTAINER = re.compile(r"[{\[]")

# Well-formed members, whatever gjson would do with them, are skipped by one
# regex: a key without escapes, a colon, then a string, a bracketed value as
# parse_squash skips it, or a number or literal ending where gjson's would.
_WS = r"[ \t\n\r]*+"
_SQUASHED = balanced_pattern(r"\[{(", r"\]})", 6)  # deeper values are left to the loop
_SKIP_VALUE = (
    rf'(?:"[^"\\]*+(?:\\[\s\S][^"\\]*+)*+"|(?=[\[{{]){_SQUASHED}'
    r"|(?:-?[0-9]++(?:\.[0-9]++)?(?:[eE][-+]?[0-9]++)?|true|false|null)(?=[ \t\n\r,}]))"
)
_SKIPPERS: dict = {}
_NO_SKIP = re.compile("").match


def _skipper(key: str):
    """match(s, i) passing over the well-formed members not named ``key``.

    The regex is compiled per key (about half a millisecond), so only for a
    key of ordinary length met a second time (template paths are read again
    and again, stray keys are not worth it); at most 512 keys are remembered."""
    m = _SKIPPERS.get(key)
    if m is None:
        if len(key) > 64:
            return _NO_SKIP
        if len(_SKIPPERS) >= 512:
            _SKIPPERS.clear()
        _SKIPPERS[key] = _NO_SKIP
        return _NO_SKIP
    if m is _NO_SKIP:
        m = _SKIPPERS[key] = re.compile(
            rf'(?:[ \t\n\r,]*+"(?!{re.escape(key)}")[^"\\]*+"{_WS}:{_WS}{_SKIP_VALUE})*+').match
    return m


_BLANKS = re.compile(r"[ \t\r\n]*+")


# ---------------------------------------------------------------- scanning walker


def parse_object(ctx: _Ctx, s: str, i: int, path: str) -> tuple[int, bool]:
    """gjson parseObject: s[i] is just after '{'. Returns (next index, found)."""
    rp = object_path(path)
    if not rp.more and rp.piped:
        ctx.pipe = rp.pipe
        ctx.piped = True
    part = rp.part
    wild = rp.wild
    more = rp.more
    n = len(s)
    member = _MEMBER.match
    if not wild:
        i = _skipper(part)(s, i).end()
    while i < n:
        m = member(s, i)
        if m is None:
            return n, False
        key = m.group(2)
        if key is None:
            return m.end(), False
        if "\\" in key:
            key = unescape(key)
        pmatch = match_limit(key, part) if wild else key == part
        hit = pmatch and not more
        i = m.end()
        if i >= n:
            return n, False
        c = s[i]
        if c == '"':
            m = STRING_TAIL.match(s, i + 1)
            if m is None:
                return n, False
            end = m.end()
            if hit:
                ctx.value = Result(STRING, s[i:end])
                return end, True
            i = end
        elif c == "{" or c == "[":
            if pmatch and not hit:
                i, found = (parse_object if c == "{" else parse_array)(ctx, s, i + 1, rp.path)
                if found:
                    return i, True
            else:
                end = parse_squash(s, i)
                if hit:
                    ctx.value = Result(JSON, s[i:end])
                    return end, True
                i = end
        elif c == "t" or c == "f" or (c == "n" and (i + 1 >= n or s[i + 1] == "u")):
            end = LITERAL_TAIL.match(s, i + 1).end()
            if hit:
                t = TRUE if c == "t" else FALSE if c == "f" else ctx.value.type
                ctx.value = Result(t, s[i:end])
                return end, True
            i = end
        else:
            end = NUMBER_TAIL.match(s, i + 1).end()
            if hit:
                ctx.value = Result(NUMBER, s[i:end])
                return end, True
            i = end
    return i, False


def _proc_query(ctx: _Ctx, rp: ArrayPath, qval: Result, acc: list[str] | None) -> bool:
    """gjson procQuery for one element; True when a single-result query is done."""
    if qval.type == JSON:
        res = qval.get(rp.query_path)
    else:
        if rp.query_path != "":
            return False
        res = qval
    if not query_matches(rp, res):
        return False
    if rp.more:
        sp = rp.more_split
        if sp is not None:
            ctx.pipe = sp[1]
            ctx.piped = True
            res = qval.get(sp[0])
        else:
            res = qval.get(rp.path)
    else:
        res = qval
    if acc is None:
        ctx.value = res
        return True
    raw = res.raw or res.str
    if raw:
        acc.append(raw)
    return False


def parse_array(ctx: _Ctx, s: str, i: int, path: str) -> tuple[int, bool]:
    """gjson parseArray: s[i] is just after '[' (or 0 for JSON lines)."""
    rp = array_path(path)
    if not rp.more and rp.piped:
        ctx.pipe = rp.pipe
        ctx.piped = True
    n = len(s)
    arrch = rp.arrch
    partidx = rp.partidx
    more = rp.more
    query_on = rp.query_on
    alog: list[int] | None = [] if rp.alogok else None
    acc: list[str] | None = [] if rp.query_all else None
    pmatch = hit = False
    h = 0
    nxt = _ARRAY_NEXT.match
    while i <= n:
        if not arrch:
            pmatch = partidx == h
            hit = pmatch and not more
        h += 1
        if alog is not None:
            alog.append(i)
        if i < n:
            i = nxt(s, i).end()
        c = s[i] if i < n else "]"
        if c == '"':
            m = STRING_TAIL.match(s, i + 1)
            if m is None:
                return n, False
            end = m.end()
            if query_on:
                if _proc_query(ctx, rp, Result(STRING, s[i:end]), acc):
                    return end, True
            elif hit:
                ctx.value = Result(STRING, s[i:end])
                return end, True
            i = end
        elif c == "{" or c == "[":
            if pmatch and not hit:
                i, found = (parse_object if c == "{" else parse_array)(ctx, s, i + 1, rp.path)
                if found:
                    return i, True
            else:
                end = parse_squash(s, i)
                if query_on:
                    if _proc_query(ctx, rp, Result(JSON, s[i:end]), acc):
                        return end, True
                elif hit:
                    ctx.value = Result(JSON, s[i:end])
                    return end, True
                i = end
        elif c == "]":
            if rp.count:
                if alog is not None:
                    _projection_scan(ctx, rp, s, alog)
                else:
                    ctx.value = Result(NUMBER, str(h - 1), None, float(h - 1))
                return i + 1, True
            if acc is not None and not ctx.value.exists:
                ctx.value = Result(JSON, "[" + ",".join(acc) + "]")
            return i + 1, False
        elif c == "t" or c == "f" or (c == "n" and (i + 1 >= n or s[i + 1] == "u")):
            end = LITERAL_TAIL.match(s, i + 1).end()
            if query_on:
                if _proc_query(ctx, rp, Result(TRUE if c == "t" else FALSE if c == "f" else NULL, s[i:end]), acc):
                    return end, True
            elif hit:
                t = TRUE if c == "t" else FALSE if c == "f" else ctx.value.type
                ctx.value = Result(t, s[i:end])
                return end, True
            i = end
        else:
            end = NUMBER_TAIL.match(s, i + 1).end()
            if query_on:
                if _proc_query(ctx, rp, Result(NUMBER, s[i:end]), acc):
                    return end, True
            elif hit:
                ctx.value = Result(NUMBER, s[i:end])
                return end, True
            i = end
    return i, False


def _alog_key(ctx: _Ctx, rp: ArrayPath) -> str:
    sp = rp.alog_split
    if sp is None:
        return rp.alogkey
    ctx.pipe = sp[1]
    ctx.piped = True
    return sp[0]


def _projection_scan(ctx: _Ctx, rp: ArrayPath, s: str, alog: list[int]) -> None:
    """``#.key``: gjson re-reads each element from where the previous one ended."""
    key = _alog_key(ctx, rp)
    n = len(s)
    out = []
    for idx in alog:
        idx = _BLANKS.match(s, idx).end()
        if idx < n and s[idx] != "]":
            _, res, ok = parse_any(s, idx)
            if ok:
                res = res.get(key)
                if res.exists:
                    out.append(res.raw or res.str)
    ctx.value = Result(JSON, "[" + ",".join(out) + "]")


# ---------------------------------------------------------------- table walker
#
# The same walk over decoded containers (see tables.py).  Objects and arrays
# are tuples and lists there; a member gjson would find is found by position.


def object_table(ctx: _Ctx, node: Node, path: str) -> bool:
    rp = object_path(path)
    if not rp.more and rp.piped:
        ctx.pipe = rp.pipe
        ctx.piped = True
    if not rp.wild:
        part = rp.part
        k = node.index(part)
        if k < 0:
            return False
        if not rp.more:
            ctx.value = value_result(node, k, ctx.value.type)
            return True
        vals = node.vals
        while True:
            t = type(vals[k])
            if t is tuple:
                if object_table(ctx, node.kid(k), rp.path):
                    return True
            elif t is list and array_table(ctx, node.kid(k), rp.path):
                return True
            # gjson goes on with the next member of the same name
            k = node.index(part, k + 1)
            if k < 0:
                return False
    found = key_filter(rp.part)(node.keys)
    if not rp.more:
        if found:
            ctx.value = value_result(node, found[0], ctx.value.type)
            return True
        return False
    vals = node.vals
    for k in found:
        t = type(vals[k])
        if t is tuple:
            if object_table(ctx, node.kid(k), rp.path):
                return True
        elif t is list and array_table(ctx, node.kid(k), rp.path):
            return True
    return False


def array_table(ctx: _Ctx, node: Node, path: str) -> bool:
    rp = array_path(path)
    if not rp.more and rp.piped:
        ctx.pipe = rp.pipe
        ctx.piped = True
    if rp.query_on:
        return _query_table(ctx, node, rp)
    if rp.arrch:
        if rp.count:
            if rp.alogok:
                _projection_table(ctx, node, rp)
            else:
                n = len(node.vals)
                ctx.value = Result(NUMBER, str(n), None, float(n))
            return True
        return False
    k = rp.partidx
    vals = node.vals
    if 0 <= k < len(vals):
        if not rp.more:
            ctx.value = value_result(node, k, ctx.value.type)
            return True
        t = type(vals[k])
        if t is tuple:
            return object_table(ctx, node.kid(k), rp.path)
        if t is list:
            return array_table(ctx, node.kid(k), rp.path)
    return False


def _element_get(node: Node, k: int, path: str) -> Result:
    """Get(element k, path): gjson runs a new Get on the element's own text."""
    t = type(node.vals[k])
    if t is tuple or t is list:
        return get_in(None, path, node.kid(k))
    return get_in(node.raw_at(k), path, None)


def _projection_table(ctx: _Ctx, node: Node, rp: ArrayPath) -> None:
    key = _alog_key(ctx, rp)
    chain = plain_chain(key)
    res = node.projection_result(chain) if chain is not None else None
    if res is None:
        res = Result(JSON, "[" + ",".join(_projected_raws(node, key)) + "]")
    ctx.value = res


def _projected_raws(node: Node, key: str) -> list[str]:
    """Get(element, key) of every element, for a key that is not a plain chain."""
    vals = node.vals
    if key == "@this":
        # each element as it is (the modifier returns its text, Parse reads it whole)
        return node.all_raws() if node.kinds() != "scalars" else [scalar_raw(v, node.esc) for v in vals]
    rk = object_path(key)
    wild = rk.wild and not rk.more and not rk.piped and rk.part == key
    if wild:
        pick = key_filter(key)
    out = []
    for k in range(len(vals)):
        v = vals[k]
        t = type(v)
        if wild and t is tuple:
            # an object: its first member whose name matches
            kid = node.kid(k)
            found = pick(kid.keys)
            if found:
                out.append(kid.raw_at(found[0]))
            continue
        if wild and t is not list and not (t is str and ("{" in v or "[" in v)):
            continue  # gjson finds no object to read in a number, literal or plain string
        res = _element_get(node, k, key)
        if res.exists:
            out.append(res.raw or res.str)
    return out


def _query_table(ctx: _Ctx, node: Node, rp: ArrayPath) -> bool:
    vals = node.vals
    esc = node.esc
    qpath = rp.query_path
    chain = rp.query_chain
    if chain is not None:
        col = node.column(chain)
    elif rp.query_nested is not None:
        col = node.nested_column(qpath, rp.query_nested)
    else:
        col = None
    kinds = node.kinds()
    if col is not None and kinds == "containers":
        hits: list[int] | None = select(rp, col, esc)
    elif qpath == "" and kinds == "scalars":
        hits = select(rp, vals, esc)
    else:
        hits = None
    every = rp.query_all
    acc: list[str] = []
    values: list[object] | None = []  # None once a value did not come from the tree
    rest_chain = rp.more_chain
    rest_idx = rp.more_idx
    rest_col = None
    for k in (range(len(vals)) if hits is None else hits):
        v = vals[k]
        if hits is None:
            t = type(v)
            if t is tuple or t is list:
                if col is not None:
                    ok = matches_tree(rp, col[k], esc)
                else:
                    ok = query_matches(rp, _element_get(node, k, qpath))
            else:
                if qpath != "":
                    continue
                ok = matches_tree(rp, v, esc)
            if not ok:
                continue
        if not rp.more:
            if not every:
                ctx.value = value_result(node, k, NULL)
                return True
            acc.append(node.raw_at(k))
            if values is not None:
                values.append(v)
            continue
        sp = rp.more_split
        if sp is not None:
            ctx.pipe = sp[1]
            ctx.piped = True
        if rest_chain is None:
            x = IMPURE
        elif every and (hits is None or len(hits) * 4 > len(vals)):
            # many hits: the whole column (cached: later paths reuse it); few: each one
            if rest_col is None:
                rest_col = node.column(rest_chain)
                if rest_col is None:
                    rest_chain = None
            x = rest_col[k] if rest_col is not None else IMPURE
        else:
            x = chain_get(v, rest_chain, rest_idx, esc)
        if x is IMPURE:
            res = _element_get(node, k, rp.more_path)
            if not every:
                ctx.value = res
                return True
            values = None
            raw = res.raw or res.str
            if raw:
                acc.append(raw)
            continue
        if x is MISSING:
            if not every:
                ctx.value = EMPTY
                return True
            continue
        tx = type(x)
        if tx is tuple or tx is list:
            owner, j = node.chain_value(k, rest_chain)
            if not every:
                ctx.value = value_result(owner, j, NULL)
                return True
            acc.append(owner.raw_at(j))
        else:
            if not every:
                return _found(ctx, x, esc)
            acc.append(scalar_raw(x, esc))
        if values is not None:
            values.append(x)
    if every and not ctx.value.exists:
        raw = "[" + ",".join(acc) + "]"
        ctx.value = Result(JSON, raw, None, None, derived_array(values, acc, esc, raw) if values is not None else None)
    return False


def _found(ctx: _Ctx, v: object, esc: bool) -> bool:
    ctx.value = Result(type_of(v), scalar_raw(v, esc))
    return True


# ---------------------------------------------------------------- Get


def _multipath(s: str, kind: str, sels: tuple[tuple[str, str], ...], rest: str, node: Node | None) -> Result:
    """``[a,b]`` / ``{a,"n":b}``: a new array or object of the selected values."""
    parts = []
    for name, spath in sels:
        res = get_in(s, spath, node)
        if not res.exists:
            continue
        raw = res.raw
        if not raw:
            raw = res.str or "null"
        if kind == "{":
            if name:
                key = name if name[0] == '"' and valid(name) else append_json_string(name)
            else:
                last = name_of_last(spath)
                key = append_json_string(last) if is_simple_name(last) else '"_"'
            parts.append(key + ":" + raw)
        else:
            parts.append(raw)
    out = kind + ",".join(parts) + ("]" if kind == "[" else "}")
    if rest:
        return get_in(out, rest[1:], None)
    return Result(JSON, out)


def get_in(s: str | None, path: str, node: Node | None) -> Result:
    """gjson.Get(s, path); ``node`` is the decoded tree of s when there is one
    (then s may be None and is cut from the document only if needed)."""
    if node is None:
        return _get_general(s, path, None)
    chain, plan = route(path)
    return _answer(s, path, node, chain, plan)


def _answer(s: str | None, path: str, node: Node, chain: tuple[str, ...] | None, plan: Plan | None) -> Result:
    """Get on a decoded tree: plain keys straight down, else a compiled path,
    else (or when the compiled path cannot be sure) the general walk."""
    if chain is not None:
        at = node.locate(chain)
        return EMPTY if at is None else value_result(at[0], at[1], NULL)
    if plan is not None:
        res = plan(node)
        if res is not None:
            return res
    return _get_general(s, path, node)


def _get_general(s: str | None, path: str, node: Node | None) -> Result:
    if len(path) > 1:
        c0 = path[0]
        if c0 == "@" and node is not None:
            r = tree_modifier(node, path)
            if r is not None:
                npath, out = r
                if out.__class__ is str:
                    if npath and (npath[0] == "|" or npath[0] == "."):
                        return get_in(out, npath[1:], None)
                    return parse(out)
                if npath and (npath[0] == "|" or npath[0] == "."):
                    return get_in(out.raw_text(), npath[1:], out)
                return Result(JSON, out.raw_text(), None, None, out)
        if c0 == "@" or c0 == "!":
            if s is None:
                s = node.raw_text()
            r = exec_modifier(s, path) if c0 == "@" else exec_static(path)
            if r is not None:
                npath, rjson = r
                if npath and (npath[0] == "|" or npath[0] == "."):
                    return get_in(rjson, npath[1:], None)
                return parse(rjson)
        if c0 == "[" or c0 == "{":
            sub = sub_selectors(path)
            if sub is None:
                # gjson keeps the (empty) remainder of a failed multipath parse
                path = ""
            else:
                rest = sub[1]
                if not rest or rest[0] == "|" or rest[0] == ".":
                    return _multipath(s, c0, sub[0], rest, node)
                path = rest  # and goes on with whatever followed the brackets
    ctx = _Ctx()
    if len(path) > 1 and path[0] == "." and path[1] == ".":
        # JSON lines: the whole text read as the body of an array
        if s is None:
            s = node.raw_text()
        lines = lines_node(s) if len(s) >= MIN_TABLE_SIZE else None
        if lines is not None:
            array_table(ctx, lines, path[2:])
        else:
            parse_array(ctx, s, 0, path[2:])
    elif node is not None:
        (object_table if node.is_obj else array_table)(ctx, node, path)
    else:
        m = _FIRST_CONTAINER.search(s)
        if m is not None:
            i = m.start()
            (parse_object if s[i] == "{" else parse_array)(ctx, s, i + 1, path)
    if ctx.piped:
        return ctx.value.get(ctx.pipe)
    return ctx.value


@lru_cache(maxsize=4096)
def route(path: str) -> tuple[tuple[str, ...] | None, Plan | None]:
    """(plain key chain, compiled plan) of a path, either or both None."""
    chain = plain_chain(path)
    return chain, (compile_path(path) if chain is None else None)


def get(json_text: str, path: str) -> Result:
    """gjson.Get(json_text, path); never raises."""
    try:
        if len(json_text) < MIN_TABLE_SIZE:
            return get_in(json_text, path, None)
        chain, plan = route(path)
        node = _DOCS.get(json_text)
        if node.__class__ is not _Root:
            node = doc_node(json_text, chain is not None)
        if node is None:
            return _get_general(json_text, path, None)
        return _answer(json_text, path, node, chain, plan)
    except RecursionError:
        # Go's growable stacks go deeper than Python's; such input is absurd
        # (thousands of nested levels), so answer "not found" rather than fail.
        return Result()


_result_module._get_in = get_in  # Result.get without an import per call
