"""A pure-Python evaluator of tidwall/gjson 1.14.4 paths.

``get(json_text, path)`` answers exactly what ``gjson.Get`` answers, byte for
byte, for any text (gjson never fails: on malformed JSON it scans on and
returns what its scan finds).  ``valid`` is ``gjson.Valid``.  ``path_error``
is this project's own strictness check for paths saved in templates.
"""

from __future__ import annotations

from .lint import PathSyntaxError, path_error
from .result import Result
from .valid import valid as _valid


def get(json_text: str, path: str) -> Result:
    """gjson.Get(json_text, path); never raises."""
    try:
        return _get(json_text, path)
    except RecursionError:
        # Go's growable stacks go deeper than Python's; such input is absurd
        # (thousands of nested levels), so answer "not found" rather than fail.
        return Result()


def valid(json_text: str) -> bool:
    """gjson.Valid(json_text)."""
    return _valid(json_text)


from .engine import get as _get  # noqa: E402

__all__ = ["PathSyntaxError", "Result", "get", "path_error", "valid"]
