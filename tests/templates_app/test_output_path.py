import pytest

from templates_app.gotemplate import TemplateExecError, TemplateParseError
from templates_app.output_path import evaluate_output_path, split_output_path

CONTACTS = """{"data": [
  {"id": "c1", "first_name": "Ann", "phone": "+100", "mobile": "+200", "street": "Main St 1", "empty": ""},
  {"id": "c2", "first_name": "Ben", "phone": "+300", "mobile": "+100", "street": "Side Rd 2"}
]}"""


def test_a_path_without_commas_is_one_alternative():
    assert split_output_path("data.#.id") == ["data.#.id"]


def test_top_level_commas_separate_alternatives():
    assert split_output_path("a.b, c.d,e") == ["a.b", " c.d", "e"]


def test_commas_inside_queries_multipaths_and_actions_do_not_split():
    path = 'data.#(name=="a,b").id,{x,y},[p,q],{{printf "%s,%s" .A .B}}.z'
    assert split_output_path(path) == ['data.#(name=="a,b").id', "{x,y}", "[p,q]", '{{printf "%s,%s" .A .B}}.z']


def test_an_escaped_comma_belongs_to_the_key():
    assert split_output_path(r"a\,b,c") == [r"a\,b", "c"]


def test_variables_are_rendered_into_the_path():
    r = evaluate_output_path('data.#(phone=="{{.Phone}}").first_name', CONTACTS, {"Phone": "+300"})
    assert r.str == "Ben"


def test_the_first_alternative_that_yields_a_value_wins():
    # +100 is c1's phone and c2's mobile: the phone alternative comes first.
    path = 'data.#(phone=="{{.Phone}}")#.street, data.#(mobile=="{{.Phone}}")#.street'
    assert evaluate_output_path(path, CONTACTS, {"Phone": "+100"}).raw == '["Main St 1"]'


def test_an_empty_match_falls_through_to_the_next_alternative():
    # +200 is nobody's phone, so the phone query gives [] and the mobile query answers.
    path = 'data.#(phone=="{{.Phone}}")#.street,data.#(mobile=="{{.Phone}}")#.street'
    assert evaluate_output_path(path, CONTACTS, {"Phone": "+200"}).raw == '["Main St 1"]'
    assert evaluate_output_path(path, CONTACTS, {"Phone": "+100"}).raw == '["Main St 1"]'
    assert evaluate_output_path(path, CONTACTS, {"Phone": "+300"}).raw == '["Side Rd 2"]'


def test_an_empty_string_is_not_a_value():
    r = evaluate_output_path("data.0.empty,data.0.first_name", CONTACTS)
    assert r.str == "Ann"


def test_when_nothing_matches_the_last_alternative_result_is_returned():
    r = evaluate_output_path("data.0.nope,data.0.none", CONTACTS)
    assert not r.exists


def test_a_missing_variable_renders_as_empty_text():
    r = evaluate_output_path('data.#(phone=="{{.Missing}}").id', CONTACTS, {})
    assert not r.exists


def test_a_broken_action_is_a_parse_error():
    with pytest.raises(TemplateParseError):
        evaluate_output_path("data.#(phone=={{.Phone).id", CONTACTS, {})


def test_a_failing_function_is_an_exec_error():
    with pytest.raises(TemplateExecError):
        evaluate_output_path("data.{{ToMillis .When}}", CONTACTS, {"When": "soon"})


def test_invalid_json_gives_no_value_and_does_not_raise():
    r = evaluate_output_path("data.0.id,id", "<html><body>502 Bad Gateway</body></html>", {})
    assert not r.exists
