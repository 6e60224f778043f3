"""The engine's promises beyond the conformance corpus: product mode, positions, reuse."""

from __future__ import annotations

import contextlib
import threading

import pytest

from templates_app import gotemplate
from templates_app.gotemplate import (
    TemplateError,
    TemplateExecError,
    TemplateParseError,
    loads_json,
    parse,
    render,
)

CALL = {
    "Phone": "+1 (415) 555-0100",
    "FirstName": "josé",
    "StartTimeUnix": "1709647629",
    "m": {"a": 1.0, "c": {"d": "deep"}},
    "nil": None,
    "arr": [1.0, 2.0, 3.0],
}


# -- missing values -----------------------------------------------------------------------------


def test_a_missing_field_prints_no_value_as_go_does():
    assert (
        render("[{{.nope}}|{{.m.zz}}|{{.nope.deeper}}|{{.nil}}]", CALL)
        == "[<no value>|<no value>|<no value>|<no value>]"
    )


def test_product_mode_renders_a_missing_field_as_empty_text():
    tpl = parse("https://crm/{{.nope}}/x?q={{UrlEncode .missing}}&n={{.m.zz}}")
    assert tpl.execute(CALL, missingkey="empty") == "https://crm//x?q=&n="


def test_product_mode_renders_null_and_missing_chains_as_empty_text():
    tpl = parse("[{{.nil}}|{{.nope.deeper}}|{{.nil.deeper}}|{{if .nope}}yes{{else}}no{{end}}|{{len .nope}}]")
    assert tpl.execute(CALL, missingkey="empty") == "[|||no|0]"


def test_go_mode_keeps_the_error_for_a_field_of_null():
    with pytest.raises(TemplateExecError, match="nil pointer evaluating interface {}.deeper"):
        parse("{{.nil.deeper}}").execute(CALL)


def test_product_mode_keeps_present_values():
    assert parse("{{.m.a}} {{.Phone}}").execute(CALL, missingkey="empty") == "1 +1 (415) 555-0100"


def test_missingkey_error_stops_at_the_missing_key():
    with pytest.raises(TemplateExecError, match='map has no entry for key "nope"'):
        parse("{{.nope}}").execute(CALL, missingkey="error")


def test_an_unknown_missingkey_mode_is_a_template_error():
    with pytest.raises(TemplateExecError):
        parse("x").execute({}, missingkey="bogus")


# -- error positions ----------------------------------------------------------------------------


def test_a_parse_error_reports_line_and_column_of_the_offending_token():
    with pytest.raises(TemplateParseError) as info:
        parse("line one\n  {{ .a | nosuch }}", name="t")
    err = info.value
    assert str(err) == 'template: t:2: function "nosuch" not defined'
    assert (err.line, err.col) == (2, 11)
    assert err.message == 'function "nosuch" not defined'


def test_an_exec_error_reads_like_go_and_points_at_the_node():
    with pytest.raises(TemplateExecError) as info:
        parse("ok\n{{index .arr 5}}", name="t").execute(CALL)
    err = info.value
    assert (
        str(err)
        == 'template: t:2:2: executing "t" at <index .arr 5>: error calling index: index out of range: 5'
    )
    assert (err.line, err.col) == (2, 3)


def test_exec_error_columns_count_characters_while_go_counts_bytes():
    with pytest.raises(TemplateExecError) as info:
        parse("é{{.s.x}}", name="t").execute({"s": "str"})
    assert ":1:6:" in str(info.value)  # Go: byte offset 6 (é is two bytes), from 0
    assert info.value.col == 6  # characters, from 1


def test_errors_inside_a_define_name_the_executing_template():
    with pytest.raises(TemplateExecError, match='executing "inner" at <.s.x>'):
        render('{{define "inner"}}{{.s.x}}{{end}}{{template "inner" .}}', {"s": "str"})


def test_both_error_kinds_are_template_errors():
    assert issubclass(TemplateParseError, TemplateError)
    assert issubclass(TemplateExecError, TemplateError)


# -- compile once, render many ------------------------------------------------------------------


def test_a_compiled_template_is_reused_with_different_data():
    tpl = parse("{{.a}}-{{range .l}}{{.}}{{end}}")
    assert tpl.execute({"a": "x", "l": [1.0, 2.0]}) == "x-12"
    assert tpl.execute({"a": "y", "l": []}) == "y-"
    assert tpl.execute({"a": "x", "l": [1.0, 2.0]}) == "x-12"


