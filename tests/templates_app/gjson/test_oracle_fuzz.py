"""Extra cases answered by the real gjson 1.14.4 (the Debian package, through
shared/conformance/oracles/gjson): randomly generated documents and paths,
malformed ones included, kept to pin down gjson's odd corners (a multipath
followed by text, queries on scalars, modifiers on broken JSON, ...).  The
``plan-*`` cases are CRM-shaped answers (arrays of records, repeated member
names) read with the path shapes plan.py compiles, pipes and wildcards
included, so that a compiled path is held to gjson's answer; the ``lines-*``
cases read JSON lines (``..``), well formed or not; the ``dotpipe-*`` cases
end a chain of keys with ``.@modifier`` or ``.[multipath]``, which gjson
reads as a pipe; the ``nested-*`` cases read a path after ``#.`` or after a
query's match, and pipes after those."""

from __future__ import annotations

from pathlib import Path

import pytest

from templates_app.gjson import get, valid

from .conftest import expected, load_cases, outcome

CASES = load_cases(Path(__file__).with_name("data") / "gjson_oracle_fuzz.jsonl")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_generated_case_matches_gjson(case, walker):
    assert outcome(get(case["json"], case["path"])) == expected(case)
    assert valid(case["json"]) is case["valid"]
