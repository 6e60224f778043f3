"""The Result object: String(), Float(), Array() and chaining."""

from __future__ import annotations

from templates_app.gjson import get

DOC = (
    '{"name":{"first":"Tom","last":"Anderson"},"age":37,"score":1.50,"big":1e3,'
    '"children":["Sara","Alex","Jack"],"esc":"caf\\u00e9 \\ud83d\\ude00 \\"q\\"","ok":true,"no":false,"nil":null}'
)


def test_string_values_are_unescaped_including_surrogate_pairs():
    assert get(DOC, "esc").str == 'café 😀 "q"'


def test_raw_keeps_the_original_escapes():
    assert get(DOC, "esc").raw == '"caf\\u00e9 \\ud83d\\ude00 \\"q\\""'


def test_integer_numbers_keep_their_text():
    assert get(DOC, "age").str == "37"


def test_other_numbers_print_like_go_formatfloat():
    assert get(DOC, "score").str == "1.5"
    assert get(DOC, "big").str == "1000"


def test_num_is_the_float_value():
    assert get(DOC, "score").num == 1.5
    assert get(DOC, "ok").num == 1.0


def test_booleans_and_null():
    assert (get(DOC, "ok").type, get(DOC, "ok").str) == ("True", "true")
    assert (get(DOC, "no").type, get(DOC, "no").str) == ("False", "false")
    r = get(DOC, "nil")
    assert (r.exists, r.type, r.raw, r.str) == (True, "Null", "null", "")


def test_array_elements_and_is_array():
    r = get(DOC, "children")
    assert r.is_array
    assert [e.str for e in r.array()] == ["Sara", "Alex", "Jack"]


def test_array_of_a_scalar_is_the_scalar_alone():
    assert [e.str for e in get(DOC, "age").array()] == ["37"]


def test_array_of_missing_or_null_is_empty():
    assert get(DOC, "missing").array() == []
    assert get(DOC, "nil").array() == []


def test_result_get_continues_from_the_value():
    assert get(DOC, "name").get("last").str == "Anderson"


def test_projection_builds_new_json():
    assert get(DOC, "children.#").str == "3"
    assert get(DOC, "{name.first,age}").raw == '{"first":"Tom","age":37}'
