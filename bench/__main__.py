"""Benchmarks of the template heart, with its peers measured in the same run.

    .venv/bin/python -m bench [--quick]

Prints one table:
- GJSON µs/query on the shared conformance corpus: ours, gjson-py (the PyPI ``gjson``
  package, the only Python peer; its time includes the ``json.loads`` it needs, since
  it cannot read JSON text) and the Go reference (tidwall/gjson) when ``go`` and
  Debian's ``golang-github-tidwall-gjson-dev`` are installed;
- a 200-contact (~100 KB) CRM answer read with 15 output paths;
- Go-template µs/render of compiled templates (the conformance cases that render
  without error, and two typical ones), beside Go's ``Execute``;
- parse + validate of a 1 MB integration template.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.table import print_table

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.corpus import (  # noqa: E402
    CONTACT_PATHS,
    contacts_answer,
    large_template,
    typical_templates,
)
from templates_app import gjson, gotemplate  # noqa: E402
from templates_app.gjson.tables import clear_cache  # noqa: E402
from templates_app.xmlmodel import load_template  # noqa: E402

CONFORMANCE = Path(os.environ.get("PBXCRM_CONFORMANCE_DIR", REPO.parent / "shared" / "conformance"))


ROUNDS = 5
Timer = Callable[[], "float | None"]


def py_timer(fn: Callable[[], object], ops: int, seconds: float) -> Timer:
    """A round of ``fn`` (which does ``ops`` ops) lasting ``seconds``, giving µs per op."""
    fn()
    fn()  # the second run meets what the first one compiled

    def one_round() -> float:
        runs, start = 0, time.perf_counter()
        while True:
            fn()
            runs += 1
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return elapsed / (runs * ops) * 1e6

    return one_round


def best_of_rounds(*timers: Timer | None) -> list[float | None]:
    """The best of ROUNDS rounds of each timer, the timers taking turns.

    The best, as timeit advises, so that a pause of the (virtual) machine does
    not count; in turns, so that implementations compared in one row meet the
    same machine."""
    best: list[float | None] = [None] * len(timers)
    for _ in range(ROUNDS):
        for i, timer in enumerate(timers):
            us = timer() if timer is not None else None
            if us is not None:
                best[i] = us if best[i] is None else min(best[i], us)
    return best


def per_call_us(fn: Callable[[], object], ops: int, min_seconds: float) -> float:
    """µs per op of ``fn`` alone (best of ROUNDS rounds lasting ``min_seconds`` in all)."""
    us = best_of_rounds(py_timer(fn, ops, min_seconds / ROUNDS))[0]
    assert us is not None
    return us


class GoReference:
    """The Go reference, built from bench/go when the toolchain is there."""

    def __init__(self) -> None:
        self.binary: Path | None = None
        self.why_not = ""
        go = shutil.which("go")
        gopath = Path("/usr/share/gocode")
        if not go:
            self.why_not = "go not installed"
            return
        if not (gopath / "src/github.com/tidwall/gjson").is_dir():
            self.why_not = "golang-github-tidwall-gjson-dev not installed"
            return
        self.tmp = Path(tempfile.mkdtemp(prefix="pbxcrm-bench-"))
        env = {**os.environ, "GO111MODULE": "off", "GOPATH": str(gopath), "GOCACHE": str(self.tmp / "cache")}
        built = subprocess.run(
            [go, "build", "-o", str(self.tmp / "benchgo"), "."],
            cwd=REPO / "bench" / "go", env=env, capture_output=True, text=True,
        )
        if built.returncode != 0:
            self.why_not = f"go build failed: {built.stderr.strip()[:200]}"
            return
        self.binary = self.tmp / "benchgo"

    def timer(self, kind: str, lines: list[dict], repeat: int) -> Timer | None:
        """A run of the Go program (``repeat`` times over the lines), giving µs per line."""
        if self.binary is None:
            return None
        data = self.tmp / f"{kind}-{len(lines)}-{repeat}.jsonl"
        data.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
        command = [str(self.binary), kind, str(repeat), str(data)]

        def one_round() -> float | None:
            out = subprocess.run(command, capture_output=True, text=True)
            return float(out.stdout.strip()) / 1000 if out.returncode == 0 else None

        return one_round


def by_answer(queries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The queries grouped by document, as a worker reads all outputs of one answer together."""
    answers: dict[str, list[tuple[str, str]]] = {}
    for doc, path in queries:
        # One text object per answer, as one HTTP response gives.
        group = answers.setdefault(doc, [])
        group.append((group[0][0] if group else doc, path))
    return [q for group in answers.values() for q in group]


def one_pass(queries: list[tuple[str, str]]) -> None:
    """Every query once, starting with nothing cached, as a worker meets new CRM answers.

    Queries on the same document share its parse, as the outputs of one answer do;
    nothing survives from the previous pass.
    """
    clear_cache()
    for doc, path in queries:
        gjson.get(doc, path)


def gjson_py_answers(doc: str, path: str) -> bool:
    """Whether gjson-py (the PyPI package, not ours) handles that path on that document."""
    import gjson as gjson_py

    try:
        gjson_py.get(json.loads(doc), path)
    except Exception:
        return False
    return True


def gjson_py_pass(queries: list[tuple[str, str]]) -> None:
    """gjson-py's pass: it needs the decoded document, so it decodes each answer once."""
    import gjson as gjson_py

    data, last = None, None
    for doc, path in queries:
        if doc is not last:
            data, last = json.loads(doc), doc
        gjson_py.get(data, path)


