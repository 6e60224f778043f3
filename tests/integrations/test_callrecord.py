"""A 30012 call record becomes the journal variables of call-events.md."""

from __future__ import annotations

import json

import pytest

from integrations.callrecord import (
    CallRecordError,
    Party,
    journal_variables,
    parse_event,
    with_subject_and_description,
)

RECORD = {
    "call_id": "1700000000.101", "time_start": "2024-03-05 14:07:09", "call_from": "+14155550100",
    "call_to": "1001", "call_duration": 72, "talk_duration": 62, "status": "ANSWERED", "type": "Inbound",
    "recording": "20240305140709-1700000000.101-14155550100-1001-Inbound.wav",
}
EVENT = {"type": 30012, "sn": "3631A2124XXX", "msg": json.dumps(RECORD)}


def variables(**changes) -> dict[str, str]:
    record = {**RECORD, **changes.pop("record", {})}
    return journal_variables(record, **changes)


def test_msg_as_a_string_and_as_an_object_read_alike():
    assert parse_event(json.dumps(EVENT)) == parse_event({**EVENT, "msg": RECORD}) == RECORD


def test_times_are_read_in_the_pbx_time_zone():
    found = variables(timezone="Europe/Berlin")
    assert (found["Time"], found["StartTimeUnix"], found["EndTimeUnix"]) == ("2024-03-05 14:07:09", "1709644029", "1709644101")


def test_durations_as_hh_mm_ss_and_seconds():
    found = variables()
    assert (found["CallDuration"], found["Talk_Duration"], found["Talk_Duration_Sec"]) == ("72", "00:01:02", "62")


def test_an_answered_inbound_call_with_names():
    found = variables(extension=Party("Bob Stone", "Bob", "Stone", "bob@x.com"), contact_name="Alice Smith")
    assert found["Call_From"] == "Alice Smith<+14155550100>" and found["Call_To"] == "Bob Stone<1001>"
    assert (found["Communication_Type"], found["Call_Status"], found["Call_Log_Status"], found["CallDisposition"]) == (
        "Inbound", "Completed", "Incoming Call", "ANSWERED")
    assert found["ContactNumber"] == "+14155550100" and found["ExtensionEmail"] == "bob@x.com"


def test_a_missed_inbound_call_is_missed():
    found = variables(record={"status": "NO ANSWER", "talk_duration": 0})
    assert (found["Call_Status"], found["Call_Log_Status"], found["CallDisposition"]) == ("Missed", "Missed Call", "MISSED")


def test_an_outbound_call_without_answer_keeps_no_answer():
    found = variables(record={"type": "outbound", "status": "NO ANSWER", "call_from": "1001", "call_to": "+4930123"})
    assert (found["Call_Log_Status"], found["CallDisposition"], found["ContactNumber"]) == ("Outgoing Call", "NO ANSWER", "+4930123")


def test_voicemail():
    assert variables(record={"status": "VOICEMAIL"})["Call_Log_Status"] == "Voicemail"


def test_a_party_without_a_name_is_its_number_alone():
    assert variables()["Call_From"] == "+14155550100"


def test_the_recording_is_offered_only_when_play_call_recording_is_on():
    assert variables(record_path="https://pbx/r/1")["RecordPath"] == ""
    on = variables(record_path="https://pbx/r/1", play_recording=True)
    assert (on["RecordPath"], on["EnableCallRecording"]) == ("https://pbx/r/1", "1")
    assert variables(record={"recording": ""}, record_path="x", play_recording=True)["EnableCallRecording"] == "0"


def test_subject_and_description_use_the_guides_defaults():
    found = with_subject_and_description(variables(), None, None)
    assert found["Subject"] == "Extension Call"
    assert found["Description"] == "2024-03-05 14:07:09 Inbound Completed - from +14155550100 to 1001 00:01:02"


@pytest.mark.parametrize(("change", "message"), [
    ({"time_start": "05/03/2024"}, "time_start"),
    ({"talk_duration": "long"}, "talk_duration"),
    ({"status": "WEIRD"}, "status"),
    ({"type": "Internal"}, "type"),
    ({"call_from": ""}, "call_from: missing"),
])
def test_a_bad_record_says_which_field(change, message):
    with pytest.raises(CallRecordError, match=message):
        variables(record=change)


@pytest.mark.parametrize("text", ["2024-01-05 03:04:05", "2024-1-5 3:4:5", "2024-02-30 00:00:00", "2024-13-01 00:00:00",
                                  "2024-01-01 24:00:00", " 2024-01-05 03:04:05", "2024-01-05 03:04:60",
                                  "2024-01-05T03:04:05", "２０２４-01-05 03:04:05"])
def test_a_records_start_time_is_read_as_strptime_reads_it(text):
    from datetime import datetime

    from integrations.callrecord import _time_start

    def read(parse):
        try:
            return parse(text)
        except ValueError:
            return "refused"

    assert read(_time_start) == read(lambda t: datetime.strptime(t, "%Y-%m-%d %H:%M:%S"))
