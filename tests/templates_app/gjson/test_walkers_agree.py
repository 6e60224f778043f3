"""The decoded-tree walker must answer exactly like the scanning walker (which
follows gjson's own loops): checked on generated documents and paths."""

from __future__ import annotations

import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from templates_app.gjson import engine, tables

from .conftest import outcome

# raise for a longer hunt, e.g. GJSON_PROP_EXAMPLES=10000
EXAMPLES = int(os.environ.get("GJSON_PROP_EXAMPLES", "400"))

KEYS = st.sampled_from(["a", "b", "id", "name", "a.b", "k\"q", "é", "", "tags", "x*"])
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-1000, 10**20), st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["fb", "x", "a{b", "[y]", "line\nbreak", 'q"uote', "back\\slash", "é😀", "\x01ctl", ""]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=5), st.dictionaries(KEYS, inner, max_size=5)), max_leaves=25)


def _esc(key: str) -> str:
    return "".join("\\" + c if c in ".|*?\\#@!\"" else c for c in key)


@st.composite
def doc_and_path(draw):
    value = draw(st.one_of(st.lists(VALUES, max_size=6), st.dictionaries(KEYS, VALUES, max_size=6)))
    text = json.dumps(value, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1, "\t"])))
    parts = []
    v = value
    for _ in range(draw(st.integers(1, 4))):
        if isinstance(v, dict) and v:
            k = draw(st.sampled_from(sorted(v)))
            parts.append(_esc(k) if k else "")
            v = v[k]
        elif isinstance(v, list) and v:
            choice = draw(st.integers(0, 5))
            objs = [e for e in v if isinstance(e, dict) and e]
            if choice == 0:
                parts.append("#")
                break
            if choice in (1, 2) and objs:
                k = draw(st.sampled_from(sorted(draw(st.sampled_from(objs)))))
                op = draw(st.sampled_from(["==", "!=", "<", ">=", "%"]))
                lit = json.dumps(draw(SCALARS))
                parts.append(f"#({_esc(k)}{op}{lit})" + draw(st.sampled_from(["", "#"])))
                break
            if choice == 3 and objs:
                parts.append("#." + _esc(draw(st.sampled_from(sorted(draw(st.sampled_from(objs)))))))
                break
            i = draw(st.integers(0, len(v) - 1))
            parts.append(str(i))
            v = v[i]
        else:
            break
    path = ".".join(parts) or "@this"
    if draw(st.integers(0, 9)) == 0:
        path += draw(st.sampled_from(["|@reverse", "|#", ".0", "|@keys"]))
    return text, path


def _answer(text: str, path: str, threshold: int, decode: bool) -> dict:
    old = (engine.MIN_TABLE_SIZE, tables.DECODE_AT_ONCE)
    engine.MIN_TABLE_SIZE, tables.DECODE_AT_ONCE = threshold, decode
    tables.clear_cache()
    try:
        return outcome(engine.get(text, path))
    finally:
        engine.MIN_TABLE_SIZE, tables.DECODE_AT_ONCE = old
        tables.clear_cache()


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc_and_path())
def test_decoded_and_scanning_walkers_agree(case):
    text, path = case
    assert _answer(text, path, 0, True) == _answer(text, path, 1 << 62, False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='ab"\\n/u0', max_size=30))
def test_escape_marking_keeps_length_and_marks_every_escape(body):
    text = '["' + body + '"]'
    marked = tables._mark(text)
    if not text.endswith("\\"):
        assert len(marked) == len(text)
    assert "\\" not in marked
    # with the markers, quotes that end strings are exactly the unescaped ones
    expected = text.replace("\\\\", "\x01\x01").replace('\\"', "\x01\x02").replace("\\", "\x01")
    assert marked == expected


def test_plain_path_on_a_new_big_document_scans_without_decoding():
    tables.clear_cache()
    text = json.dumps({"status": "ok", "data": [{"id": i} for i in range(1000)]})
    assert len(text) > tables.SCAN_FIRST_SIZE
    assert engine.get(text, "status").str == "ok"
    assert not isinstance(tables._DOCS.get(text), tables.Node)


def test_plain_path_on_a_new_small_document_decodes_it_for_later_paths():
    tables.clear_cache()
    text = json.dumps({"status": "ok", "data": [{"id": i} for i in range(10)]})
    assert len(text) <= tables.SCAN_FIRST_SIZE
    assert engine.get(text, "status").str == "ok"
    assert isinstance(tables._DOCS.get(text), tables.Node)


def test_array_path_decodes_the_document_once_for_later_paths():
    tables.clear_cache()
    text = json.dumps({"status": "ok", "data": [{"id": i} for i in range(100)]})
    assert engine.get(text, "data.#").str == "100"
    node = tables._DOCS.get(text)
    assert isinstance(node, tables.Node)
    assert engine.get(text, "data.#.id").raw == "[" + ",".join(map(str, range(100))) + "]"
    assert tables._DOCS.get(text) is node
