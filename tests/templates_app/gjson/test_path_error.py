"""path_error: the template linter for GJSON paths."""

from __future__ import annotations

import pytest

from templates_app.gjson import PathSyntaxError, path_error

from .conftest import conformance_dir, load_cases

GOOD_PATHS = [
    "name.last",
    "data.#.id",
    'data.#(phone=="+15551234567")#.name',
    'friends.#(nets.#(=="fb"))#.first',
    "friends.#(age>=40).last",
    'users.#(email%"*@example.com")#.id',
    'users.#(email!%"*@example.com")#.id',
    "children.#(!=\"Alex\")#",
    "items.#(active==~true)#",
    "c?ildren.0",
    "child*.2",
    r"fav\.movie",
    r"a\.b.g\|h",
    "..#.id",
    "friends|#",
    "friends.@reverse|0.first",
    '@pretty:{"indent":"\\t","sortKeys":true}',
    '@flatten:{"deep":true}',
    "{name.first,age,\"the_kids\":children}",
    "[name.first,age]|@tostr",
    '!true',
    '[!1,!"a",!{"x":[1]}]',
    "friends.#.nets|@flatten|@join",
]

CONFORMANCE_EXCEPTIONS = {"", "\\"}  # both only address a key named "" (see report)


@pytest.mark.parametrize("path", GOOD_PATHS)
def test_good_path_has_no_error(path):
    assert path_error(path) is None


def test_every_conformance_path_that_finds_something_passes():
    cases = load_cases(conformance_dir() / "gjson.jsonl")
    rejected = [c["path"] for c in cases
                if c["exists"] and c["path"] not in CONFORMANCE_EXCEPTIONS and path_error(c["path"])]
    assert rejected == []


def test_empty_path_is_reported_at_column_one():
    err = path_error("")
    assert isinstance(err, PathSyntaxError)
    assert (err.col, err.message) == (1, "empty path")


def test_unclosed_query_points_at_the_hash():
    err = path_error('friends.#(first=="Dale"')
    assert err.col == 9
    assert "unclosed" in err.message


def test_unclosed_multipath_points_at_the_brace():
    assert path_error("{name.first,age").col == 1


def test_unclosed_bracket_in_a_key_points_at_the_bracket():
    assert path_error("data.a(b").col == 7


def test_stray_closing_bracket_is_reported_where_it_is():
    assert path_error("data.a)").col == 7


def test_mismatched_brackets_report_the_closer():
    err = path_error("#(a.#[b==1))")
    assert err is not None and err.col == 11


def test_unclosed_quote_in_a_query_value_points_at_the_quote():
    err = path_error('data.#(name=="Ann)')
    assert err.col == 14
    assert "quote" in err.message


def test_query_with_an_unknown_operator_points_at_the_operator():
    err = path_error("data.#(age=>3)")
    assert err.col == 11
    assert "=>" in err.message


def test_query_comparison_without_a_value_is_reported():
    assert path_error("data.#(age>)").col == 11


def test_empty_query_is_reported():
    assert path_error("data.#()").col == 6


def test_text_after_a_quoted_query_value_is_reported():
    assert path_error('data.#(a=="x"y)').col == 14


def test_unknown_modifier_points_at_the_at_sign():
    err = path_error("data|@foo")
    assert err.col == 6
    assert "@foo" in err.message


def test_escaped_at_sign_is_a_plain_key_not_a_modifier():
    assert path_error(r"data.\@foo") is None


def test_dangling_escape_points_at_the_backslash():
    assert path_error("data.a\\").col == 7


def test_trailing_separator_is_an_empty_component():
    assert path_error("data.").col == 5


def test_unclosed_modifier_argument_points_at_its_brace():
    assert path_error('@pretty:{"indent":"\\t"').col == 9


def test_error_renders_message_with_column():
    assert str(path_error("@nope")) == "column 1: unknown modifier '@nope'"


@pytest.mark.parametrize(("opener", "levels"), [("#(", 1000), ("{a:", 1000), ("[", 1000), ("#(a.#(", 500)])
def test_a_pathologically_nested_path_is_a_bad_path_with_its_column(opener: str, levels: int) -> None:
    err = path_error(opener * levels)
    assert err is not None and "nested too deeply" in err.message
    assert 1 < err.col <= len(opener) * 70


def test_sixty_levels_of_nesting_are_still_checked_normally() -> None:
    assert path_error("#(" * 60 + "a==1" + ")" * 60) is None
