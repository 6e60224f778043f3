import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shared import CONFORMANCE, REPO


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "templates_app.conformance", *args],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )


def count_cases(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


@pytest.mark.parametrize("engine", ["gotemplate", "gjson"])
def test_every_shared_case_passes_through_the_command_line(engine):
    cases = CONFORMANCE / f"{engine}.jsonl"
    result = run_cli(engine, str(cases))
    assert result.returncode == 0, result.stdout[-3000:]
    assert result.stdout.splitlines()[-1] == f"{count_cases(cases)} passed, 0 failed"


def test_repeat_prints_the_time_per_case(tmp_path):
    cases = tmp_path / "one.jsonl"
    cases.write_text(json.dumps({"id": "t", "template": "{{.a}}", "data": {"a": 1}, "output": "1"}) + "\n")
    lines = run_cli("gotemplate", str(cases), "--repeat", "3").stdout.splitlines()
    assert lines[0].startswith("time: ") and lines[0].endswith(" us/case")
    assert lines[-1] == "1 passed, 0 failed"


def test_a_disagreement_is_printed_with_its_id_and_fails_the_run(tmp_path):
    cases = tmp_path / "wrong.jsonl"
    good = {"id": "good", "template": "{{.a}}", "data": {"a": "x"}, "output": "x"}
    bad = {"id": "bad-one", "template": "{{.a}}", "data": {"a": "x"}, "output": "y"}
    cases.write_text("\n".join(json.dumps(c) for c in (good, bad)) + "\n")
    result = run_cli("gotemplate", str(cases))
    assert result.returncode == 1
    assert result.stdout.splitlines() == ['bad-one: expected "y" got "x"', "1 passed, 1 failed"]


def test_an_error_case_only_needs_the_same_phase(tmp_path):
    cases = tmp_path / "err.jsonl"
    case = {"id": "e", "template": "{{.a", "data": {}, "error": {"phase": "parse", "message": "anything"}}
    cases.write_text(json.dumps(case) + "\n")
    assert run_cli("gotemplate", str(cases)).stdout.splitlines()[-1] == "1 passed, 0 failed"


def test_gjson_fields_are_compared_one_by_one(tmp_path):
    cases = tmp_path / "g.jsonl"
    case = {"id": "g1", "json": '{"a":1}', "path": "a", "valid": True, "exists": True,
            "type": "Number", "raw": "1", "str": "2"}
    cases.write_text(json.dumps(case) + "\n")
    result = run_cli("gjson", str(cases))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == 'g1: expected str="2" got str="1"'
