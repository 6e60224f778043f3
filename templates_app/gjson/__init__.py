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


def valid(json_text: str) -> bool:
    """gjson.Valid(json_text)."""
    return _valid(json_text)


from .engine import get  # noqa: E402

__all__ = ["PathSyntaxError", "Result", "get", "path_error", "valid"]
