"""Shared fixtures: the real-world templates, the guide's examples and a minimal valid template."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from templates_app.xmlmodel import Problem, TemplateXMLError, parse_template, validate_template
from tests.shared import REALWORLD

FIXTURES = Path(__file__).parent / "fixtures"
GUIDE_EXAMPLES = sorted(FIXTURES.glob("guide-*.xml"))


def _realworld(name: str) -> bytes:
    return (REALWORLD / name).read_bytes()


@pytest.fixture
def zendesk_xml() -> bytes:
    """The real-world helpdesk template that must parse and validate clean."""
    return _realworld("helpdesk-oauth2-zendesk-style.xml")


@pytest.fixture
def malformed_xml() -> bytes:
    """The real-world template with a bare & in an attribute on line 10."""
    return _realworld("helpdesk-oauth2-unescaped-MALFORMED.xml")


@pytest.fixture
def minimal_xml() -> str:
    """A small valid crm template (basic auth) that tests change one thing in."""
    return (FIXTURES / "minimal-crm.xml").read_text(encoding="utf-8")


@pytest.fixture
def assembled_xml() -> str:
    """A complete helpdesk template assembled from the guide's examples (valid)."""
    return (FIXTURES / "guide-assembled-helpdesk.xml").read_text(encoding="utf-8")


def line_of(xml: str, needle: str, nth: int = 1) -> int:
    """1-based line of the nth occurrence of ``needle`` in ``xml``."""
    at = -1
    for _ in range(nth):
        at = xml.index(needle, at + 1)
    return xml.count("\n", 0, at) + 1


def col_of(xml: str, needle: str, nth: int = 1) -> int:
    """1-based column of the nth occurrence of ``needle`` in ``xml``."""
    at = -1
    for _ in range(nth):
        at = xml.index(needle, at + 1)
    return at - xml.rfind("\n", 0, at)


def replace_once(xml: str, old: str, new: str) -> str:
    assert xml.count(old) == 1, f"{old!r} occurs {xml.count(old)} times"
    return xml.replace(old, new)


def syntax_problem(xml: str | bytes) -> Problem:
    """The one problem parse_template reports for malformed XML."""
    with pytest.raises(TemplateXMLError) as caught:
        parse_template(xml)
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


def problems(xml: str | bytes) -> list[Problem]:
    """Validation problems of well-formed XML."""
    return validate_template(parse_template(xml))


@pytest.fixture
def variant(minimal_xml: str) -> Callable[..., str]:
    """The minimal template with replacements applied (each must match exactly once)."""

    def make(*pairs: tuple[str, str]) -> str:
        xml = minimal_xml
        for old, new in pairs:
            xml = replace_once(xml, old, new)
        return xml

    return make


def only_problem_at(xml: str, line: int, fragment: str) -> Problem:
    """Assert exactly one problem, on ``line``, whose message contains ``fragment``."""
    found = problems(xml)
    assert [p.line for p in found] == [line], [str(p) for p in found]
    assert fragment in found[0].message, str(found[0])
    return found[0]


