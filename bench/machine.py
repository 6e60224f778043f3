"""How fast this machine runs Python right now, to compare runs on a shared machine.

The same code measured a few minutes apart here differs by up to half: other tenants'
load changes what a CPU second buys. A bench divides what it measured by this
reference, taken in the same run, and two versions of the portal compare on that
quotient rather than on milliseconds.
"""

from __future__ import annotations

import json
import time


def reference_ms() -> float:
    """CPU milliseconds of a fixed piece of pure Python (JSON in and out, as the pipeline
    does most), the best of three."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        data = {"members": {str(n): {"status": "ANSWER", "rang": n} for n in range(20)}, "name": "x" * 200}
        for _ in range(2000):
            json.loads(json.dumps(data))
        best = min(best, time.process_time() - started)
    return best * 1000
