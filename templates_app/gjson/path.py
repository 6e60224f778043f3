"""Splitting gjson paths into components, exactly as gjson reads them.

gjson re-reads the path text at every level of the document; here every
component split is computed once per distinct path string and cached, so a
path that is used against many documents (or many array elements) is parsed
only once.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .gofloat import parse_float, parse_uint_index
from .scan import squash, trim, unescape

MODIFIER_NAMES = frozenset(
    ["pretty", "ugly", "reverse", "this", "flatten", "join", "valid", "keys", "values", "tostr", "fromstr", "group"]
)

# A path made of one plain key: no component separators, wildcards, escapes,
# array syntax, modifiers, literals or multipaths.  Such a path reads one
# member (or one index) and can be answered from a table directly.
_NOT_SIMPLE = re.compile(r"[.|*?\\#]")


def is_simple(path: str) -> bool:
    if _NOT_SIMPLE.search(path):
        return False
    return len(path) <= 1 or path[0] not in "@![{"


def is_dot_piper_char(s: str) -> bool:
    """After a '.', does the rest start a modifier, or a multipath, (then the dot acts as a pipe)."""
    c = s[0]
    if c == "@":
        i = 1
        while i < len(s) and s[i] not in ".|:":
            i += 1
        return s[1:i] in MODIFIER_NAMES
    return c == "[" or c == "{"


@lru_cache(maxsize=4096)
def plain_chain(path: str) -> tuple[str, ...] | None:
    """('a', 'b', 'c') for a path of plain keys joined by dots, else None.

    Such a path only descends through members and indexes, so it can be read
    from tables without running gjson's general machinery."""
    if not path or "|" in path:
        return None
    parts = tuple(path.split("."))
    for p in parts:
        if not p or p[0] in "@![{" or not is_simple(p):
            return None
    return parts


class ObjectPath:
    __slots__ = ("part", "path", "pipe", "piped", "wild", "more")

    def __init__(self, part: str, path: str, pipe: str, piped: bool, wild: bool, more: bool) -> None:
        self.part = part
        self.path = path
        self.pipe = pipe
        self.piped = piped
        self.wild = wild
        self.more = more


def _after_dot(part: str, path: str, i: int, wild: bool) -> ObjectPath:
    if i < len(path) - 1 and is_dot_piper_char(path[i + 1 :]):
        return ObjectPath(part, "", path[i + 1 :], True, wild, False)
    return ObjectPath(part, path[i + 1 :], "", False, wild, True)


@lru_cache(maxsize=4096)
def object_path(path: str) -> ObjectPath:
    """gjson parseObjectPath: the first key of ``path`` and what follows it."""
    n = len(path)
    wild = False
    i = 0
    while i < n:
        c = path[i]
        if c == "|":
            return ObjectPath(path[:i], "", path[i + 1 :], True, wild, False)
        if c == ".":
            return _after_dot(path[:i], path, i, wild)
        if c == "*" or c == "?":
            wild = True
        elif c == "\\":
            # escaped characters are taken literally and the backslash dropped
            epart = [path[:i]]
            i += 1
            if i < n:
                epart.append(path[i])
                i += 1
                while i < n:
                    c = path[i]
                    if c == "\\":
                        i += 1
                        if i < n:
                            epart.append(path[i])
                        i += 1
                        continue
                    if c == ".":
                        return _after_dot("".join(epart), path, i, wild)
                    if c == "|":
                        return ObjectPath("".join(epart), "", path[i + 1 :], True, wild, False)
                    if c == "*" or c == "?":
                        wild = True
                    epart.append(c)
                    i += 1
            return ObjectPath("".join(epart), "", "", False, wild, False)
        i += 1
    return ObjectPath(path, "", "", False, wild, False)