def test_executing_does_not_lex_or_parse_again(monkeypatch):
    tpl = parse('{{define "T"}}{{.}}{{end}}{{range .l}}{{template "T" .}}{{end}}')

    def refuse(*args, **kwargs):
        raise AssertionError("lexed or parsed during execute")

    monkeypatch.setattr(gotemplate.lexer, "lex", refuse)
    monkeypatch.setattr(gotemplate.parser, "parse_trees", refuse)
    monkeypatch.setattr(gotemplate.template, "parse_trees", refuse)
    assert tpl.execute({"l": ["a", "b"]}) == "ab"


def test_a_compiled_template_can_be_shared_between_threads():
    tpl = parse("{{$x := .n}}{{range $i, $v := .l}}{{$i}}{{$v}}{{end}}{{$x}}")
    errors = []

    def work(n: int) -> None:
        data = {"n": float(n), "l": [str(n)] * 3}
        want = f"0{n}1{n}2{n}{n}"
        for _ in range(300):
            got = tpl.execute(data)
            if got != want:
                errors.append((want, got))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_render_parses_each_text_once():
    text = "{{.a}} cached"
    assert render(text, {"a": "x"}) == "x cached"
    assert gotemplate.template._cached(text, "template") is gotemplate.template._cached(text, "template")


# -- the PBX guide's functions ------------------------------------------------------------------


def test_capitalize_upper_cases_only_the_first_character():
    assert render('{{Capitalize .FirstName}} {{Capitalize 12}} {{Capitalize ""}}', CALL) == "José 12 "


def test_capitalize_leaves_a_letter_without_single_upper_case_alone():
    assert render('{{Capitalize "ßa"}}', {}) == "ßa"


def test_urlencode_query_escapes_with_percent_twenty_for_space():
    assert render("{{UrlEncode .Phone}}", CALL) == "%2B1%20%28415%29%20555-0100"
    assert render('{{UrlEncode "hello world!"}}', {}) == "hello%20world%21"


def test_tomillis_takes_seconds_as_a_number_or_a_decimal_string():
    assert render("{{ToMillis .StartTimeUnix}}", CALL) == "1709647629000"
    assert render("{{ToMillis .n}}", {"n": 1700000000.0}) == "1700000000000"


def test_tomillis_rejects_anything_else_at_execution():
    with pytest.raises(TemplateExecError, match='not a Unix timestamp: "josé"'):
        render("{{ToMillis .FirstName}}", CALL)
    with pytest.raises(TemplateExecError, match="not a Unix timestamp: 1672531199"):
        render("{{ToMillis 1672531199}}", CALL)  # a constant is an int, not a JSON number


def test_timeformat_uses_utc_for_one_and_the_pbx_zone_otherwise():
    tpl = parse(
        '{{TimeFormat .StartTimeUnix "yyyy-MM-dd HH:mm:ss" "1"}}|{{TimeFormat .StartTimeUnix "dd/MM/yy hh:mm SSS" "0"}}'
    )
    assert tpl.execute(CALL) == "2024-03-05 14:07:09|05/03/24 02:07 000"
    assert tpl.execute(CALL, timezone="Europe/Berlin") == "2024-03-05 14:07:09|05/03/24 03:07 000"


def test_timeformat_with_an_unknown_zone_fails_only_when_the_zone_is_needed():
    assert render('{{TimeFormat 1.0 "yyyy" "1"}}', {}, timezone="No/Such_Zone") == "1970"
    with pytest.raises(TemplateExecError, match="unknown time zone"):
        render('{{TimeFormat 1.0 "yyyy" "0"}}', {}, timezone="No/Such_Zone")


# -- data and robustness -------------------------------------------------------------------------


def test_numbers_in_the_data_are_go_float64s():
    data = loads_json('{"big": 12345678901234567890, "n": 42, "f": 3.5, "e": 1e21, "m": 1000000}')
    assert render("{{.big}} {{.n}} {{.f}} {{.e}} {{.m}}", data) == "1.2345678901234567e+19 42 3.5 1e+21 1e+06"
    assert render('{{printf "%d %T" .n .n}}', data) == "%!d(float64=42) float64"


def test_python_ints_in_the_data_count_as_float64_too():
    assert render('{{.n}} {{printf "%T" .n}} {{ToMillis .n}}', {"n": 7}) == "7 float64 7000"


def test_unbounded_template_recursion_is_an_exec_error():
    with pytest.raises(TemplateExecError, match="exceeded maximum template depth"):
        render('{{define "T"}}{{template "T" .}}{{end}}{{template "T" .}}', {})


