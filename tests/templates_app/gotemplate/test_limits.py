"""A render and a parse are bounded: steps, output, time and tokens (limits.py)."""

from __future__ import annotations

import pytest

from templates_app.gotemplate import Limits, TemplateExecError, TemplateParseError, parse, render
from templates_app.gotemplate.strconv import RangeErr, parse_uint

LIST = {"L": [float(i) for i in range(200)]}
NESTED = "{{range .L}}{{range $.L}}{{range $.L}}{{range $.L}}x{{end}}{{end}}{{end}}{{end}}"


def exec_error(text: str, data: object, limits: Limits | None = None) -> TemplateExecError:
    with pytest.raises(TemplateExecError) as caught:
        render(text, data, limits=limits)
    return caught.value


def test_four_nested_ranges_over_200_items_stop_at_the_step_limit():
    err = exec_error(NESTED, LIST)
    assert "step limit exceeded" in err.message and "200,000" in err.message


def test_the_step_limit_error_points_at_the_range_that_crossed_it():
    # The innermost range turns most often; Go places a range node at its pipeline.
    err = exec_error(NESTED, LIST)
    assert (err.line, err.col) == (1, NESTED.rindex("$.L") + 1)


def test_template_calls_count_as_steps():
    recursive = '{{define "down"}}{{if .}}{{template "down" (slice . 1)}}{{end}}{{end}}{{template "down" .L}}'
    err = exec_error(recursive, LIST, Limits(max_steps=50))
    assert "step limit exceeded" in err.message and "template" in str(err)


def test_a_range_that_repeats_a_large_value_stops_at_the_output_limit():
    err = exec_error("{{range .L}}{{$.B}}{{end}}", {**LIST, "B": "y" * 100_000})
    assert "output limit exceeded" in err.message and "1,048,576" in err.message


def test_the_output_limit_holds_for_a_render_without_loops():
    err = exec_error("{{.a}}{{.a}}", {"a": "0123456789"}, Limits(max_output=15))
    assert "output limit exceeded" in err.message


def test_the_time_limit_stops_a_render_that_runs_too_long():
    err = exec_error(NESTED, LIST, Limits(max_seconds=-1.0, max_steps=10**9))
    assert "time limit exceeded" in err.message


def test_a_render_within_the_limits_gives_the_whole_output():
    assert render("{{range .L}}{{.}},{{end}}", {"L": [1.0, 2.0]}, limits=Limits(max_steps=2, max_output=4)) == "1,2,"


def test_a_template_with_too_many_tokens_is_refused_at_parse_time():
    with pytest.raises(TemplateParseError) as caught:
        parse("{{" + " .a" * 600 + "}}", limits=Limits(max_parse_tokens=1000))
    assert "more than 1,000 tokens" in caught.value.message


def test_an_overflowing_number_literal_is_a_range_error_whatever_its_length():
    with pytest.raises(RangeErr):
        parse_uint("9" * 1_000_000)


def test_a_million_digit_literal_is_refused_as_a_number_go_cannot_hold():
    with pytest.raises(TemplateParseError) as caught:
        parse("{{" + "9" * 1_000_000 + "}}")
    assert "illegal number syntax" in caught.value.message


def test_an_overflowing_literal_keeps_its_syntax_error_after_the_overflow():
    # Scanning goes on past the overflow: a bad digit at the end is still a syntax error.
    with pytest.raises(ValueError) as caught:
        parse_uint("9" * 40 + "z")
    assert type(caught.value).__name__ == "SyntaxErr"
