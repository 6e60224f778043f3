"""``path_error``: this project's strictness check for GJSON paths in templates.

gjson itself never rejects a path; it just finds nothing.  When an admin saves
a template we want to point at paths that cannot do anything sensible: an
unbalanced bracket or quote, a query without a usable comparison, an unknown
``@modifier``, a trailing lone backslash, an empty path or component.
Everything gjson can actually use (keys with odd characters, wildcards,
escapes, literals, multipaths, modifiers with arguments) passes.
"""

from __future__ import annotations

import re

from .path import MODIFIER_NAMES

_OPERATORS = frozenset(["==", "=", "!=", "<", "<=", ">", ">=", "%", "!%"])
_OP_RUN = re.compile(r"[!=<>%]+")
_NAME = re.compile(r"[A-Za-z0-9_]*")
_PAIRS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = ")]}"
# Queries and multipaths nest paths inside paths. Real paths nest two or three deep;
# the limit answers a pathological one like any other bad path, with its column, long
# before Python's stack would give out.
MAX_NESTING = 64


class PathSyntaxError:
    """What is wrong with a path and where (1-based column)."""

    __slots__ = ("message", "col")

    def __init__(self, message: str, col: int) -> None:
        self.message = message
        self.col = col

    def __repr__(self) -> str:
        return f"PathSyntaxError({self.message!r}, col={self.col})"

    def __str__(self) -> str:
        return f"column {self.col}: {self.message}"


class _Fail(Exception):
    def __init__(self, message: str, index: int) -> None:
        super().__init__(message)
        self.message = message
        self.index = index


def path_error(path: str) -> PathSyntaxError | None:
    """None when the path is usable, else the first problem found."""
    if not path:
        return PathSyntaxError("empty path", 1)
    try:
        _Linter(path).run()
    except _Fail as e:
        return PathSyntaxError(e.message, e.index + 1)
    return None


