"""Stored events handed to the workers: state changes at once, call records gathered,
and fuller batches while the workers are behind."""

from __future__ import annotations

import time

import pytest

from pbxcrm.pbx.dispatch import MAX_BATCH, Dispatcher


class Recording:
    """A sender that keeps what it was given (and says the workers are behind or not)."""

    def __init__(self, behind: bool = False) -> None:
        self.sent: list[list[int]] = []
        self.is_behind = behind
        self.asked = 0

    def send(self, pks: list[int]) -> None:
        self.sent.append(pks)

    def behind(self) -> bool:
        self.asked += 1
        return self.is_behind


def wait_for(sender: Recording, count: int, seconds: float = 5) -> list[list[int]]:
    deadline = time.monotonic() + seconds
    while sum(map(len, sender.sent)) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    return sender.sent


def test_a_state_change_is_sent_at_once_while_call_records_wait_to_go_together():
    sender = Recording()
    dispatcher = Dispatcher(sender, linger=0, records_wait=0.5)
    dispatcher.submit(11, urgent=False)
    dispatcher.submit(12, urgent=False)
    dispatcher.submit(1)
    assert wait_for(sender, 3) == [[1], [11, 12]]


def test_a_full_batch_of_call_records_goes_without_waiting():
    sender = Recording()
    dispatcher = Dispatcher(sender, linger=0, records_wait=60)
    for pk in range(MAX_BATCH):
        dispatcher.submit(pk, urgent=False)
    dispatcher.submit(1000)  # wakes the thread, which finds the records' batch full
    sent = wait_for(sender, MAX_BATCH + 1)
    assert list(range(MAX_BATCH)) in sent


def test_while_the_workers_are_behind_events_arriving_together_go_as_one_task():
    sender = Recording(behind=True)
    dispatcher = Dispatcher(sender, linger=0.3, records_wait=1)
    dispatcher.submit(1)
    time.sleep(0.05)
    dispatcher.submit(2)
    dispatcher.submit(3)
    assert wait_for(sender, 3) == [[1, 2, 3]]


@pytest.mark.parametrize(("fresh", "asked"), [(60, 1), (0, 5)])
def test_whether_the_workers_are_behind_is_asked_again_only_once_the_last_answer_is_stale(fresh, asked):
    sender = Recording()
    dispatcher = Dispatcher(sender, linger=0.02, records_wait=1, behind_fresh=fresh)
    for pk in range(5):
        dispatcher.submit(pk)
        wait_for(sender, pk + 1)
    assert len(sender.sent) == 5 and sender.asked == asked
