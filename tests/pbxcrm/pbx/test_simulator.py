"""The call simulator plans realistic, valid event sequences, the same for the same seed."""

from __future__ import annotations

import json
import wave

from pbxcrm.pbx.events import read_event
from pbxcrm.pbx.simulator import KINDS, plan, write_recordings

EXTENSIONS = ["1001", "1002", "1003", "1004"]


def planned(count: int = 10, seed: int = 5, **options):
    return plan(count, seed=seed, extensions=EXTENSIONS, callers=["+14155550100"], **options)


def test_every_planned_event_passes_the_intakes_checks():
    for call in planned(50, recorded=1.0):
        for _, event in call.events:
            read_event(json.dumps(event))


def test_each_call_ends_with_one_record_after_its_state_changes():
    for call in planned(20):
        types = [event["type"] for _, event in call.events]
        assert types[-1] == 30012 and set(types[:-1]) == {30011}
        times = [at for at, _ in call.events]
        assert times == sorted(times)


def test_the_kinds_come_in_turn():
    assert [call.kind for call in planned(len(KINDS) * 2)] == list(KINDS) * 2


def test_the_same_seed_gives_the_same_calls_and_another_seed_others():
    shape = lambda calls: [(c.kind, c.external, c.extensions, c.answered_by) for c in calls]  # noqa: E731
    assert shape(planned(seed=1)) == shape(planned(seed=1))
    assert shape(planned(seed=1)) != shape(planned(seed=2))


def test_unknown_callers_are_not_the_known_ones():
    unknown = [c for c in planned(25) if c.kind == "unknown_caller"]
    assert unknown and all(c.external != "+14155550100" for c in unknown)


def test_a_missed_ring_group_call_rings_several_extensions_and_records_no_answer():
    call = next(c for c in planned(10) if c.kind == "inbound_missed_group")
    assert len(call.extensions) == 3
    assert (call.record["status"], call.record["call_to"]) == ("NO ANSWER", "6300")


def test_recorded_calls_get_a_wav_file_named_as_in_the_record(tmp_path):
    calls = planned(10, recorded=1.0)
    written = write_recordings(calls, tmp_path)
    names = {c.record["recording"] for c in calls if c.record["recording"]}
    assert {p.name for p in written} == names and names
    with wave.open(str(written[0])) as audio:
        assert (audio.getframerate(), audio.getnchannels()) == (8000, 1)
