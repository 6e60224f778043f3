"""Shortcuts taken for speed must not change an answer.

* the scanner passes over well-formed object members with one regex per key
  (engine._skipper): it must land where gjson's member loop would, also on
  broken text, so it is checked against the scanner without it;
* ``#.key`` over strings or numbers builds its array with one join;
* decoded trees link children to parents weakly: a Result must stay usable
  after its document has left the cache;
* modifiers that rearrange members (and ``@pretty``) are read from the tree
  (treemods.py): they must give the text modifiers' answers;
* ``@ugly`` and ``@tostr`` take C-level shortcuts on text without escapes;
* ``unescape`` lets the C string decoder do well-formed escapes.
"""

from __future__ import annotations

import gc
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from templates_app import gjson
from templates_app.gjson import engine, modifiers, pretty, scan, tables, treemods

from .conftest import outcome

EXAMPLES = int(os.environ.get("GJSON_PROP_EXAMPLES", "400"))

KEYS = st.sampled_from(["a", "b", "id", "name", "a.b", "é", "", "x*", "k1", "k"])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-1000, 10**20), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["fb", "x", "a{b", "[y]", "(p", 'q"uote', "back\\slash", "é", ""]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=4)), max_leaves=20)
JUNK = st.sampled_from(list('{}[]()":,\\ \n\tntfNI-+0.5ex') + ["true", "null", '"a"', "a", "1e", "--"])
PATHS = st.sampled_from([
    "a", "b", "id", "name", "k", "k1", "a.b", "a\\.b", "name.a", "a.id", "b.0", "a.k1.b", "k.#", "a.#.id",
    "id|@this", "x\\*", "", "é", "b.#(a)#", "nope",
])


@st.composite
def broken_doc(draw):
    value = draw(st.dictionaries(KEYS, VALUES, max_size=6))
    text = json.dumps(value, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1])))
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(text)))
        if draw(st.booleans()) and i < len(text):
            text = text[:i] + text[i + 1:]
        else:
            text = text[:i] + draw(JUNK) + text[i:]
    return text


@pytest.fixture(autouse=True)
def _compiled_skippers():
    # a key's regex is compiled the second time the key is met: meet them all twice
    for key in ["a", "b", "id", "name", "k", "k1", "a.b", "é", "", "x*", "nope", "y", "c", "d", "x", "0", "1"]:
        engine._skipper(key)
        engine._skipper(key)


def _scan(text: str, path: str) -> dict:
    return outcome(engine.get_in(text, path, None))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_doc(), PATHS)
def test_member_skipping_lands_where_gjson_does(monkeypatch_module, text, path):
    fast = _scan(text, path)
    monkeypatch_module.setattr(engine, "_skipper", lambda key: engine._NO_SKIP)
    try:
        slow = _scan(text, path)
    finally:
        monkeypatch_module.undo()
    assert fast == slow, (text, path)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.mark.parametrize(("text", "path"), [
    ('{"a":1,"b":2}', "b"),
    ('{"a":1 ,"b":2}', "b"),
    ('{"a":12"b":3,"b":4}', "b"),  # gjson reads 12"b":3 as one number
    ('{"a":truex,"b":4}', "b"),
    ('{"a":(1),"b":4}', "b"),
    ('{"a":("b":5),"b":4}', "b"),
    ('{"a":[1,(2],"b":4}', "b"),
    ('{"a\\u0062":1,"b":2}', "b"),  # an escaped key that reads as the one wanted
    ('{"a":"x\\"","b":2}', "b"),
    ('{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":1}}}}}}},"b":2}', "b"),
    ('{"a":-0.5e+3,"b":2}', "b"),
    ('{"a":-,"b":2}', "b"),
    ('{"a":nul,"b":2}', "b"),
    ('{"a":1,"b":2', "b"),
    ('{"a":1,"b', "b"),
    ('{"k":1,"k":2}', "k"),
    ('{"k":{"x":1},"k":{"y":2}}', "k.y"),
])
def test_member_skipping_cases(monkeypatch, text, path):
    fast = _scan(text, path)
    monkeypatch.setattr(engine, "_skipper", lambda key: engine._NO_SKIP)
    assert fast == _scan(text, path)


def test_long_keys_are_not_compiled():
    key = "k" * 100
    assert engine._skipper(key) is engine._NO_SKIP
    assert engine._skipper(key) is engine._NO_SKIP
    assert engine._skipper("b") is not engine._NO_SKIP
    assert gjson.get(json.dumps({"a": 1, key: 2}), key).raw == "2"


