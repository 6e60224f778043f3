"""Serialization: the model written back as XML, losing nothing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from templates_app.xmlmodel import (
    Group,
    IntegrationTemplate,
    Output,
    Parameter,
    Request,
    Scenario,
    Unknown,
    parse_template,
    serialize_template,
)

from .conftest import GUIDE_EXAMPLES, replace_once


def same_tree(a: str, b: str) -> bool:
    """Whether two XML texts hold the same elements, attributes (in order), text and comments."""

    def shape(el: etree._Element) -> tuple:
        text = (el.text or "").strip()
        return (el.tag, list(el.attrib.items()), text, [shape(c) for c in el], (el.tail or "").strip())

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return shape(etree.fromstring(a.encode(), parser)) == shape(etree.fromstring(b.encode(), parser))


def test_the_realworld_template_serializes_to_its_own_text(zendesk_xml: bytes) -> None:
    assert serialize_template(parse_template(zendesk_xml)) == zendesk_xml.decode()


def test_parse_serialize_parse_gives_an_equal_model_for_the_realworld_template(zendesk_xml: bytes) -> None:
    tpl = parse_template(zendesk_xml)
    assert parse_template(serialize_template(tpl)) == tpl


@pytest.mark.parametrize("path", GUIDE_EXAMPLES, ids=lambda p: p.stem)
def test_parse_serialize_parse_gives_an_equal_model_for_the_guides_examples(path: Path) -> None:
    tpl = parse_template(path.read_bytes())
    assert parse_template(serialize_template(tpl)) == tpl


@pytest.mark.parametrize("path", GUIDE_EXAMPLES, ids=lambda p: p.stem)
def test_an_unedited_guide_example_serializes_to_the_same_element_tree(path: Path) -> None:
    text = path.read_text()
    assert same_tree(serialize_template(parse_template(text)), text.replace('<?xml version="1.1"', '<?xml version="1.0"'))


def test_serialized_text_starts_with_a_declaration_and_indents_by_two_spaces(minimal_xml: str) -> None:
    text = serialize_template(parse_template(minimal_xml))
    lines = text.splitlines()
    assert lines[0] == '<?xml version="1.0" encoding="UTF-8"?>'
    assert lines[2] == "  <Scenarios>" and lines[3].startswith('    <Scenario Id="AuthMethod"')


def test_unknown_elements_attributes_and_comments_survive_a_round_trip() -> None:
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by vendor tool 2.1 -->
<Information Provider="crm" Vendor="acme" Name="x">
  <Parameters />
  <Branding Color="#fff">
    <Icon Size="32" />
  </Branding>
  <Scenarios Note="kept">
    <Scenario Id="Common" Type="REST" Region="eu">
      <Presets />
      <!-- headers for the next request -->
      <Requests>
        <Request Cache="60" Name="R" Method="GET" URLFormat="https://x">
          <Retry Count="3" />
          <Outputs Next="S" Strategy="first">
            <Output Name="A" Path="a" Format="raw" />
            <?vendor hint?>
          </Outputs>
        </Request>
      </Requests>
      <Responses />
    </Scenario>
  </Scenarios>
</Information>
<!-- end -->
"""
    tpl = parse_template(xml)
    assert serialize_template(tpl) == xml
    assert parse_template(serialize_template(tpl)) == tpl
    assert tpl.other_attributes == {"Vendor": "acme"}
    assert [u.tag for u in tpl.other_children] == ["Parameters", "Branding"]
    request = tpl.scenarios[0].requests[0]
    assert (request.other_attributes, request.next, request.outputs_group.other_attributes) == (
        {"Cache": "60"}, "S", {"Strategy": "first"})


def test_unknown_elements_stay_in_place_when_the_model_is_edited(zendesk_xml: bytes) -> None:
    tpl = parse_template(zendesk_xml)
    tpl.call_journal_scenario.subject = "Call"
    tpl.scenario("AuthMethod").parameters.insert(0, Parameter(name="TokenRefreshInterval", value="0"))
    text = serialize_template(tpl)
    assert text.index("<Presets />") < text.index('<Parameter Name="TokenRefreshInterval" Value="0" />')
    assert text.count("<Responses />") == 1
    assert text.index("<Responses />") > text.index('<Parameter Father="PopulateTemplateString" Name="Accept"')
    assert '<Parameter Name="Subject" Value="Call" />' in text
    assert parse_template(text) == tpl


def test_attribute_order_is_kept_and_new_attributes_follow(zendesk_xml: bytes) -> None:
    tpl = parse_template(zendesk_xml)
    token_invalid = tpl.auth_method_scenario.token_error_map[0]
    token_invalid.description = "token expired"
    text = serialize_template(tpl)
    assert '<Parameter Father="TokenErrorMap" Type="TokenInvalid" Name="TokenInvalid" Value="invalid_token" ' \
           'Description="token expired" />' in text


