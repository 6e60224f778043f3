"""checks.py: the live field checks (Go templates and GJSON paths)."""

import pytest

from templates_app.editor import checks


def test_a_well_formed_url_template_has_no_problem():
    assert checks.check_template("https://x/{{.a}}?q={{UrlEncode .Phone}}") is None


def test_an_empty_field_has_no_problem():
    assert checks.check_template("") is None
    assert checks.check_paths("   ") is None


def test_an_unclosed_action_is_reported_at_the_braces_that_open_it():
    assert checks.check_template("https://x/{{.a") == "column 11: unclosed action"


def test_an_unknown_function_is_reported_like_the_pbx_would():
    message = checks.check_template("{{Foo .a}}")
    assert message is not None and 'function "Foo" not defined' in message


def test_a_stray_brace_inside_an_action_names_the_column_of_the_brace():
    assert checks.check_template("https://x/{{.a}}/{{.b }") == 'column 23: unexpected "}" in operand'


def test_a_multi_line_body_problem_names_line_and_column():
    message = checks.check_template('{\n  "a": "{{.x"\n}')
    assert message is not None
    assert message.startswith("line 2, column 13: ")  # the quote right after .x


def test_a_valid_gjson_path_has_no_problem():
    assert checks.check_paths("data.#.id") is None


def test_a_query_holding_a_template_action_is_checked_as_gjson_after_the_action_is_replaced():
    assert checks.check_paths('data.#(phone=="{{.Phone}}")#.street') is None


def test_each_comma_separated_path_is_checked():
    good = 'data.#(phone=="{{.Phone}}")#.street, data.#(mobile=="{{.Phone}}")#.street'
    assert checks.check_paths(good) is None


def test_a_broken_second_path_is_reported_at_its_column_in_the_whole_field():
    text = "data.#.id,data.#("
    message = checks.check_paths(text)
    assert message is not None
    column = int(message.split(":")[0].removeprefix("column "))
    assert column > len("data.#.id,")


def test_a_broken_template_action_in_a_path_is_reported_by_the_template_parser():
    message = checks.check_paths('data.#(phone=="{{.Phone")#.id')
    assert message is not None and message.startswith("column ")


def test_an_empty_part_between_commas_is_a_problem():
    assert checks.check_paths("data.#.id,,data.#.name") is not None


def test_check_dispatches_on_the_field_kind():
    assert checks.check("path", "data.#(") is not None
    assert checks.check("template", "data.#(") is None


@pytest.mark.parametrize(("text", "column", "message"), [
    ("https://x/?q={{UrlEncode .Phone}", 32, "bad character U+007D '}'"),  # the stray }
    ("https://x/{{.a", 11, "unclosed action"),  # the {{ never closed
    ("https://x/{{.a ^ .b}}", 16, 'unexpected "^" in operand'),  # the bad character
    ('https://x/{{printf "abc}}', 20, "unterminated quoted string"),  # the opening quote
    ("{{.a)}}", 5, 'unexpected ")" in command'),
])
def test_every_template_error_points_at_the_offending_character(text, column, message):
    assert checks.check_template(text) == f"column {column}: {message}"
