"""The call's own statements (integrations/pipeline/rows.py): what an event changes is
stored whole, and the event is marked handled with it."""

from __future__ import annotations

import pytest
from django.db import transaction

from integrations.pipeline import rows
from pbxcrm.pbx.models import Call, CallEvent

pytestmark = pytest.mark.django_db


def new_call(call_id: str = "1700000000.9") -> Call:
    return Call(call_id=call_id, direction="inbound", external_number="+14155550100", trunk="SIP1",
                members={"1001": {"status": "RING", "rang": 1}}, ended=False, record=None)


def test_a_new_call_is_stored_as_its_first_event_left_it():
    with transaction.atomic():
        stored = rows.insert_call(new_call())
    assert stored is not None and stored.pk
    saved = Call.objects.get(pk=stored.pk)
    assert (saved.direction, saved.external_number, saved.trunk, saved.members, saved.record) == (
        "inbound", "+14155550100", "SIP1", {"1001": {"status": "RING", "rang": 1}}, None)


def test_a_call_another_worker_stored_first_is_not_stored_again():
    with transaction.atomic():
        rows.insert_call(new_call())
        assert rows.insert_call(new_call()) is None
    assert Call.objects.filter(call_id="1700000000.9").count() == 1


def test_saving_a_call_with_its_event_marks_the_event_handled():
    with transaction.atomic():
        call = rows.insert_call(new_call())
    event = CallEvent.objects.create(pbx_call_id=call.call_id, type=30011, raw="{}")
    call.members = {"1001": {"status": "ANSWER", "rang": 1, "answered": True}}
    with transaction.atomic():
        rows.save_call(call, handled_event=event.pk)
    event.refresh_from_db()
    assert event.call_id == call.pk and event.handled is not None
    assert Call.objects.get(pk=call.pk).members["1001"]["answered"] is True


def test_saving_a_call_alone_leaves_its_events_as_they_were():
    with transaction.atomic():
        call = rows.insert_call(new_call())
    event = CallEvent.objects.create(pbx_call_id=call.call_id, type=30011, raw="{}")
    call.ended = True
    rows.save_call(call)
    event.refresh_from_db()
    assert event.handled is None and Call.objects.get(pk=call.pk).ended


@pytest.fixture
def integration():
    from integrations import connecting
    from tests.integrations.crm_templates import crm_template, settings_for

    return connecting.activate(connecting.install_template(crm_template("basic")),
                               settings_for("basic", "http://127.0.0.1:9"))


def test_a_new_call_and_the_claim_on_its_lookup_are_made_together(integration):
    from integrations.models import CallLookup

    claimed = rows.insert_call_and_lookup(new_call(), integration.pk)
    assert claimed is not None and claimed.call.pk
    stored = CallLookup.objects.get(call__call_id="1700000000.9")
    assert (stored.pk, stored.state, stored.number) == (claimed.pk, "running", "+14155550100")


def test_a_call_made_meanwhile_by_another_worker_gets_no_second_call_nor_a_claim(integration):
    from integrations.models import CallLookup

    rows.insert_call_and_lookup(new_call(), integration.pk)
    assert rows.insert_call_and_lookup(new_call(), integration.pk) is None
    assert Call.objects.count() == 1 and CallLookup.objects.count() == 1


def test_a_lookups_answer_is_saved_with_its_call_and_event(integration):
    from integrations.models import CallLookup

    call = new_call()
    claimed = rows.insert_call_and_lookup(call, integration.pk)
    event = CallEvent.objects.create(pbx_call_id=call.call_id, type=30011, raw="{}")
    claimed.state, claimed.source, claimed.contact = "found", "crm", {"ContactsId": "7"}
    with transaction.atomic():
        rows.save_call(call, handled_event=event.pk, lookup=claimed)
    stored = CallLookup.objects.get(pk=claimed.pk)
    assert (stored.state, stored.source, stored.contact) == ("found", "crm", {"ContactsId": "7"})
    assert CallEvent.objects.get(pk=event.pk).handled is not None


def test_a_lookup_saved_after_its_popups_keeps_the_time_the_crm_answered(integration):
    from datetime import timedelta

    from django.utils import timezone

    from integrations.models import CallLookup

    call = new_call()
    claimed = rows.insert_call_and_lookup(call, integration.pk)
    answered = timezone.now() - timedelta(milliseconds=250)
    claimed.state, claimed.updated = "not_found", answered
    with transaction.atomic():
        rows.save_call(call, lookup=claimed)
    assert CallLookup.objects.get(pk=claimed.pk).updated == answered


def test_the_first_event_of_each_call_comes_with_its_text_only_when_its_call_is_not_made_yet():
    with transaction.atomic():
        rows.insert_call(new_call("1700000000.1"))
    made = [CallEvent.objects.create(pbx_call_id="1700000000.1", type=30011, raw=f'{{"n": {n}}}') for n in (1, 2)]
    new = [CallEvent.objects.create(pbx_call_id="1700000000.2", type=30011, raw=f'{{"n": {n}}}') for n in (3, 4)]
    firsts = rows.first_event_of_each_call([e.pk for e in made + new])
    assert firsts == {made[0].pk: None, new[0].pk: ('{"n": 3}', "1700000000.2")}


def test_an_array_literal_reads_back_on_postgresql_as_the_values_it_was_made_of(postgres_server_url):
    import psycopg

    texts = ["plain", 'a "quoted" word', "back\\slash\\", "", "NULL", None, "{braces},commas", " spaced ",
             "ünïcode ☎", '{"json": "a \\"b\\" c"}']
    with psycopg.connect(postgres_server_url) as conn:
        assert conn.execute("SELECT %s::text[]", [rows.array(texts)]).fetchone()[0] == texts
        assert conn.execute("SELECT %s::bigint[]", [rows.array(iter([1, -2, 2**40]))]).fetchone()[0] == [1, -2, 2**40]
        assert conn.execute("SELECT %s::boolean[]", [rows.array([True, False, None])]).fetchone()[0] == [
            True, False, None]
        assert conn.execute("SELECT %s::jsonb[]", [rows.array(['{"a": [1, "x\\\\y"]}'])]).fetchone()[0] == [
            {"a": [1, "x\\y"]}]
        assert conn.execute("SELECT %s::text[]", [rows.array([])]).fetchone()[0] == []