def parse_query(query: str) -> tuple[str, str, str, int, bool] | None:
    """gjson parseQuery for text starting with '#(' or '#['.

    Returns (path, op, value, end index, saw-escape) or None when unbalanced."""
    n = len(query)
    if n < 2 or query[0] != "#" or (query[1] != "(" and query[1] != "["):
        return None
    i = 2
    j = 0
    depth = 1
    vesc = False
    while i < n:
        c = query[i]
        if depth == 1 and j == 0 and c in "!=<>%":
            j = i
            i += 1
            continue
        if c == "\\":
            i += 1
        elif c == "[" or c == "(":
            depth += 1
        elif c == "]" or c == ")":
            depth -= 1
            if depth == 0:
                break
        elif c == '"':
            i += 1
            while i < n:
                if query[i] == "\\":
                    vesc = True
                    i += 1
                elif query[i] == '"':
                    break
                i += 1
        i += 1
    if depth > 0:
        return None
    if j > 0:
        path = trim(query[2:j])
        value = trim(query[j:i])
        opsz = 0
        if len(value) == 1:
            opsz = 1
        elif value[0] == "!" and value[1] in "=%" or value[0] in "<>" and value[1] == "=":
            opsz = 2
        elif value[0] == "=" and value[1] == "=":
            value = value[1:]
            opsz = 1
        elif value[0] in "<>=%":
            opsz = 1
        return path, value[:opsz], trim(value[opsz:]), i + 1, vesc
    return trim(query[2:i]), "", "", i + 1, vesc


class ArrayPath:
    __slots__ = (
        "part", "path", "pipe", "piped", "more", "alogok", "arrch", "alogkey",
        "query_on", "query_all", "query_path", "query_op", "query_value",
        # derived once so array loops do no string work per element
        "partidx", "count", "more_split", "more_path", "more_chain", "alog_split", "query_chain",
        "query_nested", "query_idx", "tilde", "rpv", "rpvn", "more_idx", "select_ops",
    )

    def __init__(self) -> None:
        self.part = ""
        self.path = ""
        self.pipe = ""
        self.piped = False
        self.more = False
        self.alogok = False
        self.arrch = False
        self.alogkey = ""
        self.query_on = False
        self.query_all = False
        self.query_path = ""
        self.query_op = ""
        self.query_value = ""


@lru_cache(maxsize=4096)
def array_path(path: str) -> ArrayPath:
    """gjson parseArrayPath plus values derived from it."""
    r = ArrayPath()
    _read_array_path(r, path)
    r.partidx = -1 if r.arrch else parse_uint_index(r.part)
    r.count = r.arrch and r.part == "#"
    r.more_split = split_possible_pipe(r.path) if r.more else None
    r.more_path = r.more_split[0] if r.more_split is not None else r.path
    r.more_chain = plain_chain(r.more_path)
    r.more_idx = tuple(map(parse_uint_index, r.more_chain)) if r.more_chain is not None else ()
    r.select_ops = None  # filled by query.select on first use
    r.alog_split = split_possible_pipe(r.alogkey) if r.alogok else None
    r.query_chain = plain_chain(r.query_path)
    r.query_idx = tuple(map(parse_uint_index, r.query_chain)) if r.query_chain is not None else ()
    r.query_nested = _nested_query(r.query_path) if r.query_on and r.query_chain is None else None
    v = r.query_value
    r.tilde = v[:1] == "~"
    r.rpv = v[1:] if r.tilde else v
    r.rpvn = parse_float(r.rpv)
    return r


def _read_array_path(r: ArrayPath, path: str) -> None:
    n = len(path)
    i = 0
    while i < n:
        c = path[i]
        if c == "|":
            r.part = path[:i]
            r.pipe = path[i + 1 :]
            r.piped = True
            return
        if c == ".":
            r.part = path[:i]
            if not r.arrch and i < n - 1 and is_dot_piper_char(path[i + 1 :]):
                r.pipe = path[i + 1 :]
                r.piped = True
            else:
                r.path = path[i + 1 :]
                r.more = True
            return
        if c == "#":
            r.arrch = True
            if i == 0 and n > 1:
                if path[1] == ".":
                    r.alogok = True
                    r.alogkey = path[2:]
                    r.path = path[:1]
                elif path[1] == "[" or path[1] == "(":
                    r.query_on = True
                    q = parse_query(path)
                    if q is None:
                        break  # gjson gives up on the rest of the path
                    qpath, op, value, fi, vesc = q
                    if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
                        value = value[1:-1]
                        if vesc:
                            value = unescape(value)
                    r.query_path = qpath
                    r.query_op = op
                    r.query_value = value
                    i = fi - 1
                    if i + 1 < n and path[i + 1] == "#":
                        r.query_all = True
        i += 1
    r.part = path
    r.path = ""


