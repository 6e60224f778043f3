"""The XML integration template: parse (safely), validate, serialize.

    tpl = load_template(xml_bytes)          # parse + validate, or TemplateXMLError
    tpl.auth_method_scenario.token_end_point
    text = serialize_template(tpl)

XML version: the guide says templates follow "the XML 1.1 standard", but libxml2 (and
so lxml) implements XML 1.0 only. Templates written as 1.1 are accepted: a
``version="1.1"`` declaration is rewritten to "1.0" before parsing (same length, so
every line:col stays right). The two versions differ only in rarely used corners —
C0 control characters as ``&#1;``-style references, NEL/LINE SEPARATOR as newlines,
extra name characters — none of which a template needs; a document using one of them
is reported with its position instead of being silently misread. Serialized
templates declare version 1.0, which is also what every exported template we have
seen declares.

No entities, DTDs or network references are ever resolved: a template with a
DOCTYPE is refused before parsing, and lxml runs with resolve_entities=False,
no_network=True, load_dtd=False, huge_tree=False.
"""

from .errors import Problem, TemplateXMLError
from .limits import MAX_TEMPLATE_BYTES
from .load import load_template
from .nodes import Group, IntegrationTemplate, Output, Parameter, Request, Scenario, Unknown
from .parse import parse_template
from .rules import validate_template
from .serialize import serialize_template

__all__ = [
    "MAX_TEMPLATE_BYTES",
    "Group",
    "IntegrationTemplate",
    "Output",
    "Parameter",
    "Problem",
    "Request",
    "Scenario",
    "TemplateXMLError",
    "Unknown",
    "load_template",
    "parse_template",
    "serialize_template",
    "validate_template",
]
