"""get() answers like gjson on text that is not JSON, and never raises."""

from __future__ import annotations

from templates_app.gjson import get, valid

HTML_ERROR_PAGE = "<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>"


def test_html_error_page_finds_nothing_and_is_invalid():
    r = get(HTML_ERROR_PAGE, "data.#.id")
    assert not r.exists
    assert r.type == "Null" and r.raw == "" and r.str == ""
    assert valid(HTML_ERROR_PAGE) is False


def test_truncated_body_still_yields_what_precedes_the_cut():
    body = '{"data":[{"id":1,"name":"Ann"},{"id":2,"na'
    assert get(body, "data.0.name").str == "Ann"
    assert get(body, "data.1.id").raw == "2"
    assert valid(body) is False


def test_truncated_body_counts_the_elements_gjson_sees():
    assert get('{"data":[1,2,3', "data.#").str == "3"


def test_truncated_inside_a_string_does_not_raise():
    r = get('{"a":"unterminated', "a")
    assert not r.exists


def test_json_lines_are_read_with_the_double_dot_prefix():
    lines = '{"id":1}\n{"id":2,"n":"b"}\n{"id":3}'
    assert get(lines, "..#.id").raw == "[1,2,3]"
    assert get(lines, "..1.n").str == "b"


def test_single_quoted_pseudo_json_finds_nothing():
    assert not get("{'a':1}", "a").exists


def test_bare_nan_is_a_number_to_gjson():
    r = get('{"a":NaN}', "a")
    assert r.type == "Number" and r.str == "NaN"


def test_empty_text_and_empty_path_find_nothing():
    assert not get("", "").exists
    assert not get("", "a").exists
    assert not get("{}", "").exists


def test_deeply_nested_input_does_not_raise():
    deep = "[" * 5000 + "]" * 5000
    assert get(deep, "0.0.0").raw == "[" * 4997 + "]" * 4997
    assert valid(deep) is True


def test_very_long_path_does_not_raise():
    r = get('{"a":{"a":1}}', ".".join(["a"] * 3000))
    assert not r.exists


def test_garbage_paths_do_not_raise():
    doc = '{"a":[{"b":1},{"b":"x"}],"c":{"d":true}}'
    for path in ["#(", "#[", "a.#(b==", "{", "[", "@", "!", "@pretty:{", "a|", "a..", "\\", "#(#(#(", "{a:{b:"]:
        get(doc, path)
