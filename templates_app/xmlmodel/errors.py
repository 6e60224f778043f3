"""What goes wrong with a template: a located Problem, and the exception carrying them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .nodes import IntegrationTemplate


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a template, at a 1-based line and column of the XML file.

    ``message`` is the whole sentence an admin reads (it already says which element
    and attribute, what is wrong and how to fix it); ``element`` and ``attribute``
    repeat the names for programs (e.g. to highlight a form field).
    """

    line: int
    col: int
    message: str
    element: str = ""
    attribute: str = ""

    def __str__(self) -> str:
        return f"{self.line}:{self.col}: {self.message}"


class TemplateXMLError(Exception):
    """A template that cannot be used, with every Problem found.

    ``template`` is the parsed model when the XML itself was well-formed (the problems
    are then validation problems), else None.
    """

    def __init__(self, problems: list[Problem], template: IntegrationTemplate | None = None) -> None:
        self.problems = list(problems)
        self.template = template
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid template")
