"""Fault drills for the journal outbox: a CRM that times out, answers 429 with
Retry-After, 503 or an HTML page for a while, refuses, or a worker killed mid-batch.
Every journal arrives once the CRM recovers, none twice."""

from __future__ import annotations

import base64
import json
import re
import signal
import time
from collections import Counter

import pytest

from tests.deployment import deployment, wait_until
from tests.integrations.crm_server import PASSWORD, USERNAME


@pytest.fixture(scope="module")
def live(tmp_path_factory, redis_url):
    with deployment(tmp_path_factory.mktemp("faults"), redis_url) as found:
        yield found


def arrived(live, calls) -> Counter:
    ids = {c.call_id for c in calls}
    return Counter(j["Call_Id"] for j in live.crm.state.calls if j.get("Call_Id") in ids)


def journal_posts(live, call_id: str):
    return [r for r in live.crm.state.received if r.path == "/crm/v2/Calls" and call_id.encode() in r.body]


def test_a_crm_that_fails_for_a_while_gets_every_journal_once_when_it_recovers(live):
    live.crm.state.call_faults = ["timeout", "429", "503", "html", "503", "429", "html", "timeout"]
    calls = live.simulate(6, kinds=("inbound_answered", "outbound", "voicemail"), rate=10)
    got = wait_until(lambda: (c := arrived(live, calls)) and len(c) == 6 and c, "six journals", 60)
    assert set(got.values()) == {1}
    assert live.crm.state.call_faults == []
    states = live.query("list(Journal.objects.filter(call__call_id__in=%r).values_list('state', flat=True))"
                        % [c.call_id for c in calls])
    assert states == ["sent"] * 6


def test_a_429_is_retried_no_sooner_than_its_retry_after(live):
    live.crm.state.call_faults = ["429"]
    (call,) = live.simulate(kinds=("outbound",))
    wait_until(lambda: arrived(live, [call]), "the journal", 30)
    first, second = journal_posts(live, call.call_id)[:2]
    assert second.at - first.at >= 1.0  # the CRM said Retry-After: 1


def test_a_retried_journal_shows_each_failure_and_then_sent_on_the_calls_page(live):
    live.crm.state.call_faults = ["503"]
    (call,) = live.simulate(kinds=("voicemail",))
    wait_until(lambda: arrived(live, [call]), "the journal", 30)
    row = live.query(f"Journal.objects.filter(call__call_id='{call.call_id}').values('state', 'attempts', "
                     f"'last_error').get()")
    assert (row["state"], row["attempts"], row["last_error"]) == ("sent", 2, "")


def test_a_refused_journal_goes_dead_visibly_and_is_sent_when_retried(live):
    from tests.servers import csrf, signed_in

    live.crm.state.call_faults = []
    live.crm.state.calls_status = 400
    (call,) = live.simulate(kinds=("outbound",))
    pk = wait_until(lambda: live.query(f"list(Journal.objects.filter(call__call_id='{call.call_id}', state='dead')"
                                       f".values_list('pk', flat=True))"), "a dead journal", 30)[0]
    admin = signed_in(live.portal)
    listing = admin.get("/integrations/crm/calls/?state=dead").text
    assert call.call_id in listing and "1 journal dead" in listing
    detail = admin.get(f"/integrations/crm/calls/{live.query(f'Call.objects.get(call_id={call.call_id!r}).pk')}/").text
    assert "HTTP 400" in detail and "the CRM refused the request" in detail
    assert "Authorization: Basic" in detail and PASSWORD not in detail
    assert base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode() not in detail
    crm_pk = re.search(r'href="/integrations/crm/(\d+)/"', admin.get("/integrations/crm/").text).group(1)
    banner = admin.get(f"/integrations/crm/{crm_pk}/").text
    assert "1 call journal dead" in banner
    live.crm.state.calls_status = 0
    admin.post(f"/integrations/crm/journals/{pk}/retry/", data=csrf(admin))
    wait_until(lambda: arrived(live, [call]), "the journal after Retry", 30)
    assert arrived(live, [call])[call.call_id] == 1


SEND_AS_A_BATCH = """
import json, time
from integrations.models import Journal
from integrations.pipeline import handle_events, journal
from pbxcrm.pbx.models import CallEvent
ids = %r
handle_events(list(CallEvent.objects.filter(pbx_call_id__in=ids).order_by("pk").values_list("pk", flat=True)))
time.sleep(0.5)  # JOURNAL_SETTLE_SECONDS
due = list(Journal.objects.filter(call__call_id__in=ids).order_by("pk").values_list("pk", flat=True))
states = journal.send_many(due)
rows = Journal.objects.filter(pk__in=due).order_by("pk")
print(json.dumps([[states[pk] for pk in due], [(r.attempts, r.last_error) for r in rows],
                  len({r.next_attempt for r in rows})]))
"""


def test_a_429_holds_the_batchs_other_journals_unsent_until_its_retry_after(live):
    live.kill("worker")  # the batch is sent by the test, as one worker's task would send it
    try:
        calls = live.simulate(4, kinds=("outbound",), rate=50)
        live.crm.state.call_faults = ["429"]
        states, rows, times = json.loads(live.django(SEND_AS_A_BATCH % [c.call_id for c in calls])
                                         .strip().splitlines()[-1])
        posts = [r for c in calls for r in journal_posts(live, c.call_id)]
    finally:
        live.django("from pbxcrm.celery import app\napp.control.purge()")  # tasks for what the test did
        live.start("worker")
    assert states == ["retrying"] * 4 and len(posts) == 1  # the CRM was asked once, not four times
    (failed_attempts, _), *held = rows
    assert failed_attempts == 1
    assert all(attempts == 0 and error.startswith("waiting: the CRM failed journal") for attempts, error in held)
    assert times == 1  # the four are due together, when the CRM said to come back
    got = wait_until(lambda: (c := arrived(live, calls)) and len(c) == 4 and c, "the four journals", 30)
    assert set(got.values()) == {1}
    sent = [r for c in calls for r in journal_posts(live, c.call_id) if r is not posts[0]]
    assert min(r.at for r in sent) - posts[0].at >= 1.0  # the CRM's Retry-After: 1


def test_a_worker_killed_mid_batch_loses_no_journal(live):
    live.crm.state.calls_delay = 0.3
    try:
        calls = live.simulate(20, kinds=("inbound_answered", "outbound"), rate=50, pace=0.05)
        wait_until(lambda: arrived(live, calls), "the first journals", 30)
        live.kill("worker", signal.SIGKILL)
        killed_at = time.monotonic()
        live.start("worker")
        got = wait_until(lambda: (c := arrived(live, calls)) and len(c) == 20 and c, "all twenty journals", 90)
    finally:
        live.crm.state.calls_delay = 0.0
    assert sorted(got) == sorted(c.call_id for c in calls)
    # Only a journal the CRM was already taking when the worker died can arrive twice:
    # the worker died before it could record the CRM's answer.
    posted_before_kill = {json.loads(r.body)["data"][0]["Call_Id"] for r in live.crm.state.received
                          if r.path == "/crm/v2/Calls" and r.at < killed_at}
    assert {call_id for call_id, n in got.items() if n > 1} <= posted_before_kill
