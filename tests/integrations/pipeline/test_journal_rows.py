"""The outbox's own statements (integrations/pipeline/rows.py): a claim is taken once,
and only the attempt that holds it may renew it or record the journal as sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations import connecting
from integrations.models import CallLookup, Integration, Journal
from integrations.pipeline import rows
from pbxcrm.pbx.models import Call, CallEvent
from tests.integrations.crm_templates import crm_template, settings_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def integration() -> Integration:
    return connecting.activate(connecting.install_template(crm_template("basic")),
                               settings_for("basic", "http://127.0.0.1:9"))


@pytest.fixture
def call() -> Call:
    return Call.objects.create(call_id="1700000000.7", direction="inbound", external_number="+14155550100",
                               members={"1001": {"answered": True}}, record={"type": "Inbound"}, ended=True)


@pytest.fixture
def journal(integration, call) -> Journal:
    return Journal.objects.create(integration=integration, call=call, next_attempt=timezone.now())


def later(seconds: float = 60):
    return timezone.now() + timedelta(seconds=seconds)


def test_a_due_journal_is_claimed_once(journal):
    assert rows.claim_journal(journal.pk, later()) == (1, "")
    assert rows.claim_journal(journal.pk, later()) is None
    journal.refresh_from_db()
    assert (journal.state, journal.attempts) == ("sending", 1)


def test_a_journal_not_due_yet_is_not_claimed(journal):
    Journal.objects.filter(pk=journal.pk).update(state="retrying", next_attempt=later(30))
    assert rows.claim_journal(journal.pk, later()) is None


def test_an_attempt_whose_claim_was_taken_over_can_neither_renew_nor_record_a_send(journal):
    first, _ = rows.claim_journal(journal.pk, later())
    Journal.objects.filter(pk=journal.pk).update(state="retrying", next_attempt=timezone.now())  # the sweeper
    second, _ = rows.claim_journal(journal.pk, later())
    assert not rows.renew_claim(journal.pk, first, later())
    assert not rows.journal_sent(journal.pk, first, {"Subject": "old"}, [])
    assert rows.journal_sent(journal.pk, second, {"Subject": "new"}, [{"status": 201}])
    journal.refresh_from_db()
    assert (journal.state, journal.variables, journal.exchanges, journal.claimed_until) == (
        "sent", {"Subject": "new"}, [{"status": 201}], None)


def test_a_journal_is_read_with_its_call_its_lookup_and_whether_an_event_is_still_in_flight(journal, call):
    CallLookup.objects.create(call=call, integration=journal.integration, number=call.external_number,
                              state="found", contact={"ContactsId": "7"})
    CallEvent.objects.create(pbx_call_id=call.call_id, type=30011, raw="{}")
    row, in_flight = rows.journal_to_send(journal.pk, timezone.now() - timedelta(seconds=60))
    assert (row.call.members, row.call.lookup.contact, in_flight) == (call.members, {"ContactsId": "7"}, True)
    assert row.next_attempt.tzinfo is not None


def test_an_event_received_before_the_window_does_not_hold_the_journal(journal, call):
    CallEvent.objects.create(pbx_call_id=call.call_id, type=30011, raw="{}")
    _, in_flight = rows.journal_to_send(journal.pk, later(1))
    assert in_flight is False


def test_journals_of_a_batch_are_read_in_one_query_with_their_calls(integration, journal, django_assert_num_queries):
    other_call = Call.objects.create(call_id="1700000000.8", direction="outbound", external_number="+14155550111",
                                     members={}, ended=True)
    other = Journal.objects.create(integration=integration, call=other_call, next_attempt=timezone.now())
    with django_assert_num_queries(1):
        read = rows.journals_to_send([journal.pk, other.pk, 999_999], timezone.now() - timedelta(minutes=1))
        calls = {pk: row.call.call_id for pk, (row, _) in read.items()}
    assert calls == {journal.pk: "1700000000.7", other.pk: "1700000000.8"}


def test_a_batch_of_journals_is_claimed_in_one_update_and_only_the_due_ones(
        integration, journal, django_assert_num_queries):
    other_call = Call.objects.create(call_id="1700000000.8", direction="outbound", external_number="+14155550111",
                                     members={}, ended=True)
    waiting = Journal.objects.create(integration=integration, call=other_call, state="retrying",
                                     next_attempt=later(30))
    with django_assert_num_queries(1):
        claimed = rows.claim_journals([journal.pk, waiting.pk, 999_999], later())
    assert claimed == {journal.pk: (1, "")}
    assert rows.claim_journals([journal.pk], later()) == {}


def test_the_journals_of_a_batch_are_made_in_one_statement_and_a_call_that_had_one_keeps_it(
        integration, journal, call, django_assert_num_queries, settings):
    other_call = Call.objects.create(call_id="1700000000.8", direction="outbound", external_number="+14155550111",
                                     members={}, ended=True)
    expected = 1 if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") else 2
    with django_assert_num_queries(expected):
        made = rows.insert_journals([(call.pk, integration.pk), (other_call.pk, integration.pk)], later(1))
    assert made == [Journal.objects.get(call=other_call).pk]
    assert Journal.objects.get(call=call).pk == journal.pk
