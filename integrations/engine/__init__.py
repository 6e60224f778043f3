"""The request engine: a template's scenarios run against a CRM, in plain Python.

runner.py holds the Engine; redact.py the one step that masks secrets; jsonbody.py how
values enter a JSON body; records.py how Outputs become records. What can go wrong is
in integrations/errors.py, shared with the auth methods of integrations/auth/.
"""

from ..errors import (
    AuthError,
    BadAnswer,
    ConfigurationError,
    CrmError,
    CrmRefused,
    CrmUnavailable,
    TokenInvalid,
)
from .redact import Redactor
from .runner import Contact, Engine, Exchange, number_variables

__all__ = [
    "AuthError",
    "BadAnswer",
    "ConfigurationError",
    "Contact",
    "CrmError",
    "CrmRefused",
    "CrmUnavailable",
    "Engine",
    "Exchange",
    "Redactor",
    "TokenInvalid",
    "number_variables",
]
