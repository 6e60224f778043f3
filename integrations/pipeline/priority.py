"""Within a worker process, work someone waits for goes before work nobody watches.

A worker's threads share one interpreter lock: a call's ringing event (an agent
waits for its popup) gets only a share of the CPU while other threads send journals
or apply call records. Neither of those is watched: a journal waits out
JOURNAL_SETTLE_SECONDS anyway. So the state changes the intake hands over at once
run as ``foreground()``, and background loops call ``yield_to_foreground()`` before
each item: while foreground work runs, they wait. The wait is bounded
(``MAX_WAIT_SECONDS``), so a worker that is never idle still does its background work.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

MAX_WAIT_SECONDS = 0.05

_running = 0
_changed = threading.Condition()


@contextlib.contextmanager
def foreground() -> Iterator[None]:
    """Work that background loops of this process wait for."""
    global _running
    with _changed:
        _running += 1
    try:
        yield
    finally:
        with _changed:
            _running -= 1
            if not _running:
                _changed.notify_all()


def yield_to_foreground(max_wait: float = MAX_WAIT_SECONDS) -> float:
    """Wait while foreground work runs in this process, up to ``max_wait`` seconds;
    the seconds waited."""
    if not _running:  # the usual case at rest, without taking the lock
        return 0.0
    started = time.monotonic()
    with _changed:
        _changed.wait_for(lambda: not _running, timeout=max_wait)
    return time.monotonic() - started
