"""Calls end to end: the simulator → the intake → one worker process on Redis → the
local CRM, with agent pages open on every extension.

    .venv/bin/python -m bench.calls [--calls 2000] [--popup-calls 500] [--contacts 500000]

- intake: events accepted per second, the simulator posting every event of --calls
  calls as fast as 64 connections allow;
- journals: journals delivered per second, from the first 30012 accepted to the last
  journal the CRM received (each call's lookup included: it is the pipeline's rate);
- popups: event received → URL pushed to an open agent page, at 50 calls/s: from the
  moment the ringing event leaves the simulator to the moment the agent page's stream
  delivers the popup (an upper bound: the intake's own answer time is inside it);
- local lookup: the PBX's directory searched for a caller among --contacts company
  contacts (the PBX's limit is 500,000), inside the portal's own process.

The database is SQLite in a temporary folder, or DATABASE_URL's (a fresh database is
made on that server). Redis is the one on 127.0.0.1:6379, or REDIS_URL.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.engine import percentile
from bench.loadgen import post_all, post_paced
from bench.machine import reference_ms
from bench.table import print_table
from pbxcrm.pbx import simulator
from tests.deployment import KNOWN, deployment

EXTENSIONS = ["1001", "1002", "1003", "1004"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.calls", description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--popup-calls", type=int, default=500)
    parser.add_argument("--popup-runs", type=int, default=3,
                        help="popup phases run one after the other (on a shared machine they differ)")
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--contacts", type=int, default=500_000)
    parser.add_argument("--worker-threads", type=int, default=8, help="threads of the one worker process")
    parser.add_argument("--only", choices=["intake", "popups", "lookup"], help="run one phase alone")
    parser.add_argument("--setting", action="append", default=[], metavar="NAME=VALUE",
                        help="a setting of the portal and worker (an environment variable), to compare")
    args = parser.parse_args(argv)
    redis_url, extra = environment(args.setting, PIPELINE_CONTEXT_SECONDS="2")
    rows: list[list[str]] = []
    # The test deployment re-reads the pipeline's context every 0.3 s (so tests see a
    # change at once); the bench keeps the production default.
    with deployment(Path(tempfile.mkdtemp(prefix="pbxcrm-bench-")), redis_url, beat=False,
                    worker_threads=args.worker_threads, **extra) as live:
        phases = {"intake": lambda: throughput(live, args.calls),
                  "popups": lambda: [row for run in range(args.popup_runs)
                                     for row in popups(live, args.popup_calls, args.rate, seed=2 + run,
                                                       label=f" (run {run + 1})" if args.popup_runs > 1 else "")],
                  "lookup": lambda: local_lookup(live, args.contacts)}
        for name, phase in phases.items():
            if args.only not in (None, name):
                continue
            found = phase()
            for row in found:
                print(" · ".join(row), flush=True)  # as it comes: the whole run takes minutes
            rows += found
    print_table(["measure", "result", "goal"], rows)
    return 0


def environment(settings: list[str], **defaults: str) -> tuple[str, dict[str, str]]:
    """The Redis URL and the settings a bench's deployment runs with: the bench's own
    (``defaults`` among them), DATABASE_URL's database if set, then each NAME=VALUE of
    ``settings`` (--setting), which wins."""
    extra = {"JOURNAL_SETTLE_SECONDS": "0.5", "CRM_TIMEOUT_SECONDS": "20", **defaults}
    if os.environ.get("DATABASE_URL"):
        extra["DATABASE_URL"] = os.environ["DATABASE_URL"]
    extra.update(setting.split("=", 1) for setting in settings)
    return os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), extra


def throughput(live, count: int) -> list[list[str]]:
    calls = simulator.plan(count, seed=1, extensions=EXTENSIONS, callers=list(KNOWN), pace=0.0,
                           kinds=("inbound_answered", "outbound", "inbound_missed_group", "voicemail"))
    events = [event for call in calls for _, event in call.events]
    bodies = [json.dumps(event).encode() for event in events]
    ends: list[float] = []

    def answered(index: int, status: int, started: float) -> None:
        if events[index]["type"] == 30012:
            ends.append(started)

    reference = reference_ms()
    cpu_before, work_before = cpu_seconds(live), work_done(live)
    ok, seconds, latencies = asyncio.run(post_all(f"{live.portal}/pbx/events", bodies,
                                                  {"Authorization": f"Bearer {live.token}"}, connections=32,
                                                  on_answer=answered))
    assert ok == len(bodies), f"{len(bodies) - ok} events refused"
    ids = {c.call_id for c in calls}
    deadline = time.monotonic() + 900
    while len({j.get("Call_Id") for j in live.crm.state.calls} & ids) < count:
        assert time.monotonic() < deadline, "the journals did not all arrive"
        time.sleep(0.05)
    journals_per_s = count / (time.perf_counter() - min(ends))
    cpu = {name: (after - cpu_before[name]) * 1000 / count for name, after in cpu_seconds(live).items()}
    work = per_call(work_before, work_done(live), count)
    reference = min(reference, reference_ms())  # the machine's speed at the start and at the end
    return [
        ["intake: events accepted per second", f"{ok / seconds:,.0f}/s ({ok:,} events, 32 connections, "
         f"p50 {statistics.median(latencies) * 1000:.1f} ms per event)", "≥ 1,000/s"],
        ["journals delivered per second", f"{journals_per_s:,.0f}/s ({count:,} calls, lookups included)", "≥ 200/s"],
        ["CPU per call (intake, lookup, journal)", ", ".join(f"{name} {ms:.2f} ms" for name, ms in cpu.items()), ""],
        ["… ÷ a fixed piece of Python (bench.machine)", f"{reference:.0f} ms: " + ", ".join(
            f"{name} {ms / reference:.4f}" for name, ms in cpu.items() if name in ("worker", "web", "PostgreSQL")), ""],
        ["work per call", work, ""],
    ]


def popups(live, count: int, rate: float, *, seed: int = 2, label: str = "") -> list[list[str]]:
    from tests.servers import signed_in

    live.django("from pbxcrm.pbx.models import Extension\nExtension.objects.update(open_contact_url=True, "
                "popup_method='automatic', popup_trigger='ringing')")
    cookies = dict(signed_in(live.portal).cookies)
    arrived: dict[str, float] = {}
    ready = threading.Event()
    stop = threading.Event()

    async def listen_all():
        async with httpx.AsyncClient(base_url=live.portal, cookies=cookies, timeout=None) as client:
            opened = 0

            async def listen(number: str):
                nonlocal opened
                async with client.stream("GET", f"/agent/{number}/stream") as answer:
                    async for line in answer.aiter_lines():
                        if line == ": connected":
                            opened += 1
                            if opened == len(EXTENSIONS):
                                ready.set()
                        elif line.startswith("data: "):
                            message = json.loads(line[6:])
                            arrived.setdefault(message["call_id"], time.perf_counter())

            tasks = [asyncio.create_task(listen(n)) for n in EXTENSIONS]
            while not stop.is_set():
                await asyncio.sleep(0.1)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    listener = threading.Thread(target=asyncio.run, args=(listen_all(),), daemon=True)
    listener.start()
    ready.wait(30)
    calls = simulator.plan(count, seed=seed, extensions=EXTENSIONS, callers=list(KNOWN), pace=0.5,
                           kinds=("inbound_answered",))
    # Each call's events at their times, a new call every 1/rate s, from the lean client
    # (httpx would cost the load generator more CPU than the portal spends).
    schedule = sorted(((index / rate + at, call.call_id, json.dumps(event).encode())
                       for index, call in enumerate(calls) for at, event in call.events), key=lambda s: s[0])
    first_sent: dict[str, float] = {}
    cpu_before, work_before = cpu_seconds(live), work_done(live)
    ok, _ = asyncio.run(post_paced(f"{live.portal}/pbx/events", [(at, body) for at, _, body in schedule],
                                   {"Authorization": f"Bearer {live.token}"},
                                   on_sent=lambda i, t: first_sent.setdefault(schedule[i][1], t)))
    assert ok == len(schedule), f"{len(schedule) - ok} events refused"
    deadline = time.monotonic() + 60
    while len(arrived) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    stop.set()
    listener.join(10)
    ids = {c.call_id for c in calls}
    while len({j.get("Call_Id") for j in live.crm.state.calls} & ids) < count and time.monotonic() < deadline + 60:
        time.sleep(0.05)  # the journals too: the CPU below is each call's whole cost
    cpu = {name: (after - cpu_before[name]) * 1000 / count for name, after in cpu_seconds(live).items()}
    work = per_call(work_before, work_done(live), count)
    latencies = [(arrived[c.call_id] - first_sent[c.call_id]) * 1000 for c in calls if c.call_id in arrived]
    stages = json.loads(live.django(STAGES % [c.call_id for c in calls]).strip().splitlines()[-1])
    return [
        [f"popup latency p50 at {rate:.0f} calls/s{label}", f"{percentile(latencies, 50):.1f} ms "
         f"({len(latencies)}/{count} popups)", "≤ 20 ms"],
        [f"popup latency p99 at {rate:.0f} calls/s{label}", f"{percentile(latencies, 99):.1f} ms", "≤ 100 ms"],
        *[[f"  of which {name}", f"p50 {p50:.1f} ms, p99 {p99:.1f} ms", ""] for name, (p50, p99) in stages.items()],
        ["CPU per call (popup, lookup, journal)", ", ".join(f"{name} {ms:.1f} ms" for name, ms in cpu.items()), ""],
        ["work per call", work, ""],
    ]


def work_done(live) -> dict[str, int]:
    """Counters of what the system did so far: Celery tasks published (Redis LPUSH),
    Redis commands, and PostgreSQL commits in the bench's database. Unlike CPU time
    they do not move with the machine's load, so two versions compare on them exactly."""
    import redis

    client = redis.Redis.from_url(live.env["REDIS_URL"])
    stats = client.info("commandstats")
    out = {"Celery tasks": stats.get("cmdstat_lpush", {}).get("calls", 0),
           "Redis commands": sum(v.get("calls", 0) for v in stats.values())}
    database = live.env.get("DATABASE_URL", "")
    if database.startswith("postgres"):
        import psycopg

        with psycopg.connect(database, autocommit=True) as connection:
            out["PostgreSQL commits"] = connection.execute(
                "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()").fetchone()[0]
    return out


