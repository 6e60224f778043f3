"""Shared helpers for the GJSON evaluator tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from templates_app.gjson import engine, tables
from tests.shared import CONFORMANCE


def conformance_dir() -> Path:
    return CONFORMANCE


def go_decoded(text: str) -> str:
    """Go's encoding/json turns unpaired surrogate escapes into U+FFFD; Python's
    keeps them.  Apply Go's reading so both implementations see the same text."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def load_cases(path: Path) -> list[dict]:
    cases = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                case = json.loads(line)
                case["json"] = go_decoded(case["json"])
                case["path"] = go_decoded(case["path"])
                cases.append(case)
    return cases


def outcome(r) -> dict:
    """The fields the Go oracle records for a Result."""
    got = {"exists": r.exists, "type": r.type, "raw": r.raw, "str": r.str}
    if r.is_array:
        got["array"] = [e.str for e in r.array()]
    return got


def expected(case: dict) -> dict:
    exp = {k: case[k] for k in ("exists", "type", "raw", "str")}
    # the oracle omits "array" when it is empty
    if case["type"] == "JSON" and case["raw"][:1] == "[":
        exp["array"] = case.get("array", [])
    return exp


@pytest.fixture(params=["auto", "scan", "table"])
def walker(request, monkeypatch):
    """Run a test with the default choice of walker, and with each forced:
    "scan" follows gjson's loops over the text, "table" decodes every
    document (of any size) and answers from the tree where it can."""
    threshold = {"auto": tables.MIN_TABLE_SIZE, "scan": 1 << 62, "table": 0}[request.param]
    monkeypatch.setattr(engine, "MIN_TABLE_SIZE", threshold)
    monkeypatch.setattr(tables, "DECODE_AT_ONCE", request.param == "table")
    tables.clear_cache()
    yield request.param
    tables.clear_cache()