def _nested_query(qp: str) -> tuple[tuple[str, ...], tuple[int, ...], ArrayPath] | None:
    """For a query path like ``tags.#(=="vip")``: the plain chain before the
    inner query and the inner query, when the inner query returns its first
    match and reads only plain keys; else None."""
    i = qp.find("#")
    if i < 0:
        return None
    chain: tuple[str, ...] = ()
    if i > 0:
        if qp[i - 1] != ".":
            return None
        c = plain_chain(qp[: i - 1])
        if c is None:
            return None
        chain = c
    inner = array_path(qp[i:])
    if (not inner.query_on or inner.query_all or inner.more or inner.piped or inner.part != qp[i:]
            or (inner.query_path and inner.query_chain is None)):
        return None
    return chain, tuple(map(parse_uint_index, chain)), inner


@lru_cache(maxsize=4096)
def split_possible_pipe(path: str) -> tuple[str, str] | None:
    """gjson splitPossiblePipe: split at the first '|' that is not inside a
    ``.#(...)`` selector; None when there is nothing to split."""
    if "|" not in path:
        return None
    if path[0] == "{":
        sq = squash(path[1:])
        if len(sq) < len(path) - 1:
            sq = path[: len(sq) + 1]
            remain = path[len(sq) :]
            if remain[0] == "|":
                return sq, remain[1:]
        return None
    n = len(path)
    i = 0
    while i < n:
        c = path[i]
        if c == "\\":
            i += 1
        elif c == ".":
            if i == n - 1:
                return None
            if path[i + 1] == "#":
                i += 2
                if i == n:
                    return None
                if path[i] == "[" or path[i] == "(":
                    start, end = ("[", "]") if path[i] == "[" else ("(", ")")
                    i += 1
                    depth = 1
                    while i < n:
                        c = path[i]
                        if c == "\\":
                            i += 1
                        elif c == start:
                            depth += 1
                        elif c == end:
                            depth -= 1
                            if depth == 0:
                                break
                        elif c == '"':
                            i += 1
                            while i < n:
                                if path[i] == "\\":
                                    i += 1
                                elif path[i] == '"':
                                    break
                                i += 1
                        i += 1
        elif c == "|":
            return path[:i], path[i + 1 :]
        i += 1
    return None


@lru_cache(maxsize=1024)
def sub_selectors(path: str) -> tuple[tuple[tuple[str, str], ...], str] | None:
    """gjson parseSubSelectors for '[a,b]' / '{a,"n":b}': ((name, path)...), rest."""
    sels: list[tuple[str, str]] = []
    modifier = 0
    depth = 1
    colon = 0
    start = 1
    i = 1
    n = len(path)
    while i < n:
        c = path[i]
        if c == "\\":
            i += 1
        elif c == "@":
            if modifier == 0 and path[i - 1] in ".|":
                modifier = i
        elif c == ":":
            if modifier == 0 and colon == 0 and depth == 1:
                colon = i
        elif c == "," or c in "])}":
            if c != ",":
                depth -= 1
            if depth == (1 if c == "," else 0):
                if colon == 0:
                    sels.append(("", path[start:i]))
                else:
                    sels.append((path[start:colon], path[colon + 1 : i]))
                colon = 0
                modifier = 0
                start = i + 1
                if c != ",":
                    return tuple(sels), path[i + 1 :]
        elif c == '"':
            i += 1
            while i < n:
                if path[i] == "\\":
                    i += 1
                elif path[i] == '"':
                    break
                i += 1
        elif c in "[({":
            depth += 1
        i += 1
    return None


def name_of_last(path: str) -> str:
    """The last component of a path (used to name multipath members)."""
    for i in range(len(path) - 1, -1, -1):
        if path[i] == "|" or path[i] == ".":
            if i > 0 and path[i - 1] == "\\":
                continue
            return path[i + 1 :]
    return path


def is_simple_name(component: str) -> bool:
    """Whether a multipath member may be named after its last component."""
    return all(not (c < " " or c in "[]{}()#|!") for c in component)
