"""Save-time checks of the two languages inside attribute values.

Values with ``{{ }}`` must parse as Go templates; Output paths must be GJSON paths.
Both answers depend only on the value text, so they are remembered by value (a digest
of it, within a byte budget: memo.py): a large template repeats the same bodies,
headers and paths many times.

Results are (index into the parsed attribute value, message) pairs; the validator
turns the index into a line:col of the XML file.
"""

from __future__ import annotations

import re

from .memo import bounded_memo

# Answers remembered by each check, in bytes (memo.py).
MEMO_BYTES = 4 * 1024 * 1024

# A strict subset of Go's template grammar that covers nearly every real template:
# fields ({{.Var}}, {{.}}), the guide's functions applied to a field ({{UrlEncode
# .Var}}, {{TimeFormat .Var "fmt" "1"}}), and if/range/with … else … end blocks over
# such a command. Whatever falls outside the subset goes to the real Go-template
# parser, so the subset only has to be *correct* (everything it accepts, Go
# accepts), not complete. Go rejects unknown functions at parse time, so only
# functions the PBX defines are listed.
_WS = r"[ \t\r\n]"
_FIELD = r"\.(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)?"
_STRING = r'"[^"\\\n]*"'
_COMMAND = (
    rf"(?:(?:UrlEncode|Capitalize|ToMillis){_WS}+)?{_FIELD}"
    rf"|TimeFormat{_WS}+{_FIELD}{_WS}+{_STRING}{_WS}+{_STRING}"
)
_ACTION = re.compile(rf"\{{\{{(?:-{_WS})?{_WS}*(.*?){_WS}*(?:{_WS}-)?\}}\}}", re.S)
_BODY = re.compile(rf"(?:(if|range|with){_WS}+)?(?:{_COMMAND})|(else)|(end)")


# Stands in for an action's output when checking a path before it can be rendered: a
# run of digits is a valid GJSON key, array index and query value alike.
_PLACEHOLDER = "1"


def _only_simple_actions(value: str) -> bool:
    """Whether ``value`` is surely a valid Go template by the subset above.

    Reads the actions left to right as Go's lexer does (every ``{{`` opens one) and
    checks that blocks nest: ``else`` once inside an open block, ``end`` closing one.
    """
    blocks: list[bool] = []  # per open block: whether its {{else}} was seen
    pos = value.find("{{")
    while pos >= 0:
        action = _ACTION.match(value, pos)
        if action is None:
            return False
        body = _BODY.fullmatch(action.group(1))
        if body is None:
            return False
        if body.group(1):
            blocks.append(False)
        elif body.group(2):
            if not blocks or blocks[-1]:
                return False
            blocks[-1] = True
        elif body.group(3):
            if not blocks:
                return False
            blocks.pop()
        pos = value.find("{{", action.end())
    return not blocks


def _index(value: str, line: int, col: int) -> int:
    """Index into ``value`` of a 1-based line:col inside it."""
    lines = value.split("\n")
    line = max(1, min(line or 1, len(lines)))
    before = sum(len(text) + 1 for text in lines[: line - 1])
    return before + max(0, min((col or 1) - 1, len(lines[line - 1])))


@bounded_memo(MEMO_BYTES)
def template_error(value: str) -> tuple[int, str] | None:
    """The first Go-template parse error of ``value``, or None when it parses."""
    if "{{" not in value or _only_simple_actions(value):
        return None
    from templates_app.gotemplate import TemplateParseError, parse

    try:
        parse(value)
    except TemplateParseError as err:
        return _index(value, getattr(err, "line", 1), getattr(err, "col", 1)), str(err.message)
    except Exception as err:  # a checker bug must not pass the value, nor crash the upload
        return 0, f"the template checker failed on this value ({type(err).__name__}: {err}); please report it"
    return None


def mask_actions(value: str) -> str:
    """``value`` with each ``{{ … }}`` action replaced by placeholder characters of the
    same length, so indices still line up with the original."""
    if "{{" not in value:
        return value
    out: list[str] = []
    i, n = 0, len(value)
    while i < n:
        start = value.find("{{", i)
        if start < 0:
            out.append(value[i:])
            break
        end = _action_end(value, start + 2)
        out.append(value[i:start])
        out.append(_PLACEHOLDER * (end - start))
        i = end
    return "".join(out)


def _action_end(text: str, i: int) -> int:
    """Index just past the ``}}`` closing an action (a quoted ``}}`` does not close it)."""
    n = len(text)
    while i < n:
        c = text[i]
        if c in "\"'`":
            close = i + 1
            while close < n and text[close] != c:
                close += 2 if c != "`" and text[close] == "\\" else 1
            i = close + 1
            continue
        if text.startswith("}}", i):
            return i + 2
        i += 1
    return n


@bounded_memo(MEMO_BYTES)
def path_errors(value: str) -> tuple[tuple[int, str], ...]:
    """GJSON problems of an Output path: each top-level comma-separated alternative,
    with its ``{{ }}`` actions stood in for, must be a valid GJSON path."""
    from templates_app.gjson import path_error
    from templates_app.output_path import split_output_path

    masked = mask_actions(value)
    parts = split_output_path(masked) if "," in masked else [masked]
    found: list[tuple[int, str]] = []
    start = 0
    for part in parts:
        path = part.strip()
        lead = len(part) - len(part.lstrip())
        if not path:
            if len(parts) > 1:
                found.append((start, "an empty alternative between commas; remove the extra comma"))
        else:
            try:
                err = path_error(path)
            except Exception as crash:  # a checker bug must not pass the value, nor crash the upload
                found.append((start + lead, f"the GJSON checker failed on this path ({type(crash).__name__}: "
                                            f"{crash}); please report it"))
                err = None
            if err is not None:
                col = getattr(err, "col", 1) or 1
                written = value[start + lead: start + lead + len(path)]
                if len(written) > 80:  # the column says where; the message needs only the start
                    written = written[:77] + "…"
                found.append((
                    start + lead + min(max(col - 1, 0), len(path)),
                    f'"{written}" is not a valid GJSON path: {err.message}',
                ))
        start += len(part) + 1
    return tuple(found)
