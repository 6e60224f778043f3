"""Field checks the editor runs as the admin types and again on save.

Two kinds of text live in the form: Go templates (URLs, bodies, header values, the
popup URL format, subject/description defaults…) and GJSON paths (every mapping
field). The checks are the template model's own save-time checks
(templates_app.xmlmodel.expressions), so the form never accepts what validation would
refuse and never flags what it would accept; this module only turns their index into
the column (and line, for multi-line bodies) the admin sees.
"""

from __future__ import annotations

from typing import Literal

from templates_app.xmlmodel.expressions import path_errors, template_error
from templates_app.xmlmodel.positions import line_col

FieldKind = Literal["template", "path"]

# A field is a URL, a header, a path or a JSON body: a few kilobytes. A longer value is
# refused before any check runs, so a megabyte typed into a field costs nothing.
MAX_FIELD_CHARS = 65_536


def _at(text: str, index: int) -> str:
    """ "column 23" (or "line 2, column 5" in multi-line text) for a 0-based index."""
    line, col = line_col(text, index)
    return f"line {line}, column {col}" if "\n" in text else f"column {col}"


def check_template(text: str) -> str | None:
    """The Go-template parser's complaint about ``text`` (with its column), or None."""
    if not text:
        return None
    problem = template_error(text)
    if problem is None:
        return None
    index, message = problem
    return f"{_at(text, index)}: {message}"


def check_paths(text: str) -> str | None:
    """The first problem of a GJSON path field, or None.

    The field may hold several comma-separated paths (the guide: "use commas to
    separate the variables"); each is checked, after its ``{{…}}`` actions are parsed as
    Go templates and then stood in for by a placeholder.
    """
    if not text.strip():
        return None
    template_problem = check_template(text)
    if template_problem:
        return template_problem
    problems = path_errors(text)
    if not problems:
        return None
    index, message = problems[0]
    return f"{_at(text, index)}: {message}"


def check(kind: FieldKind, text: str) -> str | None:
    """Run the check of ``kind`` on ``text``."""
    if len(text) > MAX_FIELD_CHARS:
        return f"this field is {len(text):,} characters long; a field may hold at most {MAX_FIELD_CHARS:,}"
    if kind == "path":
        return check_paths(text)
    return check_template(text)