@pytest.mark.parametrize("doc", [
    {"data": [{"x": "a\\b"}, {"x": 'q"'}, {"y": 1}, {"x": "é"}]},
    {"data": [{"x": 1}, {"x": -2.5e3}, {"x": 12345678901234567890}]},
    {"data": [{"x": 1}, {"x": "s"}, {"x": None}, {"x": [1, {"z": 2}]}, {"x": True}]},
    {"data": [{"x": {"y": "a"}}, {"x": {"y": 2}}, {"x": {"z": 3}}, {"x": []}]},
    {"data": []},
])
@pytest.mark.parametrize("path", ["data.#.x", "data.#.x.y", "data.#.x|@reverse", "data.#.x.0"])
def test_projections_match_the_scan(doc, path):
    for indent in (None, 2):
        text = json.dumps(doc, indent=indent)
        tables.clear_cache()
        decoded = engine.get_in(text, path, tables.decode_root(text))
        assert outcome(decoded) == _scan(text, path)
        assert outcome(decoded.get("#")) == outcome(gjson.get(decoded.raw, "#"))


def test_results_outlive_their_document():
    text = json.dumps({"a": {"b": [{"c": {"d": [1, 2]}}, {"c": "x"}]}, "z": 1}, indent=1)
    want = {p: _scan(text, p) for p in ("a.b.0.c.d", "a.b.1", "a.b.1.c")}
    tables.clear_cache()
    was = tables.DECODE_AT_ONCE
    tables.DECODE_AT_ONCE = True
    try:
        a = gjson.get(text, "a")
        c = a.get("b.1.c")
        b = a.get("b")
        # the tree's root and a's node go; b's node has only a weak link up
        tables.clear_cache()
        del text, a
        gc.collect()
        assert outcome(b.get("0.c").get("d")) == want["a.b.0.c.d"]
        assert outcome(b.array()[1]) == want["a.b.1"]
        assert outcome(c) == want["a.b.1.c"]
    finally:
        tables.DECODE_AT_ONCE = was


MODIFIED = st.sampled_from([
    "@reverse", "@keys", "@values", "@this", "@flatten", '@flatten:{"deep":true}', "@pretty",
    '@pretty:{"sortKeys":true}', '@pretty:{"width":12,"indent":"\\t","prefix":" "}', '@pretty:{"width":-1}',
    '@pretty:{"width":0,"sortKeys":true}', "@ugly", "@tostr", "@join", '@join:{"preserve":true}',
    "@values|@join", "@group",
])
BEFORE = st.sampled_from(["", "a|", "b.", "k.0|", "a.b|", "0|"])
AFTER = st.sampled_from(["", "|0", ".1", "|#", ".a", "|@reverse", "|@keys|0", ".#.a", "|#(==1)", "|@this", "|@pretty"])


@st.composite
def container_doc(draw):
    value = draw(st.one_of(st.lists(VALUES, max_size=5), st.dictionaries(KEYS, VALUES, max_size=5)))
    text = json.dumps(value, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1, "\t"])),
                      separators=draw(st.sampled_from([None, (",", ":"), (" , ", " : ")])))
    return draw(st.sampled_from(["", " "])) + text + draw(st.sampled_from(["", " ", " x"]))


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(container_doc(), BEFORE, MODIFIED, AFTER)
def test_tree_modifiers_match_the_text_modifiers(text, before, modifier, after):
    path = before + modifier + after
    tables.clear_cache()
    was = tables.DECODE_AT_ONCE
    tables.DECODE_AT_ONCE = True
    try:
        tree = outcome(gjson.get(text, path))
    finally:
        tables.DECODE_AT_ONCE = was
    assert tree == _scan(text, path), (text, path)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(container_doc(), st.sampled_from(["", '{"sortKeys":true}', '{"width":10}', '{"width":0}', '{"width":4}',
                                         '{"indent":"\\t","prefix":"  ","width":30,"sortKeys":true}']))
def test_tree_pretty_matches_the_byte_level_pretty(text, arg):
    root = tables.decode_root(text)
    if root is not None:
        out = treemods._pretty(root, arg)
        if out is not None:
            assert out == pretty.pretty(root.raw_text(), modifiers.pretty_options(arg))


UGLY_TEXT = st.text(alphabet=list('"\\ \t\n{}[]:,a1é<&\x00\x1f\u2028\ud800'), max_size=24)


@settings(max_examples=EXAMPLES, deadline=None)
@given(UGLY_TEXT)
def test_ugly_and_tostr_shortcuts_match_the_token_readers(text):
    assert pretty.ugly(text) == "".join(pretty._UGLY_TOKEN.findall(text))
    assert modifiers.append_json_string(text) == '"' + modifiers._NEEDS_ESCAPE.sub(modifiers._escape, text) + '"'


ESCAPE_PIECES = st.sampled_from([
    "a", "é", "😀", '"', "\\", "\\n", "\\t", "\\/", '\\"', "\\\\", "\\u00e9", "\\u0041", "\\ud83d",
    "\\ude00", "\\ud83d\\ude00", "\\u12", "\\uZZZZ", "\\q", "\x01", "\x1f", "\x7f", " ",
])


@settings(max_examples=EXAMPLES * 5, deadline=None)
@given(st.lists(ESCAPE_PIECES, max_size=8).map("".join))
def test_unescape_decodes_like_gjsons_own_loop(body):
    assert scan.unescape(body) == scan._unescape_slowly(body)
