"""Stored events handed to the workers, a few at a time when they come fast.

The intake stores an event and submits its id here; one thread per process sends
the ids waiting at that moment as one Celery task (``handle_call_events``). A lone
event goes at once, alone; under load, the ids that arrived while the last task was
being sent go together, so the intake's threads never wait on the broker. Ids still
here when a process dies are not lost: their rows are stored, and the sweeper sends
every event not handled after JOURNAL_VISIBILITY_SECONDS.
"""

from __future__ import annotations

import logging
import queue
import threading

# The task the integrations app registers (by name: the PBX side does not import the
# CRM side).
HANDLE_EVENTS_TASK = "integrations.tasks.handle_call_events"
MAX_BATCH = 50

log = logging.getLogger(__name__)
_waiting: queue.SimpleQueue[int] = queue.SimpleQueue()
_started = threading.Lock()
_thread: threading.Thread | None = None


def submit(event_pk: int) -> None:
    _ensure_thread()
    _waiting.put(event_pk)


def send(pks: list[int]) -> None:
    from celery import current_app

    current_app.send_task(HANDLE_EVENTS_TASK, args=[pks], ignore_result=True)


def _ensure_thread() -> None:
    global _thread
    if _thread is not None and _thread.is_alive():
        return
    with _started:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_run, name="event-dispatch", daemon=True)
            _thread.start()


def _run() -> None:
    while True:
        batch = [_waiting.get()]
        while len(batch) < MAX_BATCH:
            try:
                batch.append(_waiting.get_nowait())
            except queue.Empty:
                break
        try:
            send(batch)
        except Exception:  # the broker is down: the sweeper sends them once it is back
            log.exception("could not send %d events to the workers; the sweeper will", len(batch))
