"""XML text -> model, safely.

libxml2 (through lxml) does the parsing, with everything that could reach outside the
text switched off: no entity substitution, no DTD loading, no network, no huge-tree
mode (its depth and size limits stay on). DOCTYPE and other declarations are refused
before libxml2 runs (see decode.refuse_declarations), and templates over
MAX_TEMPLATE_BYTES before anything is decoded.

Positions: libxml2 gives no attribute positions (and only the line of a start tag's
end), so each node records its element number in document order; the ``<`` of the
n-th element is found by one regular-expression pass over the text the first time a
position is asked for (see positions.Src). Lines and attribute columns are computed
only for nodes a Problem is reported on.
"""

from __future__ import annotations

import gc
import itertools
import re
from typing import Any

from lxml import etree

from .decode import decode, refuse_declarations, utf8_for_parser
from .errors import Problem, TemplateXMLError
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
from .positions import SourceText, Src
from .syntax import translate

_XML_NS = "http://www.w3.org/XML/1998/namespace"
# Text content that is not whitespace: ">" then something other than space or "<".
# May also match inside comments or attribute values; that only costs a slower path.
_TEXT_CONTENT = re.compile(r">\s*[^\s<]")


def _new_parser() -> etree.XMLParser:
    # A fresh parser per call: its error_log then holds this document's errors only.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        collect_ids=False,
        encoding="utf-8",  # we hand it UTF-8 whatever the file declared (decoded already)
    )


def parse_template(data: bytes | str) -> IntegrationTemplate:
    """Parse template XML into the model; raises TemplateXMLError when it is not
    well-formed, too big, or carries a DOCTYPE. Does not validate (see validate_template)."""
    text = decode(data)
    refuse_declarations(text)
    source = SourceText(text)
    parser = _new_parser()
    try:
        root = etree.fromstring(utf8_for_parser(text), parser)
    except etree.XMLSyntaxError as err:
        raise TemplateXMLError([translate(err, parser.error_log, source)]) from None
    if root is None:  # libxml2 recovered to nothing; cannot happen without recover=True
        raise TemplateXMLError([Problem(1, 1, "the template is empty; it must contain an <Information …> root element")])
    if root.getroottree().docinfo.internalDTD is not None:  # refused above; belt and braces
        raise TemplateXMLError([Problem(1, 1, "DOCTYPE declarations are not allowed in a template")])
    # Building allocates tens of thousands of small objects and no cycles worth
    # collecting mid-way; pausing the cyclic GC saves a fifth of the time on 1 MB.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        return _Builder(source, "xmlns" in text or "xml:" in text).template(root)
    finally:
        if gc_was_on:
            gc.enable()


# Makes a Src without a Python-level __init__ call: one per element adds up on 1 MB.
_new = tuple.__new__


def _text(s: str | None) -> str:
    """Text content worth keeping: whitespace-only text is indentation, not data."""
    return s if s and not s.isspace() else ""