def per_call(before: dict[str, int], after: dict[str, int], count: int) -> str:
    return ", ".join(f"{(after[name] - before[name]) / count:.1f} {name}" for name in after)


def cpu_seconds(live) -> dict[str, float]:
    """CPU time used so far by the worker process, the web process, PostgreSQL (every
    process of the server: the cost of the queries), Redis, and this process (the
    simulator, the local CRM and the agent pages' listener)."""
    tick = os.sysconf("SC_CLK_TCK")

    def used(pid: int) -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    servers = {"postgres": 0.0, "redis-server": 0.0}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                name = (entry / "comm").read_text().strip()
                if name in servers:
                    servers[name] += used(int(entry.name))
            except OSError:  # gone meanwhile
                continue
    mine = {name: used(live.processes[name].pid) for name in ("worker", "web") if name in live.processes}
    return {**mine, "PostgreSQL": servers["postgres"], "Redis": servers["redis-server"], "bench": used(os.getpid())}


# Where a popup's time goes, from the rows the pipeline left: the ringing event stored
# → its task claims the call's lookup (the wait for a worker) → the CRM answered →
# the popup stored (published to the agent page as its transaction commits).
STAGES = """
import json
from bench.engine import percentile
from integrations.models import CallLookup, Popup
from pbxcrm.pbx.models import CallEvent
ids = %r
received = {}
for call_id, at in CallEvent.objects.filter(pbx_call_id__in=ids).values_list("pbx_call_id", "received"):
    received[call_id] = min(at, received.get(call_id, at))
lookups = {l.call.call_id: l for l in CallLookup.objects.filter(call__call_id__in=ids).select_related("call")}
popups = {}
for call_id, at in Popup.objects.filter(call__call_id__in=ids).values_list("call__call_id", "created"):
    popups[call_id] = min(at, popups.get(call_id, at))
spans = {"event stored → a worker takes it": [], "the lookup (CRM request)": [], "lookup → popup stored": []}
for call_id, lookup in lookups.items():
    if call_id in received and call_id in popups:
        spans["event stored → a worker takes it"].append((lookup.created - received[call_id]).total_seconds() * 1000)
        spans["the lookup (CRM request)"].append(lookup.milliseconds)
        spans["lookup → popup stored"].append((popups[call_id] - lookup.updated).total_seconds() * 1000)
print(json.dumps({k: (percentile(v, 50), percentile(v, 99)) for k, v in spans.items() if v}))
"""


