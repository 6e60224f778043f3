"""An Output's ``Path``: Go template first, then GJSON, with comma-separated fallbacks.

The guide writes output paths such as::

    data.#(phone=="{{.Phone}}")#.street,data.#(mobile=="{{.Phone}}")#.street

so a path is itself a Go template (rendered with the call's variables before it is
evaluated), and it may hold several GJSON paths separated by *top-level* commas ("use
commas to separate the variables"): the first one that yields a value wins.

The split happens on the template text, before rendering, so that a variable whose
value holds a comma cannot change how many alternatives there are. A comma is
top-level when it is outside ``{{ }}`` actions, quotes and brackets; GJSON
multipaths (``{a,b}``, ``[a,b]``) and query strings (``#(name=="a,b")``) therefore
stay whole.

"Yields a value" means: the path exists and is not ``null``, an empty string or an
empty array (``data.#.id`` over an empty list gives ``[]``, which is no match).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from templates_app import gjson, gotemplate

_CLOSERS = {"(": ")", "[": "]", "{": "}"}


def split_output_path(path: str) -> list[str]:
    """Split ``path`` at its top-level commas (see the module docstring)."""
    parts: list[str] = []
    start = 0
    depth: list[str] = []
    i, n = 0, len(path)
    while i < n:
        c = path[i]
        if path.startswith("{{", i):
            i = _skip_action(path, i + 2)
            continue
        if c == "\\":
            i += 2
            continue
        if c == '"':
            i = _skip_quoted(path, i + 1, '"')
            continue
        if c in _CLOSERS:
            depth.append(_CLOSERS[c])
        elif depth and c == depth[-1]:
            depth.pop()
        elif c == "," and not depth:
            parts.append(path[start:i])
            start = i + 1
        i += 1
    parts.append(path[start:])
    return parts


def _skip_quoted(text: str, i: int, quote: str) -> int:
    """Index just past the closing ``quote`` (or the end of text)."""
    n = len(text)
    while i < n:
        c = text[i]
        if c == "\\" and quote != "`":
            i += 2
            continue
        if c == quote:
            return i + 1
        i += 1
    return n


def _skip_action(text: str, i: int) -> int:
    """Index just past the ``}}`` that closes an action; quoted ``}}`` does not close it."""
    n = len(text)
    while i < n:
        c = text[i]
        if c in "\"'`":
            i = _skip_quoted(text, i + 1, c)
            continue
        if text.startswith("}}", i):
            return i + 2
        i += 1
    return n


@dataclass(frozen=True)
class _Alternative:
    text: str
    template: gotemplate.Template | None  # None: plain GJSON, nothing to render


class OutputPath:
    """A compiled output path: parse once, evaluate against many answers."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.alternatives = tuple(
            _Alternative(part, gotemplate.parse(part, name="Path") if "{{" in part else None)
            for part in split_output_path(path)
        )

    def evaluate(self, json_text: str, variables: object = None, *, timezone: str = "UTC") -> gjson.Result:
        """The first alternative that yields a value, else the last alternative's result.

        Raises ``TemplateExecError`` when rendering an alternative fails.
        """
        result = None
        for alt in self.alternatives:
            gpath = alt.text if alt.template is None else alt.template.execute(
                variables, timezone=timezone, missingkey="empty"
            )
            result = gjson.get(json_text, gpath.strip())
            if has_value(result):
                return result
        assert result is not None  # split_output_path always yields at least one part
        return result


def has_value(result: gjson.Result) -> bool:
    """Whether a GJSON result counts as a match for an output."""
    if not result.exists or result.type == "Null":
        return False
    if result.type == "String":
        return result.str != ""
    if result.is_array:
        return bool(result.array())
    return True


@lru_cache(maxsize=4096)
def compile_output_path(path: str) -> OutputPath:
    """Compile (and cache) an output path; raises ``TemplateParseError`` on bad actions."""
    return OutputPath(path)


def evaluate_output_path(
    path: str, json_text: str, variables: object = None, *, timezone: str = "UTC"
) -> gjson.Result:
    """Evaluate an Output ``Path`` against a CRM answer, with the call's variables."""
    return compile_output_path(path).evaluate(json_text, variables, timezone=timezone)
