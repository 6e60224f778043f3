"""Model -> XML text, laid out like the guide (2-space indentation, one element a line).

Attributes come out in the order they were written (new ones after, in the guide's
order); unknown elements, comments and processing instructions go back to the
position they had among their siblings. Attribute values are escaped so that they
read back identically: ``&amp; &lt; &quot;`` and ``&#10; &#13; &#9;`` for newlines,
carriage returns and tabs (which XML would otherwise turn into spaces).
"""

from __future__ import annotations

import re
from typing import Any

from .nodes import (
    COMMENT,
    PROCESSING_INSTRUCTION,
    Group,
    IntegrationTemplate,
    Node,
    Output,
    Parameter,
    Request,
    Scenario,
    Unknown,
)
from .positions import Src

_ATTR_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
# Characters XML 1.0 cannot carry at all, not even as &#NN; references.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NAME = re.compile(r"[A-Za-z_:\u00c0-\ufffd][\w.:\u00b7\u00c0-\ufffd-]*")
_INDENT = "  "


class _El:
    """A generic element to write: name, attributes, children, text."""

    __slots__ = ("tag", "attrs", "children", "text", "tail", "src")

    def __init__(self, tag: str, attrs: list[tuple[str, str]], children: list[Any], text: str, tail: str,
                 src: Src | None = None) -> None:
        self.tag, self.attrs, self.children, self.text, self.tail = tag, attrs, children, text, tail
        self.src = src  # where the element was read from (rewrite.py), None for a new one


def serialize_template(tpl: IntegrationTemplate) -> str:
    """The template as XML text, with an ``<?xml?>`` declaration.

    Raises ValueError for content XML cannot represent (control characters, invalid
    element or attribute names, "--" in a comment).
    """
    out: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    for node in tpl.leading:
        _write(out, _unknown(node), 0)
        out.append("\n")
    _write(out, _template(tpl), 0)
    out.append("\n")
    for node in tpl.trailing:
        _write(out, _unknown(node), 0)
        out.append("\n")
    return "".join(out)


# -- model -> generic elements -------------------------------------------------------


def _attributes(node: Node, known: dict[str, str]) -> list[tuple[str, str]]:
    """Known + other attributes, in written order first, then any new ones."""
    values = {**known, **node.other_attributes}
    order = node.src.attr_order
    if not order:
        return list(values.items())
    written = [(name, values[name]) for name in order if name in values]
    seen = set(order)
    return written + [(name, value) for name, value in values.items() if name not in seen]


def _merge(known: list[Any], extras: list[Unknown]) -> list[Any]:
    """Put kept unknown children back at their recorded sibling positions."""
    children = list(known)
    placed = sorted((u for u in extras if u.src.index is not None), key=lambda u: u.src.index)
    for u in placed:
        children.insert(min(u.src.index, len(children)), _unknown(u))
    children.extend(_unknown(u) for u in extras if u.src.index is None)
    return children


def _group(tag: str, group: Group | None, items: list[_El], extra: dict[str, str] | None = None) -> _El | None:
    """A wrapper element; None when the file had none and there is nothing to wrap."""
    if group is None:
        if not items and not extra:
            return None
        group = Group()
    return _El(tag, _attributes(group, extra or {}), _merge(items, group.other_children), group.text, group.tail,
               group.src)


def _ordered(parts: list[tuple[Group | None, _El | None]]) -> list[_El]:
    """Wrappers in the order they were written (new ones keep the guide's order)."""
    present = [(g, el) for g, el in parts if el is not None]
    if all(g is not None and g.src.index is not None for g, _ in present):
        present.sort(key=lambda p: p[0].src.index)  # type: ignore[union-attr]
    return [el for _, el in present]


def _node(node: Node, children: list[_El]) -> _El:
    return _El(node.TAG, _attributes(node, node.xml_attributes()), _merge(children, node.other_children),
               node.text, node.tail, node.src)


