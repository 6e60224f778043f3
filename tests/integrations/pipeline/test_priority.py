"""Within a worker process, background work waits while foreground work runs, but
never longer than its bound."""

from __future__ import annotations

import threading
import time

from integrations.pipeline import priority


def test_background_work_goes_on_at_once_when_nothing_runs_in_the_foreground():
    assert priority.yield_to_foreground(max_wait=5) == 0.0


def test_background_work_waits_until_the_foreground_work_is_done():
    started, done = threading.Event(), threading.Event()

    def agent_waiting() -> None:
        with priority.foreground():
            started.set()
            time.sleep(0.2)
        done.set()

    threading.Thread(target=agent_waiting).start()
    started.wait(5)
    waited = priority.yield_to_foreground(max_wait=5)
    assert done.is_set() and 0.1 < waited < 5


def test_background_work_waits_no_longer_than_its_bound():
    with priority.foreground():
        waited = priority.yield_to_foreground(max_wait=0.05)
    assert 0.04 < waited < 1