def test_deeply_nested_parentheses_never_escape_as_another_exception():
    text = "{{" + "(" * 3000 + "1" + ")" * 3000 + "}}"
    with contextlib.suppress(TemplateError):
        assert render(text, {}) == "1"


def test_range_over_a_large_list_works():
    data = {"l": [float(i) for i in range(100000)]}
    out = parse("{{range .l}}{{if eq . 99999.0}}{{.}}{{end}}{{end}}").execute(data)
    assert out == "99999"


def test_stray_bytes_in_the_output_become_replacement_characters():
    assert render("{{slice .u 1 3}}", {"u": "ünï"}) == "\ufffdn"
    assert render("{{slice .u 0 1}}{{slice .u 1}}", {"u": "ünï"}) == "ünï"


def test_break_and_continue_leave_the_text_written_before_them():
    assert render("{{range .l}}a{{if eq . 2.0}}{{break}}{{end}}b{{end}}", {"l": [1.0, 2.0, 3.0]}) == "aba"
    assert (
        render("{{range .l}}a{{if eq . 2.0}}{{continue}}{{end}}b{{end}}", {"l": [1.0, 2.0, 3.0]}) == "abaab"
    )


# -- Go semantics that are easy to get wrong (each checked against Go 1.19) ---------------------


def test_a_variable_is_not_visible_inside_the_pipeline_that_declares_it():
    assert render("{{$x := 1}}{{$x := $x}}{{$x}}", {}) == "1"
    with pytest.raises(TemplateExecError, match="undefined variable: \\$x"):
        render("{{$x := not $x}}", {})


def test_a_variable_declared_in_an_if_body_is_gone_in_its_else_branch():
    assert render("{{$x := 1}}{{if .f}}{{$x := 2}}{{else}}{{$x}}{{end}}", {"f": False}) == "1"
    with pytest.raises(TemplateExecError, match="undefined variable"):
        render("{{if .f}}{{$y := 2}}{{else}}{{$y}}{{end}}", {"f": False})


def test_a_range_that_assigns_sets_the_top_variables_of_the_stack():
    text = "{{$i := 0}}{{$v := 0}}{{range $i, $v = .l}}{{$i}}{{$v}};{{end}}{{$i}}{{$v}}"
    assert render(text, {"l": [1.0, None, "x"]}) == "01;1<no value>;2x;2x"


def test_break_in_a_nested_range_else_ends_only_that_range():
    text = "{{range .l}}{{range $.e}}{{else}}{{break}}{{end}}x{{end}}y"
    assert render(text, {"l": [1.0, 2.0, 3.0], "e": []}) == "xxxy"


def test_a_field_of_a_nil_range_element_is_an_error_but_printing_it_is_not():
    assert render("{{range .l}}[{{.}}]{{end}}", {"l": [None, 1.0]}) == "[<no value>][1]"
    with pytest.raises(TemplateExecError, match="nil pointer evaluating interface {}.x"):
        render("{{range .l}}{{.x}}{{end}}", {"l": [None]})


def test_number_literals_are_untyped_constants():
    assert render("{{print 3.0}} {{printf \"%T %T %T %T\" 1 1.0 'a' 1i}} {{0x1F}} {{1_000}}", {}) == (
        "3 int float64 int complex128 31 1000"
    )


def test_comparing_a_json_number_with_an_int_constant_is_an_error():
    with pytest.raises(TemplateExecError, match="incompatible types for comparison"):
        render("{{eq .n 42}}", {"n": 42.0})
    assert render("{{eq .n 42.0}} {{eq (index .s 0) 104}}", {"n": 42.0, "s": "hi"}) == "true true"


def test_and_or_stop_at_the_deciding_argument():
    assert render("{{or .t .nope.x}} {{and .f .nil.x}}", {"t": True, "f": False, "nil": None}) == "true false"


def test_printf_writes_go_error_text_for_bad_verbs_and_arguments():
    text = '{{printf "%d|%s|%!|%[3]d|%w" 3.5}} {{printf "%d" 1 2}}'
    assert (
        render(text, {})
        == "%!d(float64=3.5)|%!s(MISSING)|%!!(MISSING)|%!d(BADINDEX)|%!w(MISSING) 1%!(EXTRA int=2)"
    )


def test_slice_can_reach_into_a_json_arrays_spare_capacity():
    assert render("{{slice .l 0 4}}", {"l": [1.0, 2.0, 3.0]}) == "[1 2 3 <nil>]"