class _Builder:
    """Builds the model in document order, numbering elements as it goes (the number
    finds the element's ``<`` in the text later, when a position is needed).

    This is the hot loop of parsing a large template, hence the plain, repetitive
    code: one specialised builder per element class, known attributes popped out of
    a dict of all attributes (what is left is the "other" attributes, in written
    order), text read only when the document has any text content at all.
    """

    def __init__(self, source: SourceText, namespaces: bool) -> None:
        self.source = source
        self.namespaces = namespaces
        self.ordinals = itertools.count()
        # Almost every template is elements and attributes only; then the text and tail
        # of each element need not be read (each read would create a string).
        self.has_text = "<![CDATA[" in source.text or _TEXT_CONTENT.search(source.text) is not None

    # -- names and attributes -------------------------------------------------------

    def _tag(self, el: Any) -> str | None:
        """The element's name as written, or None for comments / PIs."""
        tag = el.tag
        if tag.__class__ is not str:
            return None
        if not self.namespaces or tag[0] != "{":
            return tag
        prefix, local = el.prefix, tag.split("}", 1)[1]
        return f"{prefix}:{local}" if prefix else local

    def _attrs(self, el: Any) -> dict[str, str]:
        """All attributes by their written names, in written order."""
        if not self.namespaces:
            return dict(el.items())
        out: dict[str, str] = {}
        parent = el.getparent()
        inherited = parent.nsmap if parent is not None else {}
        nsmap = el.nsmap
        for prefix, uri in nsmap.items():  # declarations made on this element
            if inherited.get(prefix) != uri:
                out[f"xmlns:{prefix}" if prefix else "xmlns"] = uri
        prefixes = {uri: p for p, uri in nsmap.items() if p}
        for key, value in el.items():
            if key[0] == "{":
                uri, local = key[1:].split("}", 1)
                prefix = "xml" if uri == _XML_NS else prefixes.get(uri)
                key = f"{prefix}:{local}" if prefix else local
            out[key] = value
        return out

    def _content(self, node: Node | Unknown, el: Any) -> None:
        node.text = _text(el.text)
        node.tail = _text(el.tail)

    # -- elements -------------------------------------------------------------------

    def template(self, root: Any) -> IntegrationTemplate:
        a = self._attrs(root)
        tpl = IntegrationTemplate(
            root_tag=self._tag(root) or "", src=Src(self.source, next(self.ordinals)), scenarios_group=None,
            **{attr: a.pop(name) for name, attr in IntegrationTemplate.XML_ATTRIBUTES if name in a},
        )
        tpl.other_attributes = a
        if self.has_text:
            tpl.text = _text(root.text)
        for index, child in enumerate(root):
            if self._tag(child) == "Scenarios" and tpl.scenarios_group is None:
                group = tpl.scenarios_group = self._group(child, index)
                tpl.scenarios = [sc for i, c in enumerate(child) if (sc := self._scenario(group, c, i))]
            else:
                tpl.other_children.append(self._unknown(child, index))
        tpl.leading = [self._unknown(n, None) for n in reversed(list(root.itersiblings(preceding=True)))]
        tpl.trailing = [self._unknown(n, None) for n in root.itersiblings()]
        return tpl

    def _group(self, el: Any, index: int) -> Group:
        group = Group(other_attributes=self._attrs(el), src=_new(Src, (self.source, next(self.ordinals), index, ())))
        if self.has_text:
            self._content(group, el)
        return group

    def _extra(self, group: Group, el: Any, index: int) -> None:
        group.other_children.append(self._unknown(el, index))

    def _scenario(self, group: Group, el: Any, index: int) -> Scenario | None:
        if self._tag(el) != "Scenario":
            return self._extra(group, el, index)
        a = self._attrs(el)
        scenario = Scenario(
            id=a.pop("Id", None), type=a.pop("Type", None), other_attributes=a,
            src=_new(Src, (self.source, next(self.ordinals), index, ())), parameters_group=None, requests_group=None,
        )
        if self.has_text:
            self._content(scenario, el)
        for i, child in enumerate(el):
            tag = self._tag(child)
            if tag == "Parameters" and scenario.parameters_group is None:
                group = scenario.parameters_group = self._group(child, i)
                scenario.parameters = [p for j, c in enumerate(child) if (p := self._parameter(group, c, j))]
            elif tag == "Requests" and scenario.requests_group is None:
                group = scenario.requests_group = self._group(child, i)
                scenario.requests = [r for j, c in enumerate(child) if (r := self._request(group, c, j))]
            else:
                scenario.other_children.append(self._unknown(child, i))
        return scenario

    def _request(self, group: Group, el: Any, index: int) -> Request | None:
        if self._tag(el) != "Request":
            return self._extra(group, el, index)
        a = dict(el.items()) if not self.namespaces else self._attrs(el)
        request = Request(
            name=a.pop("Name", None), method=a.pop("Method", None), weight=a.pop("Weight", None),
            response_type=a.pop("ResponseType", None), request_encoding=a.pop("RequestEncoding", None),
            url_format=a.pop("URLFormat", None), url=a.pop("URL", None), other_attributes=a,
            src=_new(Src, (self.source, next(self.ordinals), index, ())), parameters_group=None, outputs_group=None,
        )
        if self.has_text:
            self._content(request, el)
        for i, child in enumerate(el):
            tag = self._tag(child)
            if tag == "Parameters" and request.parameters_group is None:
                group = request.parameters_group = self._group(child, i)
                request.parameters = [p for j, c in enumerate(child) if (p := self._parameter(group, c, j))]
            elif tag == "Outputs" and request.outputs_group is None:
                group = request.outputs_group = self._group(child, i)
                request.next = group.other_attributes.pop("Next", None)
                request.outputs = [o for j, c in enumerate(child) if (o := self._output(group, c, j))]
            else:
                request.other_children.append(self._unknown(child, i))
        return request

    def _parameter(self, group: Group, el: Any, index: int) -> Parameter | None:
        if (el.tag if not self.namespaces else self._tag(el)) != "Parameter":
            return self._extra(group, el, index)
        a = dict(el.items()) if not self.namespaces else self._attrs(el)
        p = Parameter(
            father=a.pop("Father", None), name=a.pop("Name", None), type=a.pop("Type", None),
            value=a.pop("Value", None), editor=a.pop("Editor", None), title=a.pop("Title", None),
            key=a.pop("Key", None), description=a.pop("Description", None), other_attributes=a,
            src=_new(Src, (self.source, next(self.ordinals), index, ())),
        )
        if self.has_text:
            self._content(p, el)
        if len(el):
            p.other_children = [self._unknown(c, i) for i, c in enumerate(el)]
        return p

    def _output(self, group: Group, el: Any, index: int) -> Output | None:
        if (el.tag if not self.namespaces else self._tag(el)) != "Output":
            return self._extra(group, el, index)
        a = dict(el.items()) if not self.namespaces else self._attrs(el)
        o = Output(
            name=a.pop("Name", None), path=a.pop("Path", None), type=a.pop("Type", None), other_attributes=a,
            src=_new(Src, (self.source, next(self.ordinals), index, ())),
        )
        if self.has_text:
            self._content(o, el)
        if len(el):
            o.other_children = [self._unknown(c, i) for i, c in enumerate(el)]
        return o

    def _unknown(self, el: Any, index: int | None) -> Unknown:
        tag = self._tag(el)
        tail = _text(el.tail)
        if tag is None:
            if el.tag is etree.Comment:
                return Unknown(tag=COMMENT, text=el.text or "", tail=tail, src=Src(None, -1, index))
            if el.tag is etree.PI:
                data = el.text or ""
                return Unknown(tag=PROCESSING_INSTRUCTION, text=f"{el.target} {data}" if data else el.target,
                               tail=tail, src=Src(None, -1, index))
            # An entity reference node: only possible with undefined entities, which
            # libxml2 rejects without a DTD.
            raise TemplateXMLError([Problem(el.sourceline or 1, 1, f"unexpected entity reference {el.text}")])
        node = Unknown(tag=tag, attributes=self._attrs(el), text=_text(el.text), tail=tail,
                       src=_new(Src, (self.source, next(self.ordinals), index, ())))
        node.children = [self._unknown(child, i) for i, child in enumerate(el)]
        return node
