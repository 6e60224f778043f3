"""Parse and validate in one step: what saving a template needs."""

from __future__ import annotations

from .errors import TemplateXMLError
from .nodes import IntegrationTemplate
from .parse import parse_template
from .rules import validate_template


def load_template(data: bytes | str) -> IntegrationTemplate:
    """The template, or TemplateXMLError with every problem (syntax, or all validation
    problems at once — the error's ``template`` then holds the parsed model)."""
    tpl = parse_template(data)
    problems = validate_template(tpl)
    if problems:
        raise TemplateXMLError(problems, template=tpl)
    return tpl
