"""POST /pbx/events: the token, the answer, what is stored (and what is not)."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from pbxcrm.pbx import intake
from pbxcrm.pbx.models import CallEvent, PbxSettings

RECORD = {"call_id": "1700000000.101", "time_start": "2024-03-05 14:07:09", "call_from": "+14155550100",
          "call_to": "1001", "call_duration": 72, "talk_duration": 62, "status": "ANSWERED", "type": "Inbound",
          "recording": ""}
END = json.dumps({"type": 30012, "sn": "3631A2124XXX", "msg": json.dumps(RECORD)})


@pytest.fixture
def token(db) -> str:
    return intake.event_token()


def post(client, body: str, token: str | None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return client.post(reverse("pbx:events"), data=body, content_type="application/json", **headers)


def test_an_event_is_stored_as_received_and_answered_202(client, token):
    answer = post(client, END, token)
    assert answer.status_code == 202
    stored = CallEvent.objects.get()
    assert (stored.raw, stored.type, stored.sn, stored.pbx_call_id) == (END, 30012, "3631A2124XXX", "1700000000.101")
    assert answer.json() == {"accepted": stored.pk, "duplicate": False}


def test_the_token_may_come_in_an_x_pbx_token_header(client, token):
    answer = client.post(reverse("pbx:events"), data=END, content_type="application/json", HTTP_X_PBX_TOKEN=token)
    assert answer.status_code == 202


@pytest.mark.parametrize("presented", [None, "", "wrong-token"])
def test_an_event_without_the_token_is_refused_and_not_stored(client, token, presented):
    answer = post(client, END, presented)
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"] == "Bearer"
    assert not CallEvent.objects.exists()


def test_a_bad_event_gets_a_400_naming_the_field_and_stores_nothing(client, token):
    bad = json.dumps({"type": 30012, "sn": "x", "msg": json.dumps({**RECORD, "status": "RINGING"})})
    answer = post(client, bad, token)
    assert answer.status_code == 400
    assert answer.json() == {"error": "msg.status: 'RINGING' is not one of ANSWERED, NO ANSWER, BUSY, VOICEMAIL",
                             "field": "msg.status", "reason": "'RINGING' is not one of ANSWERED, NO ANSWER, BUSY, VOICEMAIL"}
    assert not CallEvent.objects.exists()


def test_a_call_record_delivered_twice_is_kept_and_marked_as_a_duplicate(client, token):
    post(client, END, token)
    again = post(client, END, token)
    assert again.status_code == 202 and again.json()["duplicate"] is True
    assert list(CallEvent.objects.values_list("duplicate", flat=True)) == [False, True]


def test_an_event_from_another_pbx_is_refused_when_the_serial_number_is_set(client, token):
    PbxSettings.objects.filter(pk=1).update(serial_number="SN-OURS")
    answer = post(client, END, token)
    assert answer.status_code == 400 and answer.json()["field"] == "sn"


def test_a_rotated_token_replaces_the_old_one_at_once(client, token):
    new = intake.rotate_token()
    assert post(client, END, token).status_code == 401
    assert post(client, END, new).status_code == 202


def test_the_settings_page_shows_the_address_and_token_and_rotates_it(client_logged_in, token):
    page = client_logged_in.get(reverse("pbx:settings"))
    assert f"Authorization: Bearer {token}" in page.content.decode()
    assert "http://testserver/pbx/events" in page.content.decode()
    client_logged_in.post(reverse("pbx:settings"), {"rotate": "1"})
    assert intake.event_token() != token


def test_the_token_is_stored_encrypted(token):
    assert token not in PbxSettings.objects.get().event_token_sealed


def state_change(*statuses: str) -> str:
    members = [{"inbound": {"from": "+14155550100", "to": "5551000", "trunk_name": "SIP1", "member_status": "ANSWER"}}]
    members += [{"extension": {"number": f"100{n}", "member_status": status}} for n, status in enumerate(statuses)]
    return json.dumps({"type": 30011, "sn": "3631A2124XXX", "msg": {"call_id": "1700000000.102", "members": members}})


@pytest.mark.parametrize(("body", "urgent"), [
    (state_change("RING"), True),
    (state_change("ANSWER"), True),
    (state_change("BYE", "RING"), True),
    (END, False),
])
def test_what_an_agent_may_wait_for_is_handed_over_at_once_and_a_call_record_is_gathered(body, urgent):
    assert intake._urgent(intake.read_event(body)) is urgent


def test_a_hang_up_of_every_member_is_gathered_with_the_call_records():
    body = json.loads(state_change("BYE"))
    for member in body["msg"]["members"]:
        next(iter(member.values()))["member_status"] = "BYE"
    assert intake._urgent(intake.read_event(json.dumps(body))) is False
