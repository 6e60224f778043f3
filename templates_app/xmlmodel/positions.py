"""Source positions: turn offsets in the template text into 1-based line:col.

Line starts are indexed once per document, so every lookup is a bisection instead of
a rescan of the text. Attribute positions are found lazily, only for the elements a
Problem is reported on: a valid 1 MB template never pays for them.

Columns count characters (not bytes), as libxml2 does in its error reports, so our
positions and the parser's agree.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

_NEWLINE = re.compile("\n")
# Every "<": a start tag when group 1 did not match (comments, CDATA and processing
# instructions are consumed whole, so a "<" inside them is not counted). In a
# well-formed document this finds the elements in document order.
_MARKUP = re.compile(r"<(!--.*?-->|!\[CDATA\[.*?\]\]>|\?.*?\?>|[!/])?", re.S)
_TAG_NAME = re.compile(r"<[^\s/>]+")
# One attribute of a well-formed start tag. libxml2 has already accepted the tag when
# this runs, so the simple form is exact: values cannot contain their own quote or "<".
_ATTRIBUTE = re.compile(r"""\s*([^\s=/>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a 0-based character offset: for one lookup (SourceText
    indexes the lines once for many)."""
    offset = max(0, min(offset, len(text)))
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


class AttrSpan(NamedTuple):
    """Where one attribute sits: its name, and its raw value between the quotes."""

    name_offset: int
    value_start: int
    value_end: int


class SourceText:
    """The (newline-normalised) text a template was parsed from."""

    __slots__ = ("text", "_starts", "_elements", "_tags")

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] | None = None
        self._elements: list[int] | None = None
        self._tags: dict[int, dict[str, AttrSpan]] = {}

    def element_offset(self, ordinal: int) -> int:
        """Offset of the ``<`` of the ordinal-th element (0-based, document order)."""
        if self._elements is None:
            self._elements = [m.start() for m in _MARKUP.finditer(self.text) if m.group(1) is None]
        return self._elements[ordinal] if 0 <= ordinal < len(self._elements) else -1

    def _line_starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0, *(m.end() for m in _NEWLINE.finditer(self.text))]
        return self._starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a 0-based character offset."""
        starts = self._line_starts()
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(starts, offset)
        return line, offset - starts[line - 1] + 1

    def offset(self, line: int, col: int) -> int:
        """0-based offset of a 1-based (line, column), clamped into the text."""
        starts = self._line_starts()
        line = max(1, min(line, len(starts)))
        start = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        return max(start, min(start + max(col, 1) - 1, end))

    def attributes(self, tag_offset: int) -> dict[str, AttrSpan]:
        """The attributes of the start tag at ``tag_offset`` (cached per tag)."""
        found = self._tags.get(tag_offset)
        if found is None:
            found = {}
            name = _TAG_NAME.match(self.text, tag_offset)
            pos = name.end() if name else tag_offset
            while (m := _ATTRIBUTE.match(self.text, pos)) is not None:
                group = 2 if m.group(2) is not None else 3
                found.setdefault(m.group(1), AttrSpan(m.start(1), m.start(group), m.end(group)))
                pos = m.end()
            self._tags[tag_offset] = found
        return found

    def value_offset(self, span: AttrSpan, index: int) -> int:
        """Offset in the file of character ``index`` of the attribute's *parsed* value.

        The parsed value differs from the raw text: each ``&...;`` reference stands for
        one character, and literal newlines/tabs became spaces (still one character).
        Walking the raw text keeps that correspondence exact.
        """
        text, i, k = self.text, span.value_start, 0
        while i < span.value_end and k < index:
            if text[i] == "&":
                semi = text.find(";", i, span.value_end)
                i = semi + 1 if semi >= 0 else i + 1
            else:
                i += 1
            k += 1
        return i


class Src(tuple):
    """Where a node came from, kept beside (not inside) the model's compared data.

    A (source, ordinal, index, attr_order) tuple — a tuple so that the parser can make
    one per element at C speed. ``ordinal`` is the element's number in document order
    (its ``<`` is found in the text only when a position is asked for); ``index`` its
    position among its parent's children (elements, comments, processing
    instructions), which lets the serializer put kept-but-unknown children back where
    they were; ``attr_order`` the attribute names in written order, when known
    without the source.
    """

    __slots__ = ()

    def __new__(
        cls,
        source: SourceText | None = None,
        ordinal: int = -1,
        index: int | None = None,
        attr_order: tuple[str, ...] = (),
    ) -> Src:
        return tuple.__new__(cls, (source, ordinal, index, attr_order))

    @property
    def source(self) -> SourceText | None:
        return self[0]

    @property
    def ordinal(self) -> int:
        return self[1]

    @property
    def index(self) -> int | None:
        return self[2]

    @property
    def offset(self) -> int:
        """Offset of the element's ``<`` in the source text (-1: none)."""
        source, ordinal = self[0], self[1]
        if source is None or ordinal < 0:
            return -1
        return source.element_offset(ordinal)

    @property
    def attr_order(self) -> tuple[str, ...]:
        """Attribute names in written order (read from the source text when needed)."""
        if self[3] or (offset := self.offset) < 0:
            return self[3]
        return tuple(self[0].attributes(offset))

    @property
    def known(self) -> bool:
        """Whether this node has a place in a source file."""
        return self[0] is not None and self[1] >= 0

    @property
    def line(self) -> int:
        return self.position()[0]

    @property
    def col(self) -> int:
        return self.position()[1]

    def position(self) -> tuple[int, int]:
        """(line, col) of the element's ``<``; (0, 0) for a node built in code."""
        offset = self.offset
        if offset < 0:
            return 0, 0
        return self[0].line_col(offset)

    def attribute_position(self, name: str, index: int = 0) -> tuple[int, int] | None:
        """(line, col) of character ``index`` of attribute ``name``'s value, if written."""
        offset = self.offset
        if offset < 0:
            return None
        source: SourceText = self[0]
        span = source.attributes(offset).get(name)
        if span is None:
            return None
        return source.line_col(source.value_offset(span, index))

    def __repr__(self) -> str:
        line, col = self.position()
        return f"Src({line}:{col})"


NOWHERE = Src()
