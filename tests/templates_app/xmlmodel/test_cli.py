"""The command line: ``python -m templates_app.validate FILE.xml…``, run as a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "templates_app.validate", *args],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )


@pytest.fixture
def files(tmp_path: Path, zendesk_xml: bytes, malformed_xml: bytes, minimal_xml: str) -> dict[str, Path]:
    paths = {
        "good": tmp_path / "good.xml",
        "malformed": tmp_path / "malformed.xml",
        "invalid": tmp_path / "invalid.xml",
    }
    paths["good"].write_bytes(zendesk_xml)
    paths["malformed"].write_bytes(malformed_xml)
    paths["invalid"].write_text(minimal_xml.replace('Provider="crm"', 'Provider="erp"').replace('Method="GET"', 'Method="FETCH"', 1))
    return paths


def test_a_valid_template_prints_ok_and_exits_0(files: dict[str, Path]) -> None:
    result = run_cli(str(files["good"]))
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{files['good']}: ok\n", "")


def test_a_malformed_template_prints_file_line_col_and_exits_1(files: dict[str, Path], malformed_xml: bytes) -> None:
    result = run_cli(str(files["malformed"]))
    col = malformed_xml.decode().splitlines()[9].index("&client_secret") + 1
    assert result.returncode == 1
    assert result.stdout == (f'{files["malformed"]}:10:{col}: in <Parameter> attribute Value: a bare "&" is not '
                             "allowed in XML; write & as &amp;\n")


def test_every_validation_problem_gets_its_own_line(files: dict[str, Path]) -> None:
    result = run_cli(str(files["invalid"]))
    lines = result.stdout.splitlines()
    assert result.returncode == 1
    assert len(lines) == 2
    assert lines[0].startswith(f"{files['invalid']}:2:") and '"erp" is not a provider' in lines[0]
    assert '"FETCH" is not an HTTP method' in lines[1]


def test_several_files_are_all_reported_and_any_invalid_one_makes_it_exit_1(files: dict[str, Path]) -> None:
    result = run_cli(str(files["good"]), str(files["malformed"]))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == f"{files['good']}: ok"
    assert result.stdout.splitlines()[1].startswith(f"{files['malformed']}:10:")


def test_no_arguments_is_a_usage_error_with_exit_2() -> None:
    result = run_cli()
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_a_missing_file_is_reported_on_stderr_with_exit_2(tmp_path: Path, files: dict[str, Path]) -> None:
    missing = tmp_path / "nope.xml"
    result = run_cli(str(missing), str(files["good"]))
    assert result.returncode == 2
    assert f"{missing}: cannot read the file" in result.stderr
    assert result.stdout == f"{files['good']}: ok\n"
