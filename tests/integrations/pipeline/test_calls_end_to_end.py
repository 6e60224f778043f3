"""Calls end to end: simulated PBX events through the intake, a real Celery worker on
Redis, the local CRM; what the CRM received is checked field by field."""

from __future__ import annotations

import json
import re
import time
from contextlib import ExitStack
from datetime import UTC, datetime

import httpx
import pytest

from pbxcrm.pbx.simulator import SimulatedCall
from tests.deployment import deployment, wait_until
from tests.servers import fresh_database

NAMES = {"1001": "Alice Agent", "1002": "Bob Brown", "1003": "Carol Cole"}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def live(request, tmp_path_factory, redis_url):
    # Both databases: on PostgreSQL the pipeline's own statements differ (row locks,
    # one statement for a call saved with its event).
    with ExitStack() as stack:
        env = {}
        if request.param == "postgresql":
            env["DATABASE_URL"] = stack.enter_context(fresh_database(request.getfixturevalue("postgres_server_url")))
        yield stack.enter_context(deployment(tmp_path_factory.mktemp("calls"), redis_url, **env))


def journal_of(live, call: SimulatedCall) -> dict:
    found = wait_until(lambda: live.journals_for([call.call_id]), f"the journal of {call.kind}", 20)
    return found[0]


def hhmmss(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def unix(time_start: str) -> int:
    return int(datetime.strptime(time_start, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp())


def test_an_answered_inbound_call_is_journaled_with_the_contact_and_the_extension_that_answered(live):
    (call,) = live.simulate(kinds=("inbound_answered",), callers=["+14155550111"])
    record = call.record
    got = journal_of(live, call)
    name, agent = "First2 Last2", NAMES[call.answered_by]
    assert got["Subject"] == "Extension Call"
    assert got["Description"] == (f"{record['time_start']} Inbound Completed - from {name}<+14155550111> to "
                                  f"{agent}<{call.answered_by}> {hhmmss(record['talk_duration'])}")
    assert (got["Who_Id"], got["Caller"], got["Owner"], got["Agent"]) == ("c2", name, f"crm-{call.answered_by}", agent)
    assert (got["Log_Status"], got["Disposition"], got["Status"]) == ("Incoming Call", "ANSWERED", "Completed")
    assert got["Call_Duration_in_seconds"] == record["talk_duration"]
    assert (int(got["Start"]), int(got["End"])) == (unix(record["time_start"]),
                                                    unix(record["time_start"]) + record["call_duration"])
    assert (got["Number"], got["Contact_Type"], got["Play"], got["Recording"]) == ("+14155550111", "Contacts", "0", "")


def test_the_journal_body_is_the_templates_json_with_the_values_escaped(live):
    (call,) = live.simulate(kinds=("outbound",), callers=["+14155550100"], extensions=["1001"])
    journal_of(live, call)
    raw = next(r for r in live.crm.state.calls_raw if call.call_id.encode() in r)
    assert raw.startswith(b'{"data":[{"Subject":"Extension Call","Description":"')
    assert json.loads(raw)["data"][0]["Call_Id"] == call.call_id


def test_an_outbound_call_is_journaled_from_the_extension_that_dialled(live):
    (call,) = live.simulate(kinds=("outbound",), callers=["+14155550100"], extensions=["1003"])
    got = journal_of(live, call)
    assert (got["Call_Type"], got["Log_Status"], got["Disposition"]) == ("Outbound", "Outgoing Call", "ANSWERED")
    assert (got["From"], got["To"]) == ("Carol Cole<1003>", "First1 Last1<+14155550100>")
    assert (got["Owner"], got["Who_Id"], got["Number"]) == ("crm-1003", "c1", "+14155550100")


def test_a_call_missed_by_a_ring_group_is_journaled_for_the_last_extension_that_rang(live):
    (call,) = live.simulate(kinds=("inbound_missed_group",), callers=["+14155550122"])
    got = journal_of(live, call)
    last = call.extensions[-1]
    assert (got["Log_Status"], got["Disposition"], got["Status"]) == ("Missed Call", "MISSED", "Missed")
    assert got["Owner"] == f"crm-{last}"
    assert got["To"] == f"{NAMES[last]}<6300>"
    assert got["Talk"] == "00:00:00"


def test_a_voicemail_is_journaled_as_voicemail(live):
    (call,) = live.simulate(kinds=("voicemail",), callers=["+14155550100"], extensions=["1002"])
    got = journal_of(live, call)
    assert (got["Log_Status"], got["Disposition"], got["Status"]) == ("Voicemail", "VOICEMAIL", "Missed")


def test_an_unknown_caller_gets_one_new_contact_however_many_calls_and_events(live):
    number = "+14155559876"
    calls = live.simulate(2, kinds=("inbound_answered",), callers=[number], rate=2)
    journals = [journal_of(live, call) for call in calls]
    created = [c for c in live.crm.state.created if c.get("Phone") == number]
    assert len(created) == 1
    assert created[0]["Last_Name"] == number
    assert {j["Who_Id"] for j in journals} == {created[0]["id"]}


def test_a_match_is_synced_into_the_crm_phonebook_read_only(live):
    (call,) = live.simulate(kinds=("inbound_answered",), callers=["+14155550100"])
    journal_of(live, call)
    synced = live.query("list(Contact.objects.filter(phonebook__name='CRM Contacts', crm_id='c1')"
                        ".values('first_name', 'last_name', 'crm_type', 'crm_url', 'phonebook__crm_synced'))")
    assert synced == [{"first_name": "First1", "last_name": "Last1", "crm_type": "Contacts",
                       "crm_url": f"{live.crm.url}/crm/tab/Contacts/c1", "phonebook__crm_synced": True}]


def test_a_ringing_inbound_call_records_one_popup_per_ringing_extension(live):
    (call,) = live.simulate(kinds=("inbound_missed_group",), callers=["+14155550100"])
    journal_of(live, call)
    popups = live.query(f"sorted(Popup.objects.filter(call__call_id='{call.call_id}')"
                        f".values_list('extension__number', 'kind', 'url'))")
    assert popups == [[n, "open", f"{live.crm.url}/crm/tab/Contacts/c1"] for n in sorted(call.extensions)]


def test_a_call_is_looked_up_once_however_many_events_ask(live):
    before = len([r for r in live.crm.state.received if r.path.endswith("/search")])
    (call,) = live.simulate(kinds=("inbound_missed_group",), callers=["+14155550111"])
    journal_of(live, call)
    searches = [r for r in live.crm.state.received if r.path.endswith("/search")][before:]
    assert len(searches) == 1


def test_a_recorded_call_gives_a_link_that_plays_the_recording_and_seeks(live):
    (call,) = live.simulate(kinds=("inbound_answered",), callers=["+14155550100"], recorded=1.0)
    got = journal_of(live, call)
    assert got["Play"] == "1"
    assert got["Recording"].startswith(f"{live.portal}/pbx/recordings/")
    whole = httpx.get(got["Recording"])
    assert whole.status_code == 200
    assert whole.content == (live.data / "recordings" / call.record["recording"]).read_bytes()
    assert whole.headers["accept-ranges"] == "bytes"
    part = httpx.get(got["Recording"], headers={"Range": "bytes=44-143"})
    assert (part.status_code, part.headers["content-range"]) == (206, f"bytes 44-143/{len(whole.content)}")
    assert part.content == whole.content[44:144]


def test_a_tampered_recording_link_is_refused(live):
    (call,) = live.simulate(kinds=("outbound",), callers=["+14155550100"], recorded=1.0)
    link = journal_of(live, call)["Recording"]
    forged = link.replace("Outbound.wav", "Inbound.wav")
    assert httpx.get(forged).status_code == 403


def test_a_call_end_record_sent_twice_is_journaled_once(live):
    (call,) = live.simulate(kinds=("inbound_answered",), callers=["+14155550100"])
    journal_of(live, call)
    again = live.post_event(call.events[-1][1])
    assert again.status_code == 202 and again.json()["duplicate"] is True
    wait_until(lambda: live.query(f"Call.objects.get(call_id='{call.call_id}').events.filter(handled__isnull=False)"
                                  f".count()") == len(call.events) + 1, "the second 30012 handled")
    assert len(live.journals_for([call.call_id])) == 1


def test_a_call_end_record_before_the_last_state_change_still_journals_the_extension_that_answered(live):
    (planned,) = __import__("pbxcrm.pbx.simulator", fromlist=["plan"]).plan(
        1, seed=7, kinds=("inbound_answered",), extensions=["1001", "1002", "1003"],
        callers=["+14155550100"], recorded=0.0)
    ring, answer, bye, record = (event for _, event in planned.events)
    msg = json.loads(record["msg"])
    msg["call_to"] = "6300"  # the ring group: only the 30011s say who answered
    record = {**record, "msg": json.dumps(msg)}
    for event in (ring, record, answer, bye):  # the 30012 overtakes the answer
        assert live.post_event(event).status_code == 202
    got = journal_of(live, planned)
    assert got["Owner"] == f"crm-{planned.answered_by}"




def test_a_call_answered_while_its_lookup_was_slow_still_pops_on_answered(live):
    from pbxcrm.pbx.simulator import plan

    (planned,) = plan(1, seed=11, kinds=("inbound_answered",), extensions=["1002"], callers=["+14155550111"])
    ring, answer, *rest = (event for _, event in planned.events)
    live.django("from pbxcrm.pbx.models import Extension\nExtension.objects.filter(number='1002').update("
                "open_contact_url=True, popup_method='automatic', popup_trigger='answered')")
    live.crm.state.delay = 1.0  # the answer is handled while the ring's lookup waits for the CRM
    try:
        time.sleep(0.5)  # the workers' cached settings (PIPELINE_CONTEXT_SECONDS) see the trigger
        assert live.post_event(ring).status_code == 202
        time.sleep(0.3)  # another task, in another worker thread
        assert live.post_event(answer).status_code == 202
        popups = wait_until(lambda: live.query(f"list(Popup.objects.filter(call__call_id='{planned.call_id}')"
                                               f".values_list('extension__number', 'kind'))"), "the popup", 15)
    finally:
        live.crm.state.delay = 0.0
        live.django("from pbxcrm.pbx.models import Extension\nExtension.objects.filter(number='1002').update("
                    "popup_trigger='ringing')")
        for event in rest:
            live.post_event(event)
    assert popups == [["1002", "open"]]


def test_the_simulate_calls_command_posts_every_kind_of_call_to_the_intake(live):
    import subprocess
    import sys

    from tests.servers import REPO

    done = subprocess.run([sys.executable, "manage.py", "simulate_calls", "--count", "5", "--rate", "20",
                           "--pace", "0.05", "--seed", "3", "--caller", "+14155550100", "--extension", "1001",
                           "--extension", "1002", "--extension", "1003"],
                          cwd=REPO, env=live.env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    kinds = [line.split()[1] for line in lines[:-1]]
    assert sorted(kinds) == sorted(["inbound_answered", "inbound_missed_group", "outbound", "voicemail",
                                    "unknown_caller"])
    assert re.fullmatch(r"\d+ events posted for 5 calls in [\d.]+ s", lines[-1])
    call_ids = [line.split()[0] for line in lines[:-1]]
    wait_until(lambda: len(live.journals_for(call_ids)) == 5, "the five journals")


HANDLE_TOGETHER = """
import json
from pbxcrm.pbx import intake
from pbxcrm.pbx.models import CallEvent
from integrations.pipeline import handle_event, handle_events
from integrations.pipeline.journal import sends_gathered
calls, looked_up_first = json.loads(%r), %r
firsts, rest = [], []
for index, events in enumerate(calls):
    pks = [intake.accept(json.dumps(event).encode(), dispatch=False).pk for event in events]
    if index < looked_up_first:
        firsts.append(pks[0])
        pks = pks[1:]
    rest += pks
for pk in firsts:  # each call's first event: its lookup
    handle_event(pk)
from agent import live
listening = live._redis().pubsub()
listening.psubscribe(live.channel("*"))
with sends_gathered():
    handle_events(sorted(rest))  # the others as a busy worker gets them: one batch
published = []
while (message := listening.get_message(timeout=0.2)) is not None:
    if message["type"] == "pmessage":
        published.append(json.loads(message["data"])["call_id"])
print(json.dumps(sorted(published)))
print(json.dumps(sorted({str(at) for at in CallEvent.objects.filter(pk__in=rest).values_list("handled", flat=True)
                         if at is not None})))
"""


def test_a_batch_of_events_is_handled_together_and_journals_as_one_by_one_would(live):
    from pbxcrm.pbx import simulator

    calls = simulator.plan(3, seed=11, kinds=("inbound_answered", "outbound", "inbound_missed_group"),
                           extensions=["1001", "1002", "1003"], callers=["+14155550111"], pace=0.1, recorded=0.0)
    events = [[event for _, event in call.events] for call in calls]
    handled = json.loads(live.django(HANDLE_TOGETHER % (json.dumps(events), 3)).strip().splitlines()[-1])
    assert len(handled) == 1  # every event of the batch marked handled by one statement
    answered, outbound, missed = (journal_of(live, call) for call in calls)
    assert (answered["Agent"], answered["Disposition"]) == (NAMES[calls[0].answered_by], "ANSWERED")
    assert (outbound["Call_Type"], outbound["Owner"]) == ("Outbound", f"crm-{calls[1].extensions[0]}")
    assert missed["Owner"] == f"crm-{calls[2].extensions[-1]}"
    popups = live.query(f"sorted(Popup.objects.filter(call__call_id={calls[0].call_id!r})"
                        f".values_list('extension__number', flat=True))")
    assert popups == sorted(calls[0].extensions)


def test_in_a_batch_a_calls_first_event_goes_alone_for_its_lookup_and_its_later_events_together(live):
    from pbxcrm.pbx import simulator

    calls = simulator.plan(2, seed=12, kinds=("inbound_answered",), extensions=["1001", "1002"],
                           callers=["+14155550122"], pace=0.1, recorded=0.0)
    events = [[event for _, event in call.events] for call in calls]
    printed = live.django(HANDLE_TOGETHER % (json.dumps(events), 0)).strip().splitlines()
    published, handled = json.loads(printed[-2]), json.loads(printed[-1])
    assert len(handled) == len(calls) + 1  # each first event alone, then the others together
    # Each ringing extension's agent pages told once of each call.
    assert published == sorted(call.call_id for call in calls for _ in call.extensions)
    for call in calls:
        assert journal_of(live, call)["Agent"] == NAMES[call.answered_by]
        # The first event's popups and lookup, stored by the statement that ends it.
        popups = live.query(f"sorted(Popup.objects.filter(call__call_id={call.call_id!r})"
                            f".values_list('extension__number', flat=True))")
        assert popups == sorted(call.extensions)
        assert live.query(f"CallLookup.objects.get(call__call_id={call.call_id!r}).state") == "found"


MADE_MEANWHILE = """
import json
from pbxcrm.pbx import intake
from pbxcrm.pbx.models import Call, CallEvent
from integrations.models import CallLookup, Popup
from integrations.pipeline import handle_event, handle_events, rows
from integrations.pipeline.journal import sends_gathered
events, call_id = json.loads(%r), %r
batch = [intake.accept(json.dumps(event).encode(), dispatch=False).pk for event in events]
elsewhere = intake.accept(json.dumps(events[0]).encode(), dispatch=False).pk  # the ringing, sent twice
read = rows.first_event_of_each_call

def read_then_another_worker_makes_the_call(pks):
    firsts = read(pks)
    handle_event(elsewhere)  # another worker, between this batch's read and its first event
    return firsts

rows.first_event_of_each_call = read_then_another_worker_makes_the_call
with sends_gathered():
    handle_events(batch)
handled = CallEvent.objects.filter(pk__in=batch).values_list("handled", flat=True)
call = Call.objects.get(call_id=call_id)
print(json.dumps({"unhandled": sum(at is None for at in handled), "times": len(set(handled)),
                  "calls": Call.objects.filter(call_id=call.call_id).count(),
                  "lookup": CallLookup.objects.get(call=call).state,
                  "popups": sorted(Popup.objects.filter(call=call).values_list("extension__number", flat=True))}))
"""


def test_a_first_event_whose_call_another_worker_made_meanwhile_goes_with_the_batchs_others(live):
    from pbxcrm.pbx import simulator

    call = simulator.plan(1, seed=13, kinds=("inbound_answered",), extensions=["1001", "1002"],
                          callers=["+14155550133"], pace=0.1, recorded=0.0)[0]
    events = [event for _, event in call.events]
    out = json.loads(live.django(MADE_MEANWHILE % (json.dumps(events), call.call_id)).strip().splitlines()[-1])
    # The batch's events, its call's first among them, marked handled by one statement.
    assert (out["unhandled"], out["times"]) == (0, 1)
    assert (out["calls"], out["lookup"]) == (1, "found")
    assert out["popups"] == sorted(call.extensions)
    assert journal_of(live, call)["Agent"] == NAMES[call.answered_by]


FINISH_NEW_CALL = """
import json
from django.utils import timezone
from integrations.models import CallLookup, Integration, Popup
from integrations.pipeline import rows
from pbxcrm.pbx.models import Call, CallEvent, Extension
integration = Integration.objects.get(active=True)
extension = Extension.objects.get(number="1001")
call = Call(call_id="1700000099.1", direction="inbound", external_number="+14155550100", trunk="",
            members={"1001": {"status": "RING", "rang": 1}}, ended=False, record=None)
claimed = rows.insert_call_and_lookup(call, integration.pk)
made_at = call.updated
event = CallEvent.objects.create(pbx_call_id=call.call_id, type=30011, raw="{}")
Call.objects.filter(pk=call.pk).update(updated=timezone.now())  # another event of the call, meanwhile
claimed.state, claimed.contact = "found", {"ContactsId": "1"}
popup = Popup(call=call, extension=extension, kind="open", url="https://crm/1", name="Ann", number="+14155550100")
out = {"changed": rows.finish_new_call(call, event.pk, claimed, [popup], unchanged_since=made_at)}
out["after_changed"] = [CallEvent.objects.get(pk=event.pk).handled is None,
                        CallLookup.objects.get(pk=claimed.pk).state, Popup.objects.filter(call=call).count()]
stored = rows.finish_new_call(call, event.pk, claimed, [popup], unchanged_since=Call.objects.get(pk=call.pk).updated)
out["stored"] = [(p.pk is not None, p.kind, p.extension_id == extension.pk) for p in stored]
out["after_stored"] = [CallEvent.objects.get(pk=event.pk).call_id == call.pk,
                       CallLookup.objects.get(pk=claimed.pk).contact, Popup.objects.filter(call=call).count()]
again = Popup(call=call, extension=extension, kind="open", url="https://crm/1", name="Ann", number="+14155550100")
out["again"] = len(rows.finish_new_call(call, event.pk, None, [again],
                                        unchanged_since=Call.objects.get(pk=call.pk).updated))
print(json.dumps(out))
"""


@pytest.mark.parametrize("live", ["postgresql"], indirect=True)
def test_a_new_calls_end_in_one_statement_writes_nothing_if_another_event_changed_the_call(live):
    out = json.loads(live.django(FINISH_NEW_CALL).strip().splitlines()[-1])
    assert out["changed"] is None and out["after_changed"] == [True, "running", 0]
    assert out["stored"] == [[True, "open", True]]
    assert out["after_stored"] == [True, {"ContactsId": "1"}, 1]
    assert out["again"] == 0  # a popup stored before is not stored, nor published, twice
