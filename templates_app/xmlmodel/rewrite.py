"""An edited template written back into the text it was read from, changing only what
changed.

The Add/Edit form edits the model; serializing the whole model again would rewrite
every line the admin never touched (``<Presets></Presets>`` as ``<Presets />``, ``&gt;``
as ``>``, quotes, attribute order, indentation), and a Remark edit would show as a
67-line change in the version history. Here the old and new models are walked side by
side: an attribute that changed has only its value replaced, an attribute added or
removed only that; an element whose children changed (a row added or removed) is
written anew in its place, and only it. Everything else keeps its original bytes.

The result is read back and compared with the edited model; in the unlikely case it
differs, the whole model is serialized instead, so the text is always right.
"""

from __future__ import annotations

import re
from typing import Any

from .errors import TemplateXMLError
from .nodes import IntegrationTemplate, Unknown
from .positions import _ATTRIBUTE, _MARKUP, _TAG_NAME, SourceText
from .serialize import _El, _template, _write, serialize_template

_CLOSE = re.compile(r"\s*(/?)>")
_Edit = tuple[int, int, str]  # replace text[start:end] with this


def rewrite_template(old: IntegrationTemplate, new: IntegrationTemplate) -> str:
    """``new`` as XML text: ``old``'s source text with only the differences written in.

    ``old`` must come from parse_template (it knows its text); a model built in code
    is serialized whole.
    """
    source = old.src.source
    if source is None:
        return serialize_template(new)
    if old == new:
        return source.text
    if old.leading != new.leading or old.trailing != new.trailing:
        return serialize_template(new)
    edits: list[_Edit] = []
    try:
        if not _diff(_template(old), _template(new), source, edits):
            return serialize_template(new)
    except ValueError:  # a value XML cannot carry (serialize_template says which), or no tag end
        return serialize_template(new)
    text = source.text
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        text = text[:start] + replacement + text[end:]
    from .parse import parse_template

    try:
        if parse_template(text) == new:
            return text
    except TemplateXMLError:
        pass
    return serialize_template(new)


def _diff(a: _El, b: _El, source: SourceText, edits: list[_Edit]) -> bool:
    """Record the edits that turn ``a`` (read from ``source``) into ``b``; False when
    ``a`` has no place in the text to edit."""
    start = a.src.offset if a.src is not None else -1
    if start < 0:
        return False
    if _same_shape(a, b):
        inside: list[_Edit] = _attribute_edits(a, b, source, start) if a.attrs != b.attrs else []
        if all(_diff(x, y, source, inside) for x, y in zip(a.children, b.children, strict=True)
               if isinstance(x, _El)):
            edits.extend(inside)
            return True
    # Children added, removed or moved (or one that cannot be placed): this element is
    # written anew, and only it.
    edits.append((start, _element_end(source.text, start), _written(b, source.text, start)))
    return True


def _same_shape(a: _El, b: _El) -> bool:
    """Same name, text and children in kind and order: only attributes may differ."""
    if a.tag != b.tag or a.text != b.text or len(a.children) != len(b.children):
        return False
    for child_a, child_b in zip(a.children, b.children, strict=True):
        if isinstance(child_a, Unknown) or isinstance(child_b, Unknown):  # comments, PIs
            if child_a != child_b:
                return False
        elif child_a.tag != child_b.tag or child_a.tail != child_b.tail:
            return False
    return True


def _attribute_edits(a: _El, b: _El, source: SourceText, start: int) -> list[_Edit]:
    text = source.text
    spans = source.attributes(start)
    before, after = dict(a.attrs), dict(b.attrs)
    edits: list[_Edit] = []
    for name, value in after.items():
        if name in before and before[name] != value:
            span = spans[name]
            edits.append((span.value_start, span.value_end, _escaped(value, text[span.value_start - 1], a.tag, name)))
    for name in before.keys() - after.keys():
        span = spans[name]
        first = span.name_offset
        while first > 0 and text[first - 1].isspace():
            first -= 1
        edits.append((first, span.value_end + 1, ""))  # + 1: the closing quote
    added = "".join(f' {name}="{_escaped(value, chr(34), a.tag, name)}"'
                    for name, value in after.items() if name not in before)
    if added:
        last = max((span.value_end + 1 for span in spans.values()), default=_TAG_NAME.match(text, start).end())
        edits.append((last, last, added))
    return edits


def _escaped(value: str, quote: str, tag: str, name: str) -> str:
    from .serialize import _attr

    out = _attr(value, f"attribute {name} of <{tag}>")
    return out.replace("'", "&apos;") if quote == "'" else out


def _written(el: _El, text: str, start: int) -> str:
    """The element as the serializer writes it, indented like the line it replaces."""
    line_start = text.rfind("\n", 0, start) + 1
    pad = text[line_start:start]
    depth = len(pad) // 2 if pad and not pad.strip(" ") else 0
    out: list[Any] = []
    _write(out, el, depth)
    return "".join(out)[len("  " * depth):]


def _tag_end(text: str, start: int) -> tuple[int, bool]:
    """Where the start tag at ``start`` ends, and whether it closes itself (``/>``)."""
    name = _TAG_NAME.match(text, start)
    pos = name.end() if name else start + 1
    while (m := _ATTRIBUTE.match(text, pos)) is not None:
        pos = m.end()
    close = _CLOSE.match(text, pos)
    if close is None:  # not a tag this module wrote or libxml2 accepted
        raise ValueError(f"no end of the start tag at offset {start}")
    return close.end(), bool(close.group(1))


def _element_end(text: str, start: int) -> int:
    """The offset just past the element that starts at ``start`` (its end tag included)."""
    pos, closed = _tag_end(text, start)
    if closed:
        return pos
    depth = 1
    for m in _MARKUP.finditer(text, pos):
        kind = m.group(1)
        if kind is None:
            end, closed = _tag_end(text, m.start())
            depth += 0 if closed else 1
        elif kind == "/":
            depth -= 1
            if depth == 0:
                return text.index(">", m.end()) + 1
    raise ValueError(f"no end tag for the element at offset {start}")
