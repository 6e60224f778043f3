"""How much work one parse and one render may do.

Go's text/template trusts its author; here the author is whoever uploaded a template,
and a worker runs each ``{{ }}`` on every call. Four nested ranges over a 200-item list
are 1.6 billion turns, and a recursive ``{{define}}`` that calls itself twice doubles
with every level: neither must tie up a worker or exhaust its memory. A render may
only loop in two places, a range turn and a template call, so the budget is checked
there (and the output size once more at the end); a template with neither is linear
in its own text and costs nothing extra.

The portal sets these from its settings (``PBXCRM_RENDER_MAX_*``, docs/configuration.md)
with ``configure``; a caller may also pass its own ``Limits`` to ``execute``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class Limits:
    # Characters one render may produce: a URL, a header or a JSON body is far smaller.
    max_output: int = 1_048_576
    # Range turns plus template calls in one render (a 5,000-contact answer ranged over
    # with ten fields each is about 55,000).
    max_steps: int = 200_000
    # Wall-clock seconds of one render, checked every 1,024 steps: the backstop for
    # steps that are each expensive (a huge body inside a long range).
    max_seconds: float = 2.0
    # Tokens in one template text: parsing is linear, and this bounds it.
    max_parse_tokens: int = 100_000


_defaults = Limits()


def default_limits() -> Limits:
    """The limits a render or parse uses when its caller names none."""
    return _defaults


def configure(**changes: int | float) -> Limits:
    """Change the default limits (the portal does it once, from its settings)."""
    global _defaults
    _defaults = replace(_defaults, **changes)
    return _defaults
