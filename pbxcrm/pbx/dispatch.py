"""Stored events handed to the workers, a few at a time when they come fast.

The intake stores an event and submits its id here; one thread per process sends
the ids waiting at that moment as one Celery task (``handle_call_events``). A lone
event goes at once, alone; under load, the ids that arrived while the last task was
being sent go together, so the intake's threads never wait on the broker. When the
workers are behind (tasks wait in the broker's queue), the thread gathers ids for up
to DISPATCH_LINGER_SECONDS before sending: each task costs a worker about a
millisecond whatever it carries, so fewer, fuller tasks let it catch up, and an event
waiting behind a backlog loses nothing by it. A call record (30012) is not waited for
by anyone (its journal waits JOURNAL_SETTLE_SECONDS anyway), nor, much, a hang-up
(at most a Call End popup): those are gathered for DISPATCH_RECORDS_SECONDS and sent
together, apart from the state changes that pop up contacts (intake.py decides). Ids still here when a process dies are not lost: their rows are stored,
and the sweeper sends every event not handled after JOURNAL_VISIBILITY_SECONDS.
"""

from __future__ import annotations

import logging
import queue
import threading
import time

# The task the integrations app registers (by name: the PBX side does not import the
# CRM side).
HANDLE_EVENTS_TASK = "integrations.tasks.handle_call_events"
MAX_BATCH = 100
# How long an answer to "are the workers behind?" is trusted: asking the broker for
# every batch cost the web process 8 % of its CPU at 50 calls/s, and a backlog comes
# and goes more slowly than this.
BEHIND_FRESH_SECONDS = 0.05

log = logging.getLogger(__name__)
# Not an id: wakes the thread to see when the call records waiting are due.
_WAKE = -1


class Dispatcher:
    """The ids submitted, sent by a thread of its own through ``sender`` (an object with
    ``send(ids)`` and ``behind()``); ``linger``, ``records_wait`` and ``behind_fresh``
    (how long the sender's ``behind()`` is trusted) in seconds."""

    def __init__(self, sender, *, linger: float, records_wait: float,
                 behind_fresh: float = BEHIND_FRESH_SECONDS) -> None:
        self.sender, self.linger, self.records_wait = sender, linger, records_wait
        self.behind_fresh = behind_fresh
        self.waiting: queue.SimpleQueue[int] = queue.SimpleQueue()
        self.records: list[int] = []
        self.records_since = 0.0
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None
        self.behind_asked, self.was_behind = float("-inf"), False

    def submit(self, event_pk: int, *, urgent: bool = True) -> None:
        self._ensure_thread()
        if urgent:
            self.waiting.put(event_pk)
            return
        with self.lock:
            self.records.append(event_pk)
            first = len(self.records) == 1
            if first:
                self.records_since = time.monotonic()
        if first:
            self.waiting.put(_WAKE)

    def _ensure_thread(self) -> None:
        if self.thread is not None and self.thread.is_alive():
            return
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self._run, name="event-dispatch", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        while True:
            try:
                first = self.waiting.get(timeout=self._records_due_in())
            except queue.Empty:
                first = _WAKE
            if first != _WAKE:
                batch = [first]
                self._gather(batch, 0.0)
                if len(batch) < MAX_BATCH and self.linger > 0 and self._behind():
                    self._gather(batch, self.linger)
                batch = [pk for pk in batch if pk != _WAKE]
                if batch:
                    self.sender.send(batch)
            records = self._records_due()
            if records:
                self.sender.send(records)

    def _behind(self) -> bool:
        now = time.monotonic()
        if now - self.behind_asked >= self.behind_fresh:
            self.behind_asked, self.was_behind = now, self.sender.behind()
        return self.was_behind

    def _records_due_in(self) -> float | None:
        """How long until the records waiting are due; None when none waits."""
        with self.lock:
            if not self.records:
                return None
            return max(0.0, self.records_since + self.records_wait - time.monotonic())

    def _records_due(self) -> list[int]:
        """The records waiting, taken, when they are due (or a batch is full)."""
        with self.lock:
            if not self.records or (len(self.records) < MAX_BATCH
                                    and time.monotonic() < self.records_since + self.records_wait):
                return []
            taken = self.records[:]
            self.records.clear()
            return taken

    def _gather(self, batch: list[int], seconds: float) -> None:
        """Add to ``batch`` the ids waiting, and those arriving within ``seconds``."""
        deadline = time.monotonic() + seconds
        while len(batch) < MAX_BATCH:
            remaining = deadline - time.monotonic()
            try:
                batch.append(self.waiting.get(timeout=remaining) if remaining > 0 else self.waiting.get_nowait())
            except queue.Empty:
                return


_dispatcher: Dispatcher | None = None
_made = threading.Lock()


def submit(event_pk: int, *, urgent: bool = True) -> None:
    """Hand a stored event to the workers: at once (``urgent``), or with the call
    records gathered over the next DISPATCH_RECORDS_SECONDS."""
    global _dispatcher
    if _dispatcher is None:
        from django.conf import settings

        with _made:
            if _dispatcher is None:
                _dispatcher = Dispatcher(_Sender(), linger=settings.DISPATCH_LINGER_SECONDS,
                                         records_wait=settings.DISPATCH_RECORDS_SECONDS)
    _dispatcher.submit(event_pk, urgent=urgent)


def send(pks: list[int]) -> None:
    from celery import current_app

    current_app.send_task(HANDLE_EVENTS_TASK, args=[pks], ignore_result=True)


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
