"""The exceptions of the engine: one base class, one per phase."""

from __future__ import annotations


class TemplateError(Exception):
    """A template that cannot be parsed or executed.

    ``str(err)`` reads like Go's error (``template: NAME:LINE:COL: ...``); ``message``
    is the bare reason; ``line`` and ``col`` are 1-based and point at the offending
    token of the template text (``col`` counts characters, whereas the column inside
    Go's text counts bytes from 0, as Go prints it).
    """

    def __init__(self, text: str, *, message: str, name: str, line: int, col: int) -> None:
        super().__init__(text)
        self.text = text
        self.message = message
        self.name = name
        self.line = line
        self.col = col

    def __str__(self) -> str:
        return self.text


class TemplateParseError(TemplateError):
    """The template text is not a valid Go template."""


class TemplateExecError(TemplateError):
    """Executing a valid template failed (Go's ``ExecError``)."""


def position(text: str, pos: int) -> tuple[int, int, int]:
    """(1-based line, 1-based character column, Go's 0-based byte column) of ``pos``."""
    pos = max(0, min(pos, len(text)))
    line_start = text.rfind("\n", 0, pos) + 1
    line = text.count("\n", 0, pos) + 1
    prefix = text[line_start:pos]
    # Go's ErrorContext reports the byte offset on the line, counted from 0.
    go_col = len(prefix) if prefix.isascii() else len(prefix.encode("utf-8", "surrogatepass"))
    return line, pos - line_start + 1, go_col
