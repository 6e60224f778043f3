"""Go's rule for ``_`` in number literals, shared by both engines.

strconv accepts an underscore only between digits, or between a base prefix
and a digit (``1_000``, ``0x_1F``); ParseInt, ParseUint and ParseFloat all
check it the same way, so the template language and GJSON's number parsing
use this one function.
"""

from __future__ import annotations


def underscore_ok(s: str) -> bool:
    """Whether every ``_`` in the number text ``s`` stands where Go allows it."""
    saw = "^"
    i = 0
    if s[:1] in ("+", "-"):
        s = s[1:]
    hexa = False
    if len(s) >= 2 and s[0] == "0" and s[1] in "bBoOxX":
        i = 2
        saw = "0"
        hexa = s[1] in "xX"
    while i < len(s):
        c = s[i]
        if "0" <= c <= "9" or (hexa and c in "abcdefABCDEF"):
            saw = "0"
        elif c == "_":
            if saw != "0":
                return False
            saw = "_"
        else:
            if saw == "_":
                return False
            saw = "!"
        i += 1
    return saw != "_"
