"""The call pipeline's own cost: CPU and database statements per call, in one thread.

    .venv/bin/python -m bench.pipeline [--calls 1000] [--batch 50]

The simulator posts --calls calls (the bench.calls mix) to the portal's intake with the
worker stopped; then one process runs the pipeline's domain functions over the stored
events, in the batches the dispatcher makes, and sends every journal to the local CRM
(another process), as one worker thread would. Process CPU and statements are counted
for each stage.

bench.calls measures the whole system, where the worker, the portal, PostgreSQL, Redis
and the load generator share the machine and runs differ by ±15 %. Here the pipeline
runs alone and nothing else is counted: two versions compare within a few per cent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from pathlib import Path

from bench.calls import EXTENSIONS, cpu_seconds, environment
from bench.loadgen import post_all
from bench.table import print_table
from pbxcrm.pbx import dispatch, simulator
from tests.deployment import KNOWN, deployment

# Run inside the portal's Django (manage.py shell): the stored events handled batch by
# batch, then the journals sent, each stage's process CPU and statements counted.
RUN = """
import json, os, time
from collections import Counter
from django.db import connection
from bench.machine import reference_ms
from integrations import pipeline
from integrations.models import Journal
from integrations.pipeline import journal
from pbxcrm.pbx.models import CallEvent

statements = Counter()

def count(execute, sql, params, many, context):
    statements[sql.split(None, 1)[0].upper()] += 1
    return execute(sql, params, many, context)

def server_cpu():
    # The PostgreSQL process serving this one (the server runs on this machine).
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = open(f"/proc/{{pid}}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

def stage(work):
    statements.clear()
    server = server_cpu() if connection.vendor == "postgresql" else 0.0
    cpu = time.process_time()
    with connection.execute_wrapper(count):
        if {profile!r}:
            import cProfile, pstats
            with cProfile.Profile(time.process_time) as profile:
                work()
            profile.dump_stats(os.path.join({profile!r}, work.__name__ + ".prof"))
            pstats.Stats(profile).sort_stats("tottime").print_stats(30)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(60)
        else:
            work()
    cpu = time.process_time() - cpu
    server = (server_cpu() if connection.vendor == "postgresql" else 0.0) - server
    return {{"cpu_ms": cpu * 1000, "server_ms": server * 1000, "statements": dict(statements)}}

pks = list(CallEvent.objects.filter(handled__isnull=True).order_by("pk").values_list("pk", flat=True))

def events():
    for start in range(0, len(pks), {batch}):
        with journal.sends_gathered():
            pipeline.handle_events(pks[start:start + {batch}])

out = {{"reference_ms": reference_ms(), "events": stage(events)}}
time.sleep(0.6)  # the journals' settle time
due = list(Journal.objects.filter(state="pending").order_by("pk").values_list("pk", flat=True))

def journals():
    for start in range(0, len(due), journal.SEND_BATCH):
        journal.send_many(due[start:start + journal.SEND_BATCH])

out["journals"] = stage(journals)
out["left"] = CallEvent.objects.filter(handled__isnull=True).count()
out["sent"] = Journal.objects.filter(state="sent").count()
print(json.dumps(out))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pipeline", description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=dispatch.MAX_BATCH,
                        help="events per task, at most as the dispatcher gathers them")
    parser.add_argument("--profile", action="store_true",
                        help="print each stage's cProfile, and keep it for pstats in a temporary folder (its CPU is "
                             "then the profiler's too)")
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting of the portal and pipeline (an environment variable), to compare")
    args = parser.parse_args(argv)
    redis_url, extra = environment(args.setting, PIPELINE_CONTEXT_SECONDS="60")
    with deployment(Path(tempfile.mkdtemp(prefix="pbxcrm-bench-")), redis_url, beat=False, **extra) as live:
        live.kill("worker")  # the stored events wait for this process alone
        calls = simulator.plan(args.calls, seed=1, extensions=EXTENSIONS, callers=list(KNOWN), pace=0.0,
                               kinds=("inbound_answered", "outbound", "inbound_missed_group", "voicemail"))
        bodies = [json.dumps(event).encode() for call in calls for _, event in call.events]
        before = cpu_seconds(live)
        ok, _, _ = asyncio.run(post_all(f"{live.portal}/pbx/events", bodies,
                                        {"Authorization": f"Bearer {live.token}"}, connections=32))
        assert ok == len(bodies), f"{len(bodies) - ok} events refused"
        after = cpu_seconds(live)
        intake = {name: (after[name] - before[name]) * 1000 / args.calls for name in ("web", "PostgreSQL")}
        profiles = tempfile.mkdtemp(prefix="pbxcrm-pipeline-profile-") if args.profile else ""
        printed = live.django(RUN.format(batch=args.batch, profile=profiles), timeout=1800).strip()
        if args.profile:
            print(printed.rsplit("\n", 1)[0])
            print(f"profiles kept for pstats: {profiles}/events.prof, {profiles}/journals.prof")
        out = json.loads(printed.splitlines()[-1])
        live.django("from pbxcrm.celery import app\napp.control.purge()")  # the tasks nobody will take
    assert out["left"] == 0 and out["sent"] == args.calls, out
    rows = []
    for name in ("events", "journals"):
        measured = out[name]
        per_call = sum(measured["statements"].values()) / args.calls
        kinds = ", ".join(f"{kind} {n / args.calls:.1f}" for kind, n in sorted(measured["statements"].items()))
        rows.append([name, f"{measured['cpu_ms'] / args.calls:.2f} ms", f"{measured['server_ms'] / args.calls:.2f} ms",
                     f"{per_call:.1f} ({kinds})"])
    total = {key: sum(out[name][key] for name in ("events", "journals")) / args.calls
             for key in ("cpu_ms", "server_ms")}
    total_statements = sum(sum(out[name]["statements"].values()) for name in ("events", "journals")) / args.calls
    rows.append(["the call", f"{total['cpu_ms']:.2f} ms", f"{total['server_ms']:.2f} ms", f"{total_statements:.1f}"])
    rows.append(["the call ÷ the reference", f"{total['cpu_ms'] / out['reference_ms']:.3f}", "", ""])
    print(f"{args.calls:,} calls, {len(bodies):,} events, batches of {args.batch}, one thread")
    print(f"reference (a fixed piece of Python, for runs on a busy machine): {out['reference_ms']:.0f} ms")
    print(f"the intake before, per call: portal {intake['web']:.2f} ms, PostgreSQL {intake['PostgreSQL']:.2f} ms "
          "of CPU")
    print_table(["stage", "CPU per call", "its PostgreSQL CPU", "statements per call (by kind)"], rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
