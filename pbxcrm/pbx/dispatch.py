"""Stored events handed to the workers, a few at a time when they come fast.

The intake stores an event and submits its id here; one thread per process sends
the ids waiting at that moment as one Celery task (``handle_call_events``). A lone
event goes at once, alone; under load, the ids that arrived while the last task was
being sent go together, so the intake's threads never wait on the broker. When the
workers are behind (tasks wait in the broker's queue), the thread gathers ids for up
to DISPATCH_LINGER_SECONDS before sending: each task costs a worker about a
millisecond whatever it carries, so fewer, fuller tasks let it catch up, and an event
waiting behind a backlog loses nothing by it. Ids still here when a process dies are
not lost: their rows are stored, and the sweeper sends every event not handled after
JOURNAL_VISIBILITY_SECONDS.
"""

from __future__ import annotations

import logging
import queue
import threading
import time

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
    from django.conf import settings

    sender = _Sender()
    while True:
        batch = [_waiting.get()]
        _gather(batch, 0.0)
        if len(batch) < MAX_BATCH and settings.DISPATCH_LINGER_SECONDS > 0 and sender.behind():
            _gather(batch, settings.DISPATCH_LINGER_SECONDS)
        sender.send(batch)


def _gather(batch: list[int], seconds: float) -> None:
    """Add to ``batch`` the ids waiting, and those arriving within ``seconds``."""
    deadline = time.monotonic() + seconds
    while len(batch) < MAX_BATCH:
        remaining = deadline - time.monotonic()
        try:
            batch.append(_waiting.get(timeout=remaining) if remaining > 0 else _waiting.get_nowait())
        except queue.Empty:
            return


class _Sender:
    """The dispatch thread's own producer, kept from batch to batch: taking one from the
    pool for each send, and kombu's retrying wrapper around it, cost the intake more
    than storing the event did. A send that fails is tried once more on a new
    connection (the broker restarted), then left to the sweeper."""

    def __init__(self) -> None:
        self.producer = None

    def send(self, pks: list[int]) -> None:
        from celery import current_app

        for attempt in (1, 2):
            try:
                if self.producer is None:
                    self.producer = current_app.producer_pool.acquire(block=True)
                current_app.send_task(HANDLE_EVENTS_TASK, args=[pks], ignore_result=True, retry=False,
                                      producer=self.producer)
                return
            except Exception:
                self._drop()
                if attempt == 2:  # the broker is down: the sweeper sends them once it is back
                    log.exception("could not send %d events to the workers; the sweeper will", len(pks))

    def behind(self) -> bool:
        """Whether tasks wait in the broker's queue (Redis; another broker: never)."""
        from celery import current_app

        try:
            client = self.producer.channel.client  # kombu's Redis channel
            return bool(client.llen(current_app.conf.task_default_queue))
        except Exception:  # no producer yet, not Redis, or the broker is away: send at once
            return False

    def _drop(self) -> None:
        if self.producer is not None:
            try:
                self.producer.connection.close()
                self.producer.release()
            except Exception:  # a broken connection may fail to close; it is dropped all the same
                log.debug("dropping a broken producer", exc_info=True)
        self.producer = None
