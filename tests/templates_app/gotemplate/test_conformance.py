"""Every case Go 1.19 produced for the shared corpus: same output, or an error of the same phase."""

from __future__ import annotations

import json

import pytest

from templates_app.gotemplate import TemplateExecError, TemplateParseError, parse
from tests.shared import CONFORMANCE

CASES_FILE = CONFORMANCE / "gotemplate.jsonl"


def _load_cases() -> list[dict]:
    if not CASES_FILE.exists():
        return []
    with open(CASES_FILE, encoding="utf-8") as fh:
        # parse_int=float: Go's encoding/json makes every number a float64.
        return [json.loads(line, parse_int=float) for line in fh if line.strip()]


CASES = _load_cases()


def test_the_conformance_file_is_there():
    assert CASES, f"no cases found at {CASES_FILE}"


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_the_engine_agrees_with_go(case):
    phase, out = None, None
    try:
        tpl = parse(case["template"], name=case["id"])
        out = tpl.execute(case["data"], timezone=case.get("timezone") or "UTC")
    except TemplateParseError as err:
        phase, out = "parse", str(err)
    except TemplateExecError as err:
        phase, out = "exec", str(err)
    if "error" in case:
        assert phase == case["error"]["phase"], f"want {case['error']}, got {phase}: {out!r}"
    else:
        assert phase is None, f"unexpected {phase} error: {out}"
        assert out == case["output"]
