"""Reading the PBX's call events: both shapes of msg, and a clear error for each fault."""

from __future__ import annotations

import json

import pytest

from pbxcrm.pbx.events import EventError, read_event

STATE = {"call_id": "1700000000.101", "members": [
    {"inbound": {"from": "+14155550100", "to": "5551000", "trunk_name": "SIP-Trunk-1",
                 "channel_id": "PJSIP/trunk-0001", "member_status": "ALERT"}},
    {"extension": {"number": "1001", "channel_id": "PJSIP/1001-0002", "member_status": "RING", "call_path": ""}},
]}
RECORD = {"call_id": "1700000000.101", "time_start": "2024-03-05 14:07:09", "call_from": "+14155550100",
          "call_to": "1001", "call_duration": 72, "talk_duration": 62, "src_trunk_name": "SIP-Trunk-1",
          "dst_trunk_name": "", "status": "ANSWERED", "type": "Inbound",
          "recording": "20240305140709-1700000000.101-14155550100-1001-Inbound.wav"}


def event(kind: int, msg, **extra) -> bytes:
    return json.dumps({"type": kind, "sn": "3631A2124XXX", "msg": msg, **extra}).encode()


@pytest.mark.parametrize("msg", [STATE, json.dumps(STATE)], ids=["object", "string"])
def test_a_call_state_change_is_read_with_msg_as_an_object_or_a_string(msg):
    read = read_event(event(30011, msg))
    assert (read.type, read.sn, read.call_id) == (30011, "3631A2124XXX", "1700000000.101")
    inbound, extension = read.members
    assert (inbound.kind, inbound.from_number, inbound.status) == ("inbound", "+14155550100", "ALERT")
    assert (extension.kind, extension.number, extension.status) == ("extension", "1001", "RING")


def test_a_call_record_is_read_with_its_fields():
    read = read_event(event(30012, json.dumps(RECORD)))
    assert read.msg["talk_duration"] == 62 and read.call_id == "1700000000.101"


def test_the_type_may_be_a_string_of_digits():
    assert read_event(event("30012", RECORD)).type == 30012  # type: ignore[arg-type]


@pytest.mark.parametrize(("body", "field", "reason"), [
    (b"{not json", "", "not JSON: Expecting property name enclosed in double quotes at line 1, column 2"),
    (b"[1]", "", "the event must be a JSON object"),
    (json.dumps({"sn": "x", "msg": {}}).encode(), "type", "missing"),
    (event(30013, STATE), "type", "30013 is not a call event (30011 or 30012)"),
    (event("ring", STATE), "type", "'ring' is not an event id"),
    (json.dumps({"type": 30011}).encode(), "msg", "missing"),
    (event(30011, "{\"call_id\": "), "msg", "not JSON: Expecting value at line 1, column 13"),
    (event(30011, [1]), "msg", "must be a JSON object, or a string holding one"),
    (event(30011, {"members": []}), "msg.call_id", "missing"),
    (event(30011, {"call_id": "1"}), "msg.members", "missing"),
    (event(30011, {"call_id": "1", "members": [{"trunk": {}}]}), "msg.members[0]",
     "'trunk' is not \"extension\", \"inbound\" or \"outbound\""),
    (event(30011, {"call_id": "1", "members": [{"extension": {"number": "1001", "member_status": "RINGING"}}]}),
     "msg.members[0].extension.member_status", "'RINGING' is not one of ALERT, RING, ANSWERED, ANSWER, HOLD, BYE"),
    (event(30011, {"call_id": "1", "members": [{"extension": {"member_status": "RING"}}]}),
     "msg.members[0].extension.number", "missing"),
    (event(30011, {"call_id": "1", "members": [{"inbound": {"to": "1", "member_status": "ALERT"}}]}),
     "msg.members[0].inbound.from", "missing"),
    (event(30011, {"call_id": "1", "members": [{"extension": {"number": ["1001"], "member_status": "RING"}}]}),
     "msg.members[0].extension.number", "must be a string"),
    (event(30011, {"call_id": "1", "members": [{"extension": {"number": True, "member_status": "RING"}}]}),
     "msg.members[0].extension.number", "must be a string"),
    (event(30011, {"call_id": "1", "members": [{"extension": {"number": "1001", "member_status": "RING",
                                                              "channel_id": "x" * 201}}]}),
     "msg.members[0].extension.channel_id", "longer than 200 characters"),
    (event(30011, {"call_id": "1", "members": [{"inbound": {"from": 10 ** 201, "to": "1", "member_status": "ALERT"}}]}),
     "msg.members[0].inbound.from", "longer than 200 characters"),
    (event(30012, {**RECORD, "time_start": "05/03/2024 14:07"}), "msg.time_start",
     "'05/03/2024 14:07' is not YYYY-MM-DD HH:MM:SS"),
    (event(30012, {**RECORD, "talk_duration": -3}), "msg.talk_duration", "-3 is not a whole number of seconds"),
    (event(30012, {**RECORD, "status": "RINGING"}), "msg.status",
     "'RINGING' is not one of ANSWERED, NO ANSWER, BUSY, VOICEMAIL"),
    (event(30012, {**RECORD, "type": "Transfer"}), "msg.type", "'Transfer' is not Internal, Inbound or Outbound"),
    (event(30012, {**RECORD, "recording": "../../etc/passwd"}), "msg.recording",
     "must be a file name in the recordings folder, not a path"),
    (event(30012, {k: v for k, v in RECORD.items() if k != "call_from"}), "msg.call_from", "missing"),
])
def test_a_bad_event_names_the_field_and_the_reason(body, field, reason):
    with pytest.raises(EventError) as caught:
        read_event(body)
    assert (caught.value.field, caught.value.reason) == (field, reason)


def test_a_members_numbers_are_read_as_text_without_the_spaces_around_them():
    members = [{"extension": {"number": 1001, "member_status": "RING"}},
               {"inbound": {"from": " +14155550100 ", "to": "1001", "trunk_name": "SIP1 ", "member_status": "ALERT"}}]
    extension, inbound = read_event(event(30011, {"call_id": "1", "members": members})).members
    assert (extension.kind, extension.number, extension.status) == ("extension", "1001", "RING")
    assert (inbound.from_number, inbound.to_number, inbound.trunk) == ("+14155550100", "1001", "SIP1")


def test_the_status_and_type_of_a_record_are_compared_without_case():
    assert read_event(event(30012, {**RECORD, "status": "no answer", "type": "INBOUND"})).type == 30012


def test_an_event_larger_than_256_kb_is_refused_before_it_is_parsed():
    with pytest.raises(EventError, match="larger than 256 KB"):
        read_event(b" " * (256 * 1024 + 1))