def bench_gjson_corpus(go: GoReference, min_s: float, rows: list[list[str]]) -> None:
    cases = [json.loads(line) for line in (CONFORMANCE / "gjson.jsonl").read_text().splitlines() if line.strip()]
    queries = by_answer([(c["json"], c["path"]) for c in cases])
    ours, go_us = best_of_rounds(
        py_timer(lambda: one_pass(queries), len(queries), min_s / ROUNDS),
        go.timer("gjson", [{"json": d, "path": p} for d, p in queries], 200),
    )
    rows.append(["GJSON, shared corpus, µs/query", f"{len(queries)} queries", _f(ours), "", _f(go_us), _ratio(ours, go_us), ""])

    # gjson-py handles only part of the syntax: compare on the queries it answers.
    both = [(d, p) for d, p in queries if gjson_py_answers(d, p)]
    ours_sub, py_sub, go_sub = best_of_rounds(
        py_timer(lambda: one_pass(both), len(both), min_s / ROUNDS),
        py_timer(lambda: gjson_py_pass(both), len(both), min_s / ROUNDS),
        go.timer("gjson", [{"json": d, "path": p} for d, p in both], 200),
    )
    rows.append([
        "GJSON, queries gjson-py answers, µs/query", f"{len(both)} queries", _f(ours_sub), _f(py_sub),
        _f(go_sub), _ratio(ours_sub, go_sub), _ratio(py_sub, ours_sub),
    ])


def bench_contacts(go: GoReference, min_s: float, rows: list[list[str]]) -> None:
    doc = contacts_answer(200)

    def ours_run() -> None:
        clear_cache()  # a new answer: nothing of it is cached yet; its 15 paths share the work
        for p in CONTACT_PATHS:
            gjson.get(doc, p)

    # gjson-py cannot read every path (it fails on some queries): time the ones it reads.
    py_paths = [(doc, p) for p in CONTACT_PATHS if gjson_py_answers(doc, p)]
    ours, py_us, go_us = best_of_rounds(
        py_timer(ours_run, 1, min_s / ROUNDS),
        py_timer(lambda: gjson_py_pass(py_paths), 1, min_s / ROUNDS),
        go.timer("gjson", [{"json": doc, "path": p} for p in CONTACT_PATHS], 50),
    )
    go_answer = go_us * len(CONTACT_PATHS) if go_us is not None else None
    rows.append([
        f"200-contact answer ({len(doc) // 1024} KB), 15 paths, µs/answer", "1 answer", _f(ours),
        _f(py_us) + ("" if len(py_paths) == len(CONTACT_PATHS) else f" ({len(py_paths)} paths)"),
        _f(go_answer), _ratio(ours, go_answer), _ratio(py_us, ours),
    ])


def bench_gotemplate(go: GoReference, min_s: float, rows: list[list[str]]) -> None:
    cases = [
        json.loads(line, parse_int=float)
        for line in (CONFORMANCE / "gotemplate.jsonl").read_text().splitlines() if line.strip()
    ]
    # TimeFormat needs time-zone work that the Go stand-in does not do: leave it out of both.
    renderable = [c for c in cases if "output" in c and "TimeFormat" not in c["template"]]
    corpus = [(gotemplate.parse(c["template"]), c["data"]) for c in renderable]
    ours, go_us = best_of_rounds(
        py_timer(lambda: [t.execute(d) for t, d in corpus], len(corpus), min_s / ROUNDS),
        go.timer("template", [{"template": c["template"], "data": c["data"]} for c in renderable], 50),
    )
    rows.append(["Go template, conformance cases, µs/render", f"{len(corpus)} templates", _f(ours), "", _f(go_us), _ratio(ours, go_us), ""])
    for label, text, data in typical_templates():
        tpl = gotemplate.parse(text)
        ours, go_us = best_of_rounds(
            py_timer(lambda t=tpl, d=data: t.execute(d), 1, min_s / ROUNDS),
            go.timer("template", [{"template": text, "data": data}], 20000),
        )
        rows.append([f"Go template, {label}, µs/render", "1 template", _f(ours), "", _f(go_us), _ratio(ours, go_us), ""])


def bench_template_xml(min_s: float, rows: list[list[str]]) -> None:
    xml = large_template(1_000_000)
    ms = per_call_us(lambda: load_template(xml), 1, min_s) / 1000
    rows.append([f"parse + validate a {len(xml.encode()) // 1024} KB template, ms", "1 file", f"{ms:.1f}", "", "", "", ""])


def _f(x: float | None) -> str:
    return "" if x is None else (f"{x:.2f}" if x < 100 else f"{x:.0f}")


def _ratio(a: float | None, b: float | None) -> str:
    return "" if a is None or b is None or b == 0 else f"{a / b:.1f}×"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs (noisier numbers)")
    args = parser.parse_args(argv)
    min_s = 0.5 if args.quick else 3.0

    go = GoReference()
    rows: list[list[str]] = []
    bench_gjson_corpus(go, min_s, rows)
    bench_contacts(go, min_s, rows)
    bench_gotemplate(go, min_s, rows)
    bench_template_xml(min_s, rows)

    header = ["benchmark", "size", "pbxcrm", "gjson-py", "Go", "pbxcrm/Go", "gjson-py/pbxcrm"]
    print_table(header, rows)
    if go.binary is None:
        print(f"\nGo reference not measured: {go.why_not} (apt-get install golang-go golang-github-tidwall-gjson-dev)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