def test_attribute_values_are_escaped_so_they_read_back_the_same() -> None:
    value = 'a & b < c > "d" \'e\'\nline 2\r\n\ttab'
    tpl = parse_template("<Information/>")
    tpl.remark = value
    text = serialize_template(tpl)
    assert 'Remark="a &amp; b &lt; c > &quot;d&quot; \'e\'&#10;line 2&#13;&#10;&#9;tab"' in text
    assert parse_template(text).remark == value


def test_a_missing_wrapper_is_not_added_on_serialization() -> None:
    xml = '<Information><Scenarios><Scenario Id="Common" Type="REST"><Requests><Request Name="R" /></Requests></Scenario></Scenarios></Information>'
    text = serialize_template(parse_template(xml))
    assert "<Parameters" not in text and "<Outputs" not in text


def test_a_wrapper_is_added_when_content_needs_one() -> None:
    tpl = parse_template('<Information><Scenarios><Scenario Id="Common"><Requests><Request Name="R" /></Requests></Scenario></Scenarios></Information>')
    request = tpl.scenarios[0].requests[0]
    request.outputs.append(Output(name="Id", path="id"))
    request.next = "Other"
    assert '<Outputs Next="Other">\n            <Output Name="Id" Path="id" />' in serialize_template(tpl)


def test_wrappers_keep_their_written_order() -> None:
    xml = '<Information><Scenarios><Scenario Id="C"><Requests><Request Name="R"><Outputs /><Parameters /></Request></Requests>' \
          '<Parameters /></Scenario></Scenarios></Information>'
    text = serialize_template(parse_template(xml))
    assert text.index("<Outputs />") < text.index("<Parameters />")
    assert text.index("</Requests>") < text.rindex("<Parameters />")


def test_a_model_built_in_code_serializes_with_every_wrapper() -> None:
    tpl = IntegrationTemplate(provider="crm", name="New", scenarios=[
        Scenario(id="Common", type="REST", requests=[Request(name="R", method="GET", url_format="https://x?a=1&b=2")]),
    ])
    text = serialize_template(tpl)
    assert text == """<?xml version="1.0" encoding="UTF-8"?>
<Information Provider="crm" Name="New">
  <Scenarios>
    <Scenario Id="Common" Type="REST">
      <Parameters />
      <Requests>
        <Request Name="R" Method="GET" URLFormat="https://x?a=1&amp;b=2">
          <Parameters />
          <Outputs />
        </Request>
      </Requests>
    </Scenario>
  </Scenarios>
</Information>
"""
    assert parse_template(text) == tpl


def test_mixed_text_content_is_written_without_added_whitespace() -> None:
    xml = "<Information><Note>Hello <b>bold</b> world</Note></Information>"
    tpl = parse_template(xml)
    assert tpl.other_children[0].text == "Hello "
    assert "<Note>Hello <b>bold</b> world</Note>" in serialize_template(tpl)
    assert parse_template(serialize_template(tpl)) == tpl


def test_cdata_is_read_as_text_and_written_escaped() -> None:
    tpl = parse_template('<Information><Scenarios><Scenario Id="C"><Parameters><Parameter Name="P"><![CDATA[a < b]]></Parameter>'
                         "</Parameters></Scenario></Scenarios></Information>")
    assert tpl.scenarios[0].parameters[0].text == "a < b"
    assert '<Parameter Name="P">a &lt; b</Parameter>' in serialize_template(tpl)


def test_namespaced_vendor_extras_are_written_back_with_their_declarations() -> None:
    xml = '<Information xmlns:v="urn:vendor" v:build="7"><v:Extra v:on="1"/><Scenarios/></Information>'
    tpl = parse_template(xml)
    assert tpl.other_attributes == {"xmlns:v": "urn:vendor", "v:build": "7"}
    assert same_tree(serialize_template(tpl), xml)


@pytest.mark.parametrize(("change", "error"), [
    (lambda t: setattr(t, "remark", "bell\x07"), "U+0007"),
    (lambda t: t.other_children.append(Unknown(tag="bad name")), "not a valid XML name"),
    (lambda t: t.other_children.append(Unknown(tag="#comment", text="a -- b")), '"--"'),
])
def test_content_xml_cannot_hold_is_refused_with_a_value_error(change, error: str) -> None:
    tpl = parse_template("<Information/>")
    change(tpl)
    with pytest.raises(ValueError, match=re.escape(error)):
        serialize_template(tpl)


def test_a_group_object_can_carry_extras_for_a_new_wrapper() -> None:
    tpl = IntegrationTemplate(name="x", scenarios_group=Group(other_attributes={"Note": "n"}))
    assert '<Scenarios Note="n" />' in serialize_template(tpl)


def test_serializing_twice_gives_the_same_text(minimal_xml: str) -> None:
    xml = replace_once(minimal_xml, "<Requests />", "<Requests><!-- none --></Requests>")
    once = serialize_template(parse_template(xml))
    assert serialize_template(parse_template(once)) == once
