"""Properties: parsing never fails any other way, and generated models round-trip."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from templates_app.xmlmodel import (
    Group,
    IntegrationTemplate,
    Output,
    Parameter,
    Request,
    Scenario,
    TemplateXMLError,
    Unknown,
    parse_template,
    serialize_template,
    validate_template,
)

from .conftest import FIXTURES

SEED = (FIXTURES / "minimal-crm.xml").read_text(encoding="utf-8")
MODEL_TAGS = {"Information", "Scenarios", "Scenario", "Parameters", "Parameter", "Requests", "Request", "Outputs", "Output"}


def _xml_char(c: str) -> bool:
    o = ord(c)
    return o in (0x9, 0xA, 0xD) or 0x20 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD or o >= 0x10000


# Values lean on the characters that need escaping.
chars = st.one_of(st.sampled_from('&<>"\'\n\r\t {}.#|=:;/'), st.characters(codec="utf-8").filter(_xml_char))
values = st.text(chars, max_size=12)
optional = st.none() | values
# Lower-case first letter: never one of the model's (capitalised) attribute names.
attr_names = st.from_regex(r"[a-wyz][A-Za-z0-9_.-]{0,6}", fullmatch=True)
other_attributes = st.dictionaries(attr_names, values, max_size=2)
tags = st.from_regex(r"[A-Z][A-Za-z0-9]{0,7}", fullmatch=True).filter(lambda t: t not in MODEL_TAGS)
# Text is kept unless it is only whitespace (indentation); generate what survives.
texts = st.just("") | values.filter(lambda t: t != "" and not t.isspace())
comments = st.builds(
    lambda text: Unknown(tag="#comment", text=text),
    st.text(chars, max_size=10).filter(lambda t: "--" not in t and not t.endswith("-") and "\r" not in t),
)
unknown_elements = st.recursive(
    st.builds(lambda tag, attrs, text, tail: Unknown(tag=tag, attributes=attrs, text=text, tail=tail),
              tags, other_attributes, texts, texts),
    lambda children: st.builds(
        lambda tag, attrs, kids, tail: Unknown(tag=tag, attributes=attrs, children=kids, tail=tail),
        tags, other_attributes, st.lists(children | comments, max_size=2), texts),
    max_leaves=4,
)
extras = st.lists(unknown_elements | comments, max_size=2)


def groups(items_empty: bool) -> st.SearchStrategy[Group | None]:
    group = st.builds(Group, other_attributes=other_attributes, other_children=extras)
    return (st.none() | group) if items_empty else group


outputs = st.builds(Output, name=optional, path=optional, type=optional,
                    other_attributes=other_attributes, other_children=extras)
parameters = st.builds(Parameter, father=optional, name=optional, type=optional, value=optional, editor=optional,
                       title=optional, key=optional, description=optional, other_attributes=other_attributes)


@st.composite
def requests(draw: st.DrawFn) -> Request:
    params = draw(st.lists(parameters, max_size=3))
    outs = draw(st.lists(outputs, max_size=3))
    next_ = draw(optional)
    return Request(
        name=draw(optional), method=draw(optional), weight=draw(optional), response_type=draw(optional),
        request_encoding=draw(optional), url_format=draw(optional), url=draw(optional),
        parameters=params, outputs=outs, next=next_,
        parameters_group=draw(groups(not params)), outputs_group=draw(groups(not outs and next_ is None)),
        other_attributes=draw(other_attributes), other_children=draw(extras),
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    params = draw(st.lists(parameters, max_size=3))
    reqs = draw(st.lists(requests(), max_size=2))
    return Scenario(
        id=draw(optional), type=draw(optional), parameters=params, requests=reqs,
        parameters_group=draw(groups(not params)), requests_group=draw(groups(not reqs)),
        other_attributes=draw(other_attributes), other_children=draw(extras),
    )


@st.composite
def templates(draw: st.DrawFn) -> IntegrationTemplate:
    scs = draw(st.lists(scenarios(), max_size=3))
    known = {attr: draw(optional) for _, attr in IntegrationTemplate.XML_ATTRIBUTES}
    return IntegrationTemplate(
        scenarios=scs, scenarios_group=draw(groups(not scs)), other_attributes=draw(other_attributes),
        other_children=draw(extras), leading=draw(st.lists(comments, max_size=1)),
        trailing=draw(st.lists(comments, max_size=1)), **known,
    )


def _parse_or_refuse(data: bytes | str) -> IntegrationTemplate | None:
    try:
        return parse_template(data)
    except TemplateXMLError as err:
        assert err.problems and all(p.line >= 1 and p.col >= 1 for p in err.problems)
        return None


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_parse_raises_nothing_but_template_xml_error_on_any_bytes(data: bytes) -> None:
    _parse_or_refuse(data)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=[]), max_size=400))
def test_parse_raises_nothing_but_template_xml_error_on_any_text(text: str) -> None:
    _parse_or_refuse(text)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["utf-8", "utf-16", "utf-7", "idna", "base64", "latin-1", "nope", "utf-32", "punycode"]),
       st.binary(max_size=60))
def test_parse_raises_nothing_but_template_xml_error_whatever_the_declared_encoding(encoding: str, tail: bytes) -> None:
    _parse_or_refuse(f'<?xml version="1.0" encoding="{encoding}"?><Information Name="'.encode() + tail)


@st.composite
def damaged_templates(draw: st.DrawFn) -> str:
    """The minimal template with a few characters inserted, deleted or replaced."""
    text = SEED
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(text)))
        junk = draw(st.text(st.sampled_from('<>&"\'/=!?-[]; \n\x00\x01é{}#'), max_size=3))
        cut = draw(st.integers(0, 3))
        text = text[:at] + junk + text[at + cut:]
    return text


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_templates())
def test_a_damaged_template_is_refused_with_a_position_or_still_round_trips(text: str) -> None:
    tpl = _parse_or_refuse(text)
    if tpl is not None:
        assert parse_template(serialize_template(tpl)) == tpl
        assert all(p.line >= 0 for p in validate_template(tpl))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates())
def test_generated_models_round_trip_through_xml(tpl: IntegrationTemplate) -> None:
    assert parse_template(serialize_template(tpl)) == tpl


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates())
def test_serializing_a_parsed_model_again_gives_the_same_text(tpl: IntegrationTemplate) -> None:
    text = serialize_template(tpl)
    assert serialize_template(parse_template(text)) == text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(templates())
def test_validation_of_any_model_returns_problems_and_never_fails(tpl: IntegrationTemplate) -> None:
    found = validate_template(tpl)
    assert not [p for p in found if "checker failed" in p.message], [str(p) for p in found]


def test_the_seed_of_the_damage_test_is_valid() -> None:
    assert Path(FIXTURES / "minimal-crm.xml").exists()
    assert validate_template(parse_template(SEED)) == []


# The validator skips the Go-template parser for values in a small, common subset of the
# grammar (see expressions.py); that shortcut must never accept what Go rejects.
template_pieces = st.sampled_from([
    "{{", "}}", "{{.x}}", "{{ .a.b }}", "{{.}}", "{{if .x}}", "{{ else }}", "{{end}}", "{{range .r}}", "{{with .w}}",
    "{{- .t -}}", "{{ UrlEncode .u }}", '{{ TimeFormat .s "yyyy" "1" }}', "{{else if .y}}", "{{/* c */}}",
    ".x", " ", "-", "if ", "end", "else", '"', "text", "{", "}", "\n", "{{.1}}", "{{ Capitalize . }}",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(template_pieces, max_size=8).map("".join))
def test_the_template_fast_path_accepts_only_what_the_go_parser_accepts(text: str) -> None:
    from templates_app.gotemplate import TemplateParseError, parse
    from templates_app.xmlmodel.expressions import _only_simple_actions

    if _only_simple_actions(text):
        try:
            parse(text)
        except TemplateParseError as err:
            raise AssertionError(f"fast path accepted {text!r}, Go says {err.message}") from None
