"""The compiled template and the two entry points, parse and render."""

from __future__ import annotations

import json
from functools import lru_cache

from . import limits as _limits
from .errors import TemplateError, TemplateExecError, TemplateParseError
from .exec import Program, State, compile_program
from .funcs import FUNC_NAMES
from .limits import Limits, default_limits
from .parser import parse_trees
from .values import printable_output

# missingkey -> (value of a missing field, text of a value-less action, missing is an error,
# missing is interface{}'s zero (nil), a null in a field chain counts as missing)
_MISSINGKEY_MODES = {
    "default": (None, "<no value>", False, False, False),
    "invalid": (None, "<no value>", False, False, False),
    "zero": (None, "<no value>", False, True, False),
    "error": (None, "<no value>", True, False, False),
    "empty": ("", "", False, False, True),
}


class Template:
    """A parsed and compiled template set: the main template and those it defines.

    Immutable once built, so one instance can be executed by many threads at once.
    """

    __slots__ = ("name", "text", "_prog", "_main")

    def __init__(self, name: str, text: str, prog: Program) -> None:
        self.name = name
        self.text = text
        self._prog = prog
        self._main = prog.templates[name]

    @property
    def defined_templates(self) -> list[str]:
        return sorted(self._prog.templates)

    def execute(
        self, data: object, *, timezone: str = "UTC", missingkey: str = "default", limits: Limits | None = None
    ) -> str:
        """Render with ``data`` as dot (and $).

        ``missingkey`` is Go's option: "default" (or "invalid") prints a missing value as
        ``<no value>``, "zero" gives the zero value, "error" stops with an error. The
        product mode "empty" makes a missing or null field (or one reached through a
        null) evaluate to "", and prints a value-less action as nothing. ``timezone`` is
        the PBX's IANA zone, which ``TimeFormat ts layout "0"`` formats in. ``limits``
        bounds the work and the output (limits.py; the defaults when None): going over
        is a TemplateExecError that names the limit and the range or template call.
        """
        main = self._main
        st = State()
        st.out = out = []
        st.limits = limits = limits or _limits._defaults
        st.budget = None
        frame = [None] * main.nslots
        frame[0] = data
        st.vars = frame
        st.depth = 0
        st.tmpl_name = main.name
        st.prog = self._prog
        st.tz = timezone
        mode = _MISSINGKEY_MODES.get(missingkey)
        if mode is not None:
            st.missing, st.novalue, st.missing_error, st.missing_zero, st.lenient = mode
        else:
            msg = f"unrecognized option: missingkey={missingkey}"
            raise TemplateExecError(
                f"template: {self.name}: {msg}", message=msg, name=self.name, line=0, col=0
            )
        try:
            main.run(st, data)
        except TemplateError:
            raise
        except RecursionError:
            msg = "exceeded maximum template depth (Python recursion limit)"
            raise TemplateExecError(
                f"template: {self.name}: {msg}", message=msg, name=self.name, line=0, col=0
            ) from None
        except Exception as err:  # a bug must still surface as the engine's own error type
            msg = f"internal error: {type(err).__name__}: {err}"
            raise TemplateExecError(
                f"template: {self.name}: {msg}", message=msg, name=self.name, line=0, col=0
            ) from err
        result = "".join(out)
        if len(result) > limits.max_output:
            msg = f"output limit exceeded: a render may produce at most {limits.max_output:,} characters"
            raise TemplateExecError(f"template: {self.name}: {msg}", message=msg, name=self.name, line=0, col=0)
        return printable_output(result)

    def __repr__(self) -> str:
        return f"<Template {self.name!r}>"


def parse(text: str, name: str = "template", *, limits: Limits | None = None) -> Template:
    """Parse and compile ``text`` as a Go text/template named ``name``."""
    try:
        trees = parse_trees(text, name, FUNC_NAMES, max_tokens=(limits or default_limits()).max_parse_tokens)
        prog = compile_program(name, text, trees)
    except TemplateError:
        raise
    except RecursionError:
        msg = "template nested too deeply"
        raise TemplateParseError(f"template: {name}: {msg}", message=msg, name=name, line=0, col=0) from None
    except Exception as err:  # never let a bug escape as something else
        msg = f"internal error: {type(err).__name__}: {err}"
        raise TemplateParseError(f"template: {name}: {msg}", message=msg, name=name, line=0, col=0) from err
    return Template(name, text, prog)


@lru_cache(maxsize=1024)
def _cached(text: str, name: str) -> Template:
    return parse(text, name)


def render(
    text: str,
    data: object,
    *,
    name: str = "template",
    timezone: str = "UTC",
    missingkey: str = "default",
    limits: Limits | None = None,
) -> str:
    """Parse (cached by text) and execute in one call."""
    return _cached(text, name).execute(data, timezone=timezone, missingkey=missingkey, limits=limits)


def loads_json(text: str | bytes) -> object:
    """Decode JSON the way Go's encoding/json decodes into interface{}: numbers are float64."""
    return json.loads(text, parse_int=float)
