"""gjson's ``@name[:args]`` modifiers, ``!literal`` values, and the helpers they
share: Parse, ForEach and AppendJSONString."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

from .path import MODIFIER_NAMES
from .pretty import Options, pretty, ugly
from .result import EMPTY, FALSE, JSON, NULL, NUMBER, STRING, TRUE, Result
from .scan import LITERAL_TAIL, NUMBER_TAIL, STRING_TAIL, parse_squash, squash, tostr, trim
from .valid import valid

_VALUE_START = re.compile(r'[{\["ntf+\-0-9iIN]')
_NOT_BLANK = re.compile(r"[^\x00-\x20]")


def parse(json: str) -> Result:
    """gjson.Parse: the first value of the text; objects/arrays keep the whole rest."""
    m = _NOT_BLANK.search(json)
    if m is None:
        return EMPTY
    i = m.start()
    c = json[i]
    if c == "{" or c == "[":
        return Result(JSON, json[i:])
    if c in "+-0123456789iIN" or (c == "n" and i + 1 < len(json) and json[i + 1] != "u"):
        return Result(NUMBER, json[i : NUMBER_TAIL.match(json, i + 1).end()])
    if c == "n" or c == "t" or c == "f":
        t = NULL if c == "n" else TRUE if c == "t" else FALSE
        return Result(t, json[i : LITERAL_TAIL.match(json, i + 1).end()])
    if c == '"':
        m = STRING_TAIL.match(json, i + 1)
        if m is not None:
            # Result.str unescapes the body if it is ever read
            return Result(STRING, json[i : m.end()])
        raw, s = tostr(json[i:])
        return Result(STRING, raw, s)
    return EMPTY


def parse_any(s: str, i: int) -> tuple[int, Result, bool]:
    """gjson parseAny: the next value at or after i, skipping bytes it ignores."""
    m = _VALUE_START.search(s, i)
    if m is None:
        return len(s), EMPTY, False
    i = m.start()
    c = s[i]
    if c == "{" or c == "[":
        end = parse_squash(s, i)
        return end, Result(JSON, s[i:end]), True
    if c == '"':
        m = STRING_TAIL.match(s, i + 1)
        if m is None:
            return len(s), EMPTY, False
        end = m.end()
        return end, Result(STRING, s[i:end]), True
    if c == "t" or c == "f" or (c == "n" and (i + 1 >= len(s) or s[i + 1] == "u")):
        end = LITERAL_TAIL.match(s, i + 1).end()
        t = TRUE if c == "t" else FALSE if c == "f" else NULL
        return end, Result(t, s[i:end]), True
    end = NUMBER_TAIL.match(s, i + 1).end()
    return end, Result(NUMBER, s[i:end]), True


def for_each(res: Result) -> Iterator[tuple[Result, Result]]:
    """Result.ForEach: (key, value) pairs; keys are EMPTY for arrays."""
    if not res.exists:
        return
    if res.type != JSON:
        yield EMPTY, res
        return
    json = res.raw
    n = len(json)
    m = _NOT_BLANK.search(json)
    if m is None:
        return
    i = m.start()
    c = json[i]
    if c != "{" and c != "[":
        return
    obj = c == "{"
    i += 1
    key = EMPTY
    while i < n:
        if obj:
            if json[i] != '"':
                i += 1
                continue
            m = STRING_TAIL.match(json, i + 1)
            if m is None:
                return
            key = Result(STRING, json[i : m.end()])
            i = m.end()
        while i < n and (json[i] <= " " or json[i] == "," or json[i] == ":"):
            i += 1
        i, value, ok = parse_any(json, i)
        if not ok:
            return
        yield key, value
        i += 1  # gjson's loop steps over one byte after each value


_NEEDS_ESCAPE = re.compile("[\x00-\x1f<>&\\\\\"\u2028\u2029\ud800-\udfff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\", '"': '\\"', "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _escape(m: re.Match[str]) -> str:
    c = m.group()
    e = _ESCAPES.get(c)
    if e is not None:
        return e
    if "\ud800" <= c <= "\udfff":
        return "\\ufffd"  # Go sees invalid UTF-8 there
    return f"\\u{ord(c):04x}"


_RARE_ESCAPE = re.compile("[\x00-\x1f<>&\u2028\u2029\ud800-\udfff]")


def append_json_string(s: str) -> str:
    """gjson AppendJSONString: s as a JSON string, HTML characters escaped."""
    if _RARE_ESCAPE.search(s) is None:
        # only backslashes and quotes (if anything) to escape: two C-level passes
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return '"' + _NEEDS_ESCAPE.sub(_escape, s) + '"'


_GO_SPACE = " \t\n\v\f\r\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _unwrap(json: str) -> str:
    json = trim(json)
    if len(json) >= 2 and (json[0] == "[" or json[0] == "{"):
        json = json[1:-1]
    return json


@lru_cache(maxsize=256)
def _option(arg: str, name: str) -> Result | None:
    found = None
    for key, value in for_each(parse(arg)):
        if key.str == name:
            found = value
    return found


def _mod_pretty(json: str, arg: str) -> str:
    return pretty(json, pretty_options(arg))


@lru_cache(maxsize=256)
def pretty_options(arg: str) -> Options:
    """The Options of ``@pretty:arg`` (shared: not to be changed)."""
    opts = Options()
    if arg:
        for key, value in for_each(parse(arg)):
            k = key.str
            if k == "sortKeys":
                opts.sort_keys = value.bool()
            elif k == "indent":
                opts.indent = "".join(c for c in value.str if c in " \t\n\r")
            elif k == "prefix":
                opts.prefix = "".join(c for c in value.str if c in " \t\n\r")
            elif k == "width":
                opts.width = value.int()
    return opts


def _mod_this(json: str, arg: str) -> str:
    return json


def _mod_ugly(json: str, arg: str) -> str:
    return ugly(json)


def _mod_reverse(json: str, arg: str) -> str:
    res = parse(json)
    if res.is_array:
        values = [v.raw for _, v in for_each(res)]
        return "[" + ",".join(reversed(values)) + "]"
    if res.is_object:
        pairs = [k.raw + ":" + v.raw for k, v in for_each(res)]
        return "{" + ",".join(reversed(pairs)) + "}"
    return json


def _mod_flatten(json: str, arg: str) -> str:
    res = parse(json)
    if not res.is_array:
        return json
    deep = False
    if arg:
        opt = _option(arg, "deep")
        deep = opt is not None and opt.bool()
    out = []
    for _, value in for_each(res):
        if value.is_array:
            raw = _unwrap(_mod_flatten(value.raw, arg) if deep else value.raw)
        else:
            raw = value.raw
        raw = raw.strip(_GO_SPACE)
        if raw:
            out.append(raw)
    return "[" + ",".join(out) + "]"


def _mod_keys(json: str, arg: str) -> str:
    v = parse(json)
    if not v.exists:
        return "[]"
    obj = v.is_object
    return "[" + ",".join(k.raw if obj else "null" for k, _ in for_each(v)) + "]"


def _mod_values(json: str, arg: str) -> str:
    v = parse(json)
    if not v.exists:
        return "[]"
    if v.is_array:
        return json
    return "[" + ",".join(value.raw for _, value in for_each(v)) + "]"


def _mod_join(json: str, arg: str) -> str:
    res = parse(json)
    if not res.is_array:
        return json
    preserve = False
    if arg:
        opt = _option(arg, "preserve")
        preserve = opt is not None and opt.bool()
    if preserve:
        return "{" + ",".join(_unwrap(v.raw) for _, v in for_each(res) if v.is_object) + "}"
    keys: list[Result] = []
    kvals: dict[str, Result] = {}
    for _, value in for_each(res):
        if not value.is_object:
            continue
        for key, v in for_each(value):
            k = key.str
            if k not in kvals:
                keys.append(key)
            kvals[k] = v
    return "{" + ",".join(k.raw + ":" + kvals[k.str].raw for k in keys) + "}"


def _mod_valid(json: str, arg: str) -> str:
    return json if valid(json) else ""


def _mod_fromstr(json: str, arg: str) -> str:
    if not valid(json):
        return ""
    return parse(json).str


def _mod_tostr(json: str, arg: str) -> str:
    return append_json_string(json)


def _mod_group(json: str, arg: str) -> str:
    res = parse(json)
    if not res.is_object:
        return ""
    groups: list[list[str]] = []
    for key, value in for_each(res):
        if not value.is_array:
            continue
        for idx, (_, v) in enumerate(for_each(value)):
            if idx == len(groups):
                groups.append([])
            groups[idx].append("," + key.raw + ":" + v.raw)
    return "[" + ",".join("{" + "".join(g)[1:] + "}" for g in groups) + "]"


MODIFIERS: dict[str, Callable[[str, str], str]] = {
    "pretty": _mod_pretty,
    "ugly": _mod_ugly,
    "reverse": _mod_reverse,
    "this": _mod_this,
    "flatten": _mod_flatten,
    "join": _mod_join,
    "valid": _mod_valid,
    "keys": _mod_keys,
    "values": _mod_values,
    "tostr": _mod_tostr,
    "fromstr": _mod_fromstr,
    "group": _mod_group,
}
assert frozenset(MODIFIERS) == MODIFIER_NAMES

_NAME_END = re.compile(r"[:|.]")


def exec_modifier(json: str, path: str) -> tuple[str, str] | None:
    """gjson execModifier for a path starting with '@': (rest of path, output)."""
    parts = modifier_parts(path)
    if parts is None:
        return None
    name, args, path_out = parts
    return path_out, MODIFIERS[name](json, args)


@lru_cache(maxsize=4096)
def modifier_parts(path: str) -> tuple[str, str, str] | None:
    """(name, args, rest of path) of a path starting with '@'; None for an unknown name."""
    m = _NAME_END.search(path, 1)
    has_args = False
    path_out = ""
    if m is None:
        name = path[1:]
    else:
        i = m.start()
        name = path[1:i]
        if path[i] == ":":
            path_out = path[i + 1 :]
            has_args = path_out != ""
        else:
            path_out = path[i:]
    if name not in MODIFIERS:
        return None
    args = ""
    if has_args:
        parsed = False
        if path_out[0] in '{["' and parse(path_out).exists:
            args = squash(path_out)
            path_out = path_out[len(args) :]
            parsed = True
        if not parsed:
            idx = path_out.find("|")
            if idx == -1:
                args, path_out = path_out, ""
            else:
                args, path_out = path_out[:idx], path_out[idx:]
    return name, args, path_out


_STATIC_NAMES = ("true", "false", "null", "nan", "inf")


def exec_static(path: str) -> tuple[str, str] | None:
    """gjson execStatic for a path starting with '!': (rest of path, literal JSON)."""
    name = path[1:]
    if name and name[0] in '{["+-0123456789':
        res = name[: parse_squash(name, 0)]
        return name[len(res) :], res
    path_out = ""
    for i in range(1, len(path)):
        if path[i] == "|" or path[i] == ".":
            path_out = path[i:]
            name = path[1:i]
            break
    # Go's ToLower maps U+0130 to 'i'; Python's gives two characters
    if name.replace("\u0130", "i").lower() in _STATIC_NAMES:
        return path_out, name
    return None
