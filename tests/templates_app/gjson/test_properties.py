"""Property tests: nothing raises, and plain keys read what json.loads reads."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from templates_app.gjson import get, path_error, valid
from templates_app.gjson.tables import clear_cache

JSON_CHARS = st.sampled_from(list('{}[]()",:.\\ \n\t#@*?|!=<>%~') + ["true", "null", "1e5", "-", "a", "b", "é"])
junk_text = st.one_of(st.text(max_size=60), st.lists(JSON_CHARS, max_size=40).map("".join))
junk_path = st.one_of(st.text(max_size=30), st.lists(JSON_CHARS, max_size=20).map("".join))

keys = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**20, 10**20),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=10),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=12)
PLAIN_KEY = st.text(alphabet="abcxyz_-01", min_size=1, max_size=5)

fast = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(junk_text, junk_path)
def test_get_valid_and_path_error_never_raise(text, path):
    r = get(text, path)
    assert isinstance(r.raw, str) and isinstance(r.str, str)
    r.array()
    valid(text)
    path_error(path)


@fast
@given(values, st.integers(0, 3))
def test_valid_agrees_with_json_for_generated_documents(value, indent):
    text = json.dumps(value, indent=indent or None)
    assert valid(text)


def _walk(value, steps):
    """Follow dictionary keys / list indexes like a plain gjson path does."""
    path = []
    for step in steps:
        if isinstance(value, dict) and value:
            k = sorted(value)[step % len(value)]
            if not k or any(c in k for c in ".|*?\\#@!{}[]()\"") or k[0] in "[{":
                return None, None
            path.append(k)
            value = value[k]
        elif isinstance(value, list) and value:
            i = step % len(value)
            path.append(str(i))
            value = value[i]
        else:
            break
    return ".".join(path), value


@fast
@given(st.dictionaries(PLAIN_KEY, values, min_size=1, max_size=5), st.lists(st.integers(0, 50), min_size=1, max_size=4),
       st.sampled_from([None, 1, "\t"]))
def test_plain_key_paths_read_the_same_value_as_json_loads(doc, steps, indent):
    text = json.dumps(doc, indent=indent)
    path, expect = _walk(doc, steps)
    if not path:
        return
    clear_cache()
    r = get(text, path)
    assert r.exists
    assert json.loads(r.raw) == expect
