"""Go 1.19 ``text/template`` in pure Python, with the PBX guide's four functions.

    t = parse("https://x/{{.a}}?q={{UrlEncode .Phone}}")
    t.execute({"a": "b", "Phone": "+1 555"})          # 'https://x/b?q=%2B1%20555'
    render("{{.a}}", {"a": 1.0})                      # '1' (parse cached by text)

Data is what Go's encoding/json gives for interface{}: dict, list, str, bool, None and
float64 numbers (a Python int in the data counts as a float64; ``loads_json`` decodes
JSON that way). Errors are TemplateParseError or TemplateExecError, both TemplateError.

A missing map key prints ``<no value>`` as in Go (``missingkey="default"``); the product
mode ``missingkey="empty"`` renders missing and null fields as empty text instead.
"""

from .errors import TemplateError, TemplateExecError, TemplateParseError
from .limits import Limits, configure, default_limits
from .template import Template, loads_json, parse, render

__all__ = [
    "Limits",
    "configure",
    "default_limits",
    "Template",
    "TemplateError",
    "TemplateExecError",
    "TemplateParseError",
    "loads_json",
    "parse",
    "render",
]