LOOKUP = """
import random, time, statistics
from pbxcrm.pbx.models import Contact, ContactNumber
from pbxcrm.pbx import directory
count = {count}
rng = random.Random(4)
if Contact.objects.filter(phonebook__isnull=True).count() < count:
    batch = 20_000
    for start in range(0, count, batch):
        made = Contact.objects.bulk_create(Contact(first_name=f"C{{n}}", last_name="Bench") for n in range(start, min(count, start + batch)))
        numbers = []
        for contact in made:
            number = f"+1{{rng.randrange(2000000000, 9999999999)}}"
            numbers.append(ContactNumber(contact=contact, kind="BusinessNumber", number=number,
                                         digits_reversed=directory.digits_of(number)[::-1]))
        ContactNumber.objects.bulk_create(numbers)
# A thousand stored numbers spread over the table, and 200 that nobody has.
stored = list(ContactNumber.objects.values_list("number", flat=True)[: count : max(1, count // 1000)])
samples = []
for number in stored + [f"+1{{rng.randrange(2000000000, 9999999999)}}" for _ in range(200)]:
    started = time.perf_counter()
    directory.find(number, 7)
    samples.append((time.perf_counter() - started) * 1000)
samples.sort()
print(statistics.median(samples), samples[int(len(samples) * 0.99)], len(samples))
"""


def local_lookup(live, count: int) -> list[list[str]]:
    out = live.django(LOOKUP.format(count=count), timeout=1800).strip().splitlines()[-1]
    p50, p99, n = out.split()
    engine = "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"
    return [[f"local lookup among {count:,} company contacts ({engine})",
             f"p50 {float(p50):.2f} ms, p99 {float(p99):.2f} ms ({n} lookups)", "≤ 5 ms"]]


if __name__ == "__main__":
    raise SystemExit(main())
