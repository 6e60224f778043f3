"""Every case produced by the real gjson 1.14.4 must come out identical."""

from __future__ import annotations

import pytest

from templates_app.gjson import get, valid

from .conftest import conformance_dir, expected, load_cases, outcome

CASES_FILE = conformance_dir() / "gjson.jsonl"
CASES = load_cases(CASES_FILE) if CASES_FILE.exists() else []


@pytest.mark.skipif(not CASES, reason=f"no conformance file at {CASES_FILE}")
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_result_matches_gjson(case, walker):
    r = get(case["json"], case["path"])
    assert outcome(r) == expected(case)
    assert valid(case["json"]) is case["valid"]


def test_conformance_file_is_present_and_complete():
    assert CASES_FILE.exists(), f"missing {CASES_FILE} (set PBXCRM_CONFORMANCE_DIR)"
    assert len(CASES) >= 450
