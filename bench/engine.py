"""The request engine against the local CRM: overhead per lookup, users read per second.

    .venv/bin/python -m bench.engine [--lookups 2000]

Overhead per lookup is the engine's own work (render the URL and headers, send,
check and read the answer, zip the records, render the popup URL) beside the same
GET sent by a bare httpx client on the same connection kind: each sample is one
engine lookup minus the bare GET that ran right after it, so the CRM's own time and
the network stack's cancel out. Users per second is Engine.users() over a 5,000-user
CRM answering 200 users a page (reading only: storing them is the portal's part).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import httpx

from bench.table import print_table
from integrations.engine import Engine
from tests.integrations.crm_server import CrmServer, contact
from tests.integrations.crm_templates import crm_template, loaded, settings_for


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.engine", description=__doc__.split("\n\n")[0])
    parser.add_argument("--lookups", type=int, default=2000)
    args = parser.parse_args(argv)
    rows = []
    with CrmServer() as crm:
        crm.state.contacts = [contact(n, f"+1415555{n:04d}") for n in range(50)]
        crm.state.users = [{"id": f"u{n}", "first_name": f"F{n}", "last_name": "L", "email": f"u{n}@x"} for n in range(5000)]
        engine = Engine(loaded(crm_template("basic")), settings=settings_for("basic", crm.url))
        bare = httpx.Client()
        number = "+14155550007"
        url = f"{crm.url}/crm/v2/Contacts/search?phone=%2B14155550007"
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        engine.auth.authorize(headers)
        for _ in range(50):  # warm both clients' connections and every cache
            engine.lookup(number, ["Contacts"])
            bare.get(url, headers=headers)
        overhead, totals = [], []
        for _ in range(args.lookups):
            t0 = time.perf_counter()
            found = engine.lookup(number, ["Contacts"])
            t1 = time.perf_counter()
            bare.get(url, headers=headers).raise_for_status()
            t2 = time.perf_counter()
            assert found and found[0].fields["ContactsId"] == "c7"
            overhead.append(((t1 - t0) - (t2 - t1)) * 1000)
            totals.append((t1 - t0) * 1000)
        rows.append(["engine overhead per lookup, p50", f"{args.lookups} lookups", f"{percentile(overhead, 50):.2f} ms", "≤ 2 ms"])
        rows.append(["engine overhead per lookup, p99", f"{args.lookups} lookups", f"{percentile(overhead, 99):.2f} ms", "≤ 10 ms"])
        rows.append(["whole lookup (local CRM), median", f"{args.lookups} lookups", f"{statistics.median(totals):.2f} ms", ""])
        t0 = time.perf_counter()
        count = sum(1 for _ in engine.users())
        seconds = time.perf_counter() - t0
        rows.append(["users read, 200 a page", f"{count} users", f"{count / seconds:,.0f} users/s", ""])
        engine.close()
        bare.close()
    header = ["benchmark", "size", "result", "goal"]
    print_table(header, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