def _template(tpl: IntegrationTemplate) -> _El:
    scenarios = _group("Scenarios", tpl.scenarios_group, [_scenario(s) for s in tpl.scenarios])
    el = _node(tpl, [scenarios] if scenarios is not None else [])
    el.tag = tpl.root_tag or tpl.TAG
    return el


def _scenario(s: Scenario) -> _El:
    return _node(s, _ordered([
        (s.parameters_group, _group("Parameters", s.parameters_group, [_leaf(p) for p in s.parameters])),
        (s.requests_group, _group("Requests", s.requests_group, [_request(r) for r in s.requests])),
    ]))


def _request(r: Request) -> _El:
    next_attr = {"Next": r.next} if r.next is not None else None
    return _node(r, _ordered([
        (r.parameters_group, _group("Parameters", r.parameters_group, [_leaf(p) for p in r.parameters])),
        (r.outputs_group, _group("Outputs", r.outputs_group, [_leaf(o) for o in r.outputs], next_attr)),
    ]))


def _leaf(node: Parameter | Output) -> _El:
    return _node(node, [])


def _unknown(u: Unknown) -> Any:
    if u.tag in (COMMENT, PROCESSING_INSTRUCTION):
        return u
    return _El(u.tag, list(u.attributes.items()), [_unknown(c) for c in u.children], u.text, u.tail, u.src)


# -- generic elements -> text ----------------------------------------------------------


def _check_chars(value: str, what: str) -> None:
    bad = _NOT_XML.search(value)
    if bad:
        raise ValueError(f"{what} contains U+{ord(bad.group()):04X}, which XML cannot represent")


def _check_name(name: str, what: str) -> None:
    if not _NAME.fullmatch(name):
        raise ValueError(f"{what} {name!r} is not a valid XML name")


def _attr(value: str, what: str) -> str:
    _check_chars(value, what)
    return value.translate(_ATTR_ESCAPES)


def _chars(value: str, what: str) -> str:
    _check_chars(value, what)
    return value.translate(_TEXT_ESCAPES)


def _write(out: list[str], item: Any, depth: int) -> None:
    pad = _INDENT * depth
    if isinstance(item, Unknown):  # comment or processing instruction
        _check_chars(item.text, "a comment")
        if "\r" in item.text:  # XML reads it as a newline; there is no escape inside comments
            raise ValueError(f"comment or instruction {item.text!r} contains a carriage return, which XML cannot keep")
        if item.tag == COMMENT:
            if "--" in item.text or item.text.endswith("-"):
                raise ValueError(f'comment {item.text!r} contains "--" or ends with "-", which XML forbids')
            out.append(f"{pad}<!--{item.text}-->")
        else:
            target = _NAME.match(item.text)
            rest = item.text[target.end():] if target else ""
            if (target is None or target.group().lower() == "xml" or "?>" in item.text
                    or (rest and not rest[0].isspace())):
                raise ValueError(f"processing instruction {item.text!r} cannot be written")
            out.append(f"{pad}<?{item.text}?>")
        return
    _check_name(item.tag, "element name")
    out.append(f"{pad}<{item.tag}")
    for name, value in item.attrs:
        _check_name(name, f"attribute of <{item.tag}>")
        out.append(f' {name}="{_attr(value, f"attribute {name} of <{item.tag}>")}"')
    if not item.children and not item.text:
        out.append(" />")
        return
    out.append(">")
    # Mixed content (text beside child elements): any added indentation would become
    # part of the text, so such an element is written on one line.
    mixed = bool(item.text) or any(getattr(c, "tail", "") for c in item.children)
    if item.text:
        out.append(_chars(item.text, f"text of <{item.tag}>"))
    for child in item.children:
        if mixed:
            _write(out, child, 0)
        else:
            out.append("\n")
            _write(out, child, depth + 1)
        if child.tail:
            out.append(_chars(child.tail, f"text after <{getattr(child, 'tag', '')}>"))
    if not mixed:
        out.append(f"\n{pad}")
    out.append(f"</{item.tag}>")