class _Linter:
    def __init__(self, s: str) -> None:
        self.s = s
        self.i = 0
        self.depth = 0

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def run(self) -> None:
        if self.s.startswith(".."):
            self.i = 2  # JSON lines
        self.path("")
        if self.i < len(self.s):
            c = self.s[self.i]
            raise _Fail(f"unmatched '{c}'" if c in _CLOSERS else f"unexpected '{c}'", self.i)

    # A path is components joined by '.' or '|'; it ends at the end of the text
    # or at one of ``stop`` (the closer or comma of an enclosing construct).
    def path(self, stop: str) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _Fail(f"nested too deeply: queries and multipaths may nest at most {MAX_NESTING} levels", self.i)
        while True:
            self.component(stop)
            c = self.peek()
            if c == "." or c == "|":
                self.i += 1
                nxt = self.peek()
                if nxt == "" or nxt in stop or nxt == "." or nxt == "|":
                    raise _Fail(f"empty component after '{c}'", self.i - 1)
                continue
            self.depth -= 1
            return

    def component(self, stop: str) -> None:
        c = self.peek()
        if c == "" or c in stop:
            raise _Fail("empty path component", self.i)
        if c == "@":
            self.modifier(stop)
        elif c == "!" and self.peek(1) in ('"', "{", "["):
            self.i += 1
            self.json_value()
        elif c == "{" or c == "[":
            self.multipath()
        elif c == "#" and self.peek(1) in ("(", "["):
            self.query()
        else:
            self.key(stop)
        c = self.peek()
        if c and c not in ".|" and c not in stop:
            raise _Fail(f"unexpected '{c}'", self.i)

    def key(self, stop: str) -> None:
        s = self.s
        opened: list[int] = []
        while self.i < len(s):
            c = s[self.i]
            if c == "\\":
                if self.i + 1 >= len(s):
                    raise _Fail("dangling escape at end of path", self.i)
                self.i += 2
                continue
            if not opened and (c == "." or c == "|" or c in stop):
                break
            if c == '"':
                self.string()
                continue
            if c in _PAIRS:
                opened.append(self.i)
            elif c in _CLOSERS:
                if not opened:
                    raise _Fail(f"unmatched '{c}'", self.i)
                if _PAIRS[s[opened[-1]]] != c:
                    raise _Fail(f"'{s[opened[-1]]}' closed by '{c}'", self.i)
                opened.pop()
            elif c == "." or c == "|":
                raise _Fail(f"unclosed '{s[opened[-1]]}'", opened[-1])
            self.i += 1
        if opened:
            raise _Fail(f"unclosed '{s[opened[-1]]}'", opened[-1])

    def string(self) -> None:
        """A double-quoted string starting at self.i."""
        s = self.s
        start = self.i
        self.i += 1
        while self.i < len(s):
            c = s[self.i]
            if c == "\\":
                self.i += 2
                continue
            if c == '"':
                self.i += 1
                return
            self.i += 1
        raise _Fail("unclosed quote", start)

    def json_value(self) -> None:
        """A quoted string or a bracketed value (modifier arguments, literals)."""
        s = self.s
        if self.peek() == '"':
            self.string()
            return
        start = self.i
        opened = [s[self.i]]
        self.i += 1
        while self.i < len(s):
            c = s[self.i]
            if c == '"':
                self.string()
                continue
            if c in _PAIRS:
                opened.append(c)
            elif c in _CLOSERS:
                if _PAIRS[opened[-1]] != c:
                    raise _Fail(f"'{opened[-1]}' closed by '{c}'", self.i)
                opened.pop()
                if not opened:
                    self.i += 1
                    return
            self.i += 1
        raise _Fail(f"unclosed '{s[start]}'", start)

    def modifier(self, stop: str) -> None:
        start = self.i
        self.i += 1
        name = _NAME.match(self.s, self.i).group()
        if name not in MODIFIER_NAMES:
            raise _Fail(f"unknown modifier '@{name}'", start)
        self.i += len(name)
        if self.peek() != ":":
            return
        self.i += 1
        if self.peek() in ('"', "{", "["):
            self.json_value()
            return
        # plain arguments run to the next pipe, as gjson reads them
        while self.i < len(self.s) and self.s[self.i] != "|" and self.s[self.i] not in stop:
            self.i += 1

    def query(self) -> None:
        s = self.s
        start = self.i
        closer = ")" if s[self.i + 1] == "(" else "]"
        self.i += 2
        ops = "!=<>%"
        has_path = self.peek() not in ops and self.peek() != closer
        if has_path:
            while self.peek() == " ":
                self.i += 1
            self.path(ops + closer + " ")
            while self.peek() == " ":
                self.i += 1
        if self.i >= len(s):
            raise _Fail(f"unclosed '#{s[start + 1]}'", start)
        c = s[self.i]
        if c in ops:
            op_at = self.i
            op = _OP_RUN.match(s, self.i).group()
            if op not in _OPERATORS:
                raise _Fail(f"unknown comparison '{op}'", op_at)
            self.i += len(op)
            while self.peek() == " ":
                self.i += 1
            self.query_value(closer, op_at)
        elif c != closer:
            raise _Fail(f"unexpected '{c}' in query", self.i)
        elif not has_path:
            raise _Fail("empty query", start)
        if self.peek() != closer:
            if self.i >= len(s):
                raise _Fail(f"unclosed '#{s[start + 1]}'", start)
            raise _Fail(f"unexpected '{self.peek()}' in query", self.i)
        self.i += 1
        if self.peek() == "#":
            self.i += 1

    def query_value(self, closer: str, op_at: int) -> None:
        s = self.s
        if self.peek() == '"':
            self.string()
        else:
            begin = self.i
            while self.i < len(s) and s[self.i] not in closer + ' "()[]{}':
                if s[self.i] == "\\":
                    self.i += 1
                self.i += 1
            if self.i == begin:
                raise _Fail("comparison without a value", op_at)
        while self.peek() == " ":
            self.i += 1

    def multipath(self) -> None:
        s = self.s
        start = self.i
        kind = s[self.i]
        closer = _PAIRS[kind]
        self.i += 1
        while True:
            if self.i >= len(s):
                raise _Fail(f"unclosed '{kind}'", start)
            if kind == "{":
                self.selector_name()
            self.path("," + closer)
            c = self.peek()
            if c == ",":
                self.i += 1
                continue
            if c == closer:
                self.i += 1
                return
            raise _Fail(f"unclosed '{kind}'", start)

    def selector_name(self) -> None:
        """Optional ``name:`` or ``"name":`` before a multipath member."""
        s = self.s
        if self.peek() == '"':
            save = self.i
            self.string()
            if self.peek() == ":":
                self.i += 1
            else:
                self.i = save
            return
        j = self.i
        while j < len(s) and s[j] not in ':.|,}"\\@#([{':
            j += 1
        if j < len(s) and s[j] == ":" and j > self.i:
            self.i = j + 1
