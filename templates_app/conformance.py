"""Check the engines against cases produced by the real Go implementations.

    python -m templates_app.conformance {gotemplate|gjson} FILE.jsonl [FILE…] [--repeat N]

Prints one line per disagreement (id, expected, got), with ``--repeat`` a line
``time: X us/case``, and last ``N passed, M failed``. Exits 0 only when none failed.

The case format is the one of ``shared/conformance/README.md``. Only the phase of a
Go-template error is compared: the message is Go's and is there to be read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from templates_app import gjson, gotemplate


@dataclass(frozen=True)
class Disagreement:
    case_id: str
    expected: str
    got: str

    def __str__(self) -> str:
        return f"{self.case_id}: expected {self.expected} got {self.got}"


def read_cases(paths: Iterable[Path]) -> Iterator[dict[str, Any]]:
    """Yield the cases of JSON-lines files, decoding numbers as Go does (all float64)."""
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    # parse_int=float: Go's encoding/json gives float64 for every number
                    # in interface{} data, and templates print them as such.
                    yield json.loads(line, parse_int=float)


def _gotemplate_outcome(case: dict[str, Any]) -> dict[str, Any]:
    try:
        tpl = gotemplate.parse(case["template"], name=case.get("id", "template"))
    except gotemplate.TemplateParseError as err:
        return {"error": {"phase": "parse", "message": str(err)}}
    try:
        out = tpl.execute(case.get("data"), timezone=case.get("timezone") or "UTC")
    except gotemplate.TemplateExecError as err:
        return {"error": {"phase": "exec", "message": str(err)}}
    return {"output": out}


def check_gotemplate(case: dict[str, Any]) -> Disagreement | None:
    got = _gotemplate_outcome(case)
    if "error" in case:
        want_phase = case["error"]["phase"]
        if got.get("error", {}).get("phase") == want_phase:
            return None
        return Disagreement(case["id"], f"{want_phase} error", _describe(got))
    if got.get("output") == case["output"]:
        return None
    return Disagreement(case["id"], json.dumps(case["output"], ensure_ascii=False), _describe(got))


def _describe(outcome: dict[str, Any]) -> str:
    if "error" in outcome:
        return f"{outcome['error']['phase']} error: {outcome['error']['message']}"
    return json.dumps(outcome["output"], ensure_ascii=False)


_GJSON_FIELDS = ("valid", "exists", "type", "raw", "str", "array")


def gjson_outcome(doc: str, path: str) -> dict[str, Any]:
    """What the oracle prints for one query, computed by our evaluator."""
    r = gjson.get(doc, path)
    out: dict[str, Any] = {
        "valid": gjson.valid(doc),
        "exists": r.exists,
        "type": r.type,
        "raw": r.raw,
        "str": r.str,
    }
    # The oracle's field is `json:"array,omitempty"`: an empty array is not printed.
    if r.is_array and (elements := r.array()):
        out["array"] = [e.str for e in elements]
    return out


def check_gjson(case: dict[str, Any]) -> Disagreement | None:
    got = gjson_outcome(case["json"], case["path"])
    for field in _GJSON_FIELDS:
        if case.get(field) != got.get(field):
            return Disagreement(
                case["id"],
                f"{field}={json.dumps(case.get(field), ensure_ascii=False)}",
                f"{field}={json.dumps(got.get(field), ensure_ascii=False)}",
            )
    return None


CHECKERS: dict[str, Callable[[dict[str, Any]], Disagreement | None]] = {
    "gotemplate": check_gotemplate,
    "gjson": check_gjson,
}


def _time_per_case(engine: str, cases: list[dict[str, Any]], repeat: int) -> float:
    """Microseconds per case for the engine's hot path: render a compiled template, or one query."""
    if engine == "gotemplate":
        # Only what renders: a failing case would time the error path, not rendering.
        work = [
            (gotemplate.parse(case["template"]), case.get("data"), case.get("timezone") or "UTC")
            for case in cases
            if "output" in case and _gotemplate_outcome(case).get("output") == case["output"]
        ]

        def run() -> None:
            for tpl, data, tz in work:
                tpl.execute(data, timezone=tz)

        n = len(work)
    else:
        queries = [(c["json"], c["path"]) for c in cases]

        def run() -> None:
            for doc, path in queries:
                gjson.get(doc, path)

        n = len(queries)
    run()  # warm caches, as a long-running worker would have them
    start = time.perf_counter()
    for _ in range(repeat):
        run()
    elapsed = time.perf_counter() - start
    return elapsed / max(1, n * repeat) * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m templates_app.conformance", description=__doc__.split("\n\n")[0])
    parser.add_argument("engine", choices=sorted(CHECKERS))
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--repeat", type=int, default=0, help="also time the engine over N repetitions")
    args = parser.parse_args(argv)

    check = CHECKERS[args.engine]
    try:
        cases = list(read_cases(args.files))
    except (OSError, ValueError) as err:
        print(f"cannot read cases: {err}", file=sys.stderr)
        return 2
    passed = failed = 0
    for case in cases:
        try:
            problem = check(case)
        except Exception as err:  # an engine crash is a disagreement, not the end of the run
            problem = Disagreement(case.get("id", "?"), "an answer", f"crash: {type(err).__name__}: {err}")
        if problem is None:
            passed += 1
        else:
            failed += 1
            print(problem)
    if args.repeat > 0:
        print(f"time: {_time_per_case(args.engine, cases, args.repeat):.2f} us/case")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
