"""A call's state from its events, in any order, and the extension its journal belongs to."""

from __future__ import annotations

import itertools
import json

import pytest

from integrations.pipeline.calls import apply_record, apply_state, handling_extension, involved
from pbxcrm.pbx.events import read_event
from pbxcrm.pbx.models import Call
from pbxcrm.pbx.simulator import plan

EXTENSIONS = ["1001", "1002", "1003"]


def state_of(events: list[dict]) -> Call:
    call = Call(call_id="x")
    for raw in events:
        event = read_event(json.dumps(raw))
        if event.type == 30011:
            apply_state(call, event)
        elif call.record is None:
            call.record = event.msg
            apply_record(call, event.msg)
    return call


def simulated(kind: str, seed: int = 3):
    (call,) = plan(1, seed=seed, kinds=(kind,), extensions=EXTENSIONS, callers=["+14155550100"])
    return call, [event for _, event in call.events]


def test_an_answered_inbound_call_belongs_to_the_extension_that_answered():
    call, events = simulated("inbound_answered")
    state = state_of(events)
    assert (state.direction, state.external_number, state.ended) == ("inbound", "+14155550100", True)
    assert handling_extension(state) == call.answered_by


@pytest.mark.parametrize("seed", range(4))
def test_any_order_of_the_events_gives_the_same_extension(seed):
    call, events = simulated("inbound_answered", seed)
    answers = {handling_extension(state_of(list(order))) for order in itertools.permutations(events)}
    assert answers == {call.answered_by}


def test_a_missed_ring_group_call_belongs_to_the_last_extension_that_rang():
    call, events = simulated("inbound_missed_group")
    ring, *rest = events
    msg = json.loads(ring["msg"])
    later = {**ring, "msg": json.dumps({**msg, "members": msg["members"][:2]})}
    state = state_of([later, ring, *rest])  # the first extension rang alone first
    assert handling_extension(state) == call.extensions[-1]
    assert sorted(involved(state)) == sorted(call.extensions)


def test_an_outbound_call_belongs_to_the_extension_that_dialled():
    call, events = simulated("outbound")
    state = state_of(events)
    assert (state.direction, state.external_number) == ("outbound", call.external)
    assert handling_extension(state) == call.extensions[0]


def test_a_record_alone_names_the_extension_and_the_external_party():
    call, events = simulated("voicemail")
    state = state_of(events[-1:])
    assert (state.direction, state.external_number, state.ended) == ("inbound", "+14155550100", True)
    assert handling_extension(state) == json.loads(events[-1]["msg"])["call_to"]


def test_an_internal_call_is_marked_internal():
    event = {"type": 30011, "sn": "", "msg": {"call_id": "i", "members": [
        {"extension": {"number": "1001", "member_status": "ALERT"}},
        {"extension": {"number": "1002", "member_status": "RING"}}]}}
    assert state_of([event]).direction == "internal"
