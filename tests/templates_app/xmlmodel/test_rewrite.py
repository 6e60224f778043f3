"""An edited model written back into its original text (xmlmodel/rewrite.py)."""

from __future__ import annotations

from templates_app.xmlmodel import parse_template, serialize_template
from templates_app.xmlmodel.rewrite import rewrite_template

from .conftest import FIXTURES

HAND_WRITTEN = (FIXTURES / "hand-written-crm.xml").read_text(encoding="utf-8")


def edited(text: str, change) -> tuple[str, object]:
    new = parse_template(text)
    change(new)
    return rewrite_template(parse_template(text), new), new


def differing_lines(a: str, b: str) -> list[tuple[str, str]]:
    assert len(a.splitlines()) == len(b.splitlines())
    return [(x, y) for x, y in zip(a.splitlines(), b.splitlines(), strict=True) if x != y]


def test_an_unchanged_model_gives_back_the_text_byte_for_byte():
    assert rewrite_template(parse_template(HAND_WRITTEN), parse_template(HAND_WRITTEN)) == HAND_WRITTEN


def test_a_changed_value_in_single_quotes_is_escaped_for_single_quotes():
    def change(tpl):
        tpl.scenario("AuthMethod").parameters[4].title = "Jo's <CRM>"

    text, new = edited(HAND_WRITTEN, change)
    (line,) = differing_lines(HAND_WRITTEN, text)
    assert line[1] == ("                <Parameter Title='Jo&apos;s &lt;CRM>' Editor='string' Name='crm_url' "
                       "Father='CustomFieldList'></Parameter>")
    assert parse_template(text) == new


def test_an_added_attribute_goes_after_the_written_ones_and_a_removed_one_leaves_no_gap():
    def change(tpl):
        tpl.other_attributes["Note"] = "x"
        tpl.logo = None

    text, new = edited(HAND_WRITTEN, change)
    (line,) = differing_lines(HAND_WRITTEN, text)
    assert ' Name="Hand-written CRM" Key="hand_written_crm" Remark=""' in line[1]
    assert line[1].endswith(' CreateNewTicket="0" Note="x">')
    assert parse_template(text) == new


def test_a_row_removed_rewrites_only_the_list_it_was_in():
    def change(tpl):
        del tpl.scenario("AuthMethod").parameters[3]

    text, new = edited(HAND_WRITTEN, change)
    assert parse_template(text) == new
    assert "<Scenarios><!-- written by hand -->" in text
    assert text.count("></Output>") == HAND_WRITTEN.count("></Output>")
    assert 'Name="api_key"' not in text


def test_a_model_built_in_code_is_serialized_whole():
    from templates_app.editor import mapping

    tpl = mapping.new_template()
    assert rewrite_template(tpl, tpl) == serialize_template(tpl)
