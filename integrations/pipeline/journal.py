"""The journal outbox: every call's journal is a row until the CRM has taken it.

    enqueue(call, integration)   # on the 30012 (once per call, however often it comes)
    send(journal_pk)             # the task: claim, render, send, record
    sweep()                      # beat: take back stuck sends, send what is due

A send claims its row (pending/retrying → sending) in one UPDATE, so two workers never
send one journal; the claim expires after JOURNAL_VISIBILITY_SECONDS, when the sweeper
takes it back (a worker killed mid-send). What the CRM answered 2xx to is recorded at
once: a ticket's id before the journal is sent, the journal's sent state right after,
so a retry never repeats what was done. A failure that may pass (timeout, 429, 5xx,
an HTML page, a token that could not be had) is retried after a back-off with jitter,
never sooner than the CRM's Retry-After; a refusal (another 4xx, a template that
cannot render) goes dead at once: visible, and retried on demand once fixed.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from functools import partial

from celery import current_app
from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import F, Q
from django.utils import timezone

from pbxcrm.pbx import dispatch, recordings
from pbxcrm.pbx.directory import digits_of
from pbxcrm.pbx.directory import find as find_local
from pbxcrm.pbx.models import Call, Extension
from templates_app.xmlmodel import vocabulary as v

from ..callrecord import Party, journal_variables, with_subject_and_description
from ..engine import Exchange
from ..errors import AuthError, BadAnswer, CrmError, CrmRefused, CrmUnavailable, TokenInvalid
from ..features import features_of
from ..models import CallLookup, Integration, Journal, NewContact
from ..users import crm_user_for
from . import context, lookup, rows
from .calls import handling_extension
from .engines import engine

log = logging.getLogger(__name__)
SEND_TASK = "integrations.tasks.send_journal"
State = Journal.State


SEND_MANY_TASK = "integrations.tasks.send_journals"
# Journals gathered into one task at most (sent one after the other by one thread): as
# many as a batch of events can make. A task costs a worker's consumer about a
# millisecond whatever it carries (receiving it, then two Redis transactions to track
# and acknowledge it), and with ten a task that was a tenth of the worker's CPU in a
# burst. A batch's claims outlive a slow CRM (each send renews its own claim before
# its request).
SEND_BATCH = dispatch.MAX_BATCH
_gathering = threading.local()


def enqueue(call: Call, integration: Integration) -> int | None:
    """The call's journal row, created once: its id, or None when the call had one
    already (every event applied after the 30012 asks again). Its first send comes after
    JOURNAL_SETTLE_SECONDS (the last 30011 events of a call may still be on their way).
    Inside ``inserts_gathered`` the row is made when that ends (None here)."""
    gathered = getattr(_inserting, "pairs", None)
    if gathered is not None:
        gathered[call.pk] = integration.pk
        return None
    settle = settings.JOURNAL_SETTLE_SECONDS
    pk = rows.insert_journal(call.pk, integration.pk, timezone.now() + timedelta(seconds=settle))
    if pk is not None:
        transaction.on_commit(lambda: _schedule(pk))
    return pk


_inserting = threading.local()


@contextmanager
def inserts_gathered():
    """The journals enqueued inside are made together as it ends, in one statement (a
    batch of events is one transaction: its calls' journals need not be a statement
    each); call it inside that transaction."""
    _inserting.pairs = {}
    try:
        yield
        pairs = _inserting.pairs
    finally:
        _inserting.pairs = None
    if pairs:
        settle = settings.JOURNAL_SETTLE_SECONDS
        for pk in rows.insert_journals(list(pairs.items()), timezone.now() + timedelta(seconds=settle)):
            transaction.on_commit(partial(_schedule, pk))


def _schedule(pk: int) -> None:
    gathered = getattr(_gathering, "pks", None)
    if gathered is not None:
        gathered.append(pk)
    else:
        current_app.send_task(SEND_TASK, args=[pk], countdown=settings.JOURNAL_SETTLE_SECONDS, ignore_result=True)


@contextmanager
def sends_gathered():
    """The journals enqueued inside (and committed) are sent by one task per SEND_BATCH
    rather than one each: a busy PBX's events come to a worker in batches, and a task
    costs it about a millisecond whatever it carries."""
    _gathering.pks = []
    try:
        yield
    finally:
        pks, _gathering.pks = _gathering.pks, None
        for start in range(0, len(pks), SEND_BATCH):
            current_app.send_task(SEND_MANY_TASK, args=[pks[start:start + SEND_BATCH]],
                                  countdown=settings.JOURNAL_SETTLE_SECONDS, ignore_result=True)


def send_many(pks: list[int]) -> dict[int, str]:
    """Send these journals one after the other; each one's state afterwards. Their rows
    are read in one query and the due ones claimed in one UPDATE (a claim held while
    the batch's earlier journals go out is renewed before its own request, as a send
    renews any claim that has aged). One that fails (a database error) stays as it was,
    for the sweeper, and the others go on. One the CRM failed in a way worth retrying
    stops the batch: the rest wait with it (``_hold``)."""
    try:
        reads = rows.journals_to_send(pks, _events_since())
    except DatabaseError:
        log.exception("could not read %d journals together; each is read alone", len(pks))
        reads = None
    states: dict[int, str] = {}
    ready: dict[int, tuple] = {}
    for pk in pks:
        try:
            due = _ready(pk, _UNREAD if reads is None else reads.get(pk))
        except Exception:
            log.exception("journal %s could not be sent; it will be tried again", pk)
            continue
        if isinstance(due, str):
            states[pk] = due
        else:
            ready[pk] = due
    if not ready:
        return states
    claimed_at = time.monotonic()
    try:
        claims = rows.claim_journals(list(ready), _claimed_until())
    except DatabaseError:
        log.exception("could not claim %d journals; they stay due", len(ready))
        return states
    order = list(ready)
    for index, pk in enumerate(order):
        row, found, created = ready[pk]
        try:
            states[pk] = _deliver(row, claims.get(pk), claimed_at, found, created)
        except Exception:
            log.exception("journal %s could not be sent; it will be tried again", pk)
            continue
        if states[pk] == State.RETRYING and pk in claims:  # this send failed (not: another's state)
            # The CRM is down, busy (a 429), or answers a login page: the batch's other
            # journals would meet the same, each after its own timeout. They wait with
            # this one instead, and go together when it is due again.
            rest = {other: claims[other][0] for other in order[index + 1:] if other in claims}
            states.update(_hold(rest, pk))
            break
    return states


def _hold(claimed: dict[int, int], failed_pk: int) -> dict[int, str]:
    """Give back these claims (journal id → attempt number) unsent, due when the failed
    journal is, its attempt not counted against them; one task sends them then. Their
    states by id."""
    if not claimed:
        return {}
    failed = Journal.objects.filter(pk=failed_pk).values("next_attempt", "last_error").first()
    when = failed["next_attempt"] if failed else timezone.now()
    reason = f"waiting: the CRM failed journal {failed_pk} of the same batch ({(failed or {}).get('last_error', '')})"
    ours = Q()
    for pk, attempt in claimed.items():
        ours |= Q(pk=pk, attempts=attempt)
    Journal.objects.filter(ours, state=State.SENDING).update(
        state=State.RETRYING, attempts=F("attempts") - 1, next_attempt=when, claimed_until=None,
        last_error=reason[:1000])
    delay = max(0.0, (when - timezone.now()).total_seconds())
    for start in range(0, len(claimed), SEND_BATCH):
        current_app.send_task(SEND_MANY_TASK, args=[list(claimed)[start:start + SEND_BATCH]], countdown=delay,
                              ignore_result=True)
    return dict.fromkeys(claimed, State.RETRYING)


def _events_since():
    return timezone.now() - timedelta(seconds=2 * settings.JOURNAL_VISIBILITY_SECONDS)


def _claimed_until():
    return timezone.now() + timedelta(seconds=settings.JOURNAL_VISIBILITY_SECONDS)


_UNREAD = object()


def send(pk: int, *, read=_UNREAD) -> str:
    """Send one journal if it is due; its state afterwards. ``read``: its row as
    ``rows.journal_to_send`` gives it, read with others (the claim checks again that it
    is due).

    The usual send reads its journal, call and lookup in one query, claims the row in
    one UPDATE, sends, and records the answer in one more: a worker sends hundreds a
    second."""
    due = _ready(pk, read)
    if isinstance(due, str):
        return due
    row, found, created = due
    claimed_at = time.monotonic()
    return _deliver(row, rows.claim_journal(pk, _claimed_until()), claimed_at, found, created)


def _ready(pk: int, read) -> str | tuple[Journal, CallLookup | None, NewContact | None]:
    """The journal, its caller's lookup and new contact when it is due and settled, to
    be claimed; else its state (a task comes back later for one not settled yet)."""
    if read is _UNREAD:
        read = rows.journal_to_send(pk, _events_since())
    if read is None:
        return "missing"
    row, events_in_flight = read
    if row.state not in (State.PENDING, State.RETRYING) or row.next_attempt > timezone.now():
        return row.state
    row.integration = _integration(row.integration_id)
    settled = _settled(row, events_in_flight)
    if settled is None:
        current_app.send_task(SEND_TASK, args=[pk], countdown=settings.JOURNAL_RETRY_SECONDS, ignore_result=True)
        return row.state
    return (row, *settled)


def _deliver(row: Journal, claimed: tuple[int, str] | None, claimed_at: float, found: CallLookup | None,
             created: NewContact | None) -> str:
    """Send a journal this worker claimed (``claimed``: its attempt number and ticket id,
    None when the claim failed: not due after all, or another worker has it)."""
    pk = row.pk
    if claimed is None:
        return Journal.objects.filter(pk=pk).values_list("state", flat=True).first() or "missing"
    row.state, (row.attempts, row.ticket_id) = State.SENDING, claimed
    exchanges: list[Exchange] = []
    try:
        variables = build_variables(row, found, created)
        with engine(row.integration, exchanges) as crm, _fenced(crm, row, claimed_at):
            template = crm.template
            if template.scenario(v.CREATE_NEW_TICKET) and _features(row.integration).create_ticket:
                if not row.ticket_id:
                    ticket = _ticket_variables(template, variables)
                    out = _run_scenario(crm, v.CREATE_NEW_TICKET, ticket)
                    row.ticket_id = out.get("TicketId", "") or "-"
                    Journal.objects.filter(pk=row.pk).update(ticket_id=row.ticket_id)
                variables["TicketId"] = "" if row.ticket_id == "-" else row.ticket_id
            if template.scenario(v.CALL_JOURNAL):
                _run_scenario(crm, v.CALL_JOURNAL, variables)
    except ClaimLost:
        return State.SENDING  # another send has it now; this one sent nothing more
    except CrmError as err:
        return _failed(row, err, exchanges)
    except Exception as err:  # a bug must not lose the journal: it stays, dead, with the reason
        return _failed(row, CrmRefused(f"{type(err).__name__}: {err}"), exchanges)
    rows.journal_sent(pk, row.attempts, _visible(variables), [e.as_json() for e in exchanges])
    return State.SENT


class ClaimLost(Exception):
    """The send's claim expired while it waited (for a request slot, say), and another
    send claimed the journal: this one must not send it too."""


def _ours(row: Journal):
    """The journal while this send's claim holds: the attempt number fences out a send
    whose claim expired and was taken by another."""
    return Journal.objects.filter(pk=row.pk, state=State.SENDING, attempts=row.attempts)


@contextmanager
def _fenced(crm, row: Journal, claimed_at: float):
    """Each request of the send renews the claim once it has its request slot, just
    before it goes out; a claim that was lost stops the send there. A claim made or
    renewed less than a quarter of the visibility timeout ago cannot have expired, nor
    been taken: it is renewed only once older (a send usually never waits that long)."""
    limiter = crm.limiter
    visibility = settings.JOURNAL_VISIBILITY_SECONDS
    renewed = [claimed_at]

    @contextmanager
    def renewing():
        with limiter():
            if time.monotonic() - renewed[0] >= visibility / 4:
                if not rows.renew_claim(row.pk, row.attempts, timezone.now() + timedelta(seconds=visibility)):
                    raise ClaimLost(row.pk)
                renewed[0] = time.monotonic()
            yield

    crm.limiter = renewing
    try:
        yield
    finally:
        crm.limiter = limiter


def _integration(pk: int) -> Integration:
    now = context.current()
    if now is not None and now.integration.pk == pk:
        return now.integration
    return Integration.objects.get(pk=pk)


def _settled(row: Journal, events_in_flight: bool) -> tuple[CallLookup | None, NewContact | None] | None:
    """The caller's lookup and new contact, once settled: waited for, before the journal
    is claimed, while other workers make them (a lookup whose worker died is taken over
    only after LOOKUP_STALE_SECONDS, and a claim held that long could expire and the
    journal be sent twice). None while they, or an event of the call received lately
    (the one saying who answered may be behind the 30012 in a busy queue), are still
    being worked on: the journal stays as it is, and a task comes back for it later.
    An event stuck longer (its worker died) is the sweeper's; the journal does not wait."""
    call, integration = row.call, row.integration
    found = lookup.current(call)
    if found is None or found.state not in (found.State.FOUND, found.State.NOT_FOUND):
        found = lookup.ensure(call, integration, _features(integration), wait=True)
    if events_in_flight or (found is not None and found.state == found.State.RUNNING):
        return None
    if found is not None and (found.contact or {}).get("ContactsId"):
        return found, None  # a CRM contact: no new one is made for it
    try:
        return found, _new_contact(integration, call.external_number)
    except CrmUnavailable:
        return None


def _features(integration: Integration):
    now = context.of(integration)
    return now.features if now is not None else features_of(integration)


def _run_scenario(crm, scenario_id: str, variables: dict[str, str]) -> dict[str, str]:
    """Every request of the scenario in order, each one's first outputs joining the next's scope."""
    scope_vars = dict(variables)
    for request in crm.template.scenario(scenario_id).requests:
        records = crm.records(request, crm.scope(scope_vars))
        if records:
            scope_vars.update({k: val for k, val in records[0].items() if val})
    return scope_vars


def _ticket_variables(template, variables: dict[str, str]) -> dict[str, str]:
    scenario = template.scenario(v.CREATE_NEW_TICKET)
    subject = scenario.value("Subject") or "{{.Communication_Type}} {{.Call_Status}} - from {{.Call_From}} to {{.Call_To}}"
    description = scenario.value("Description") or (
        "{{.Time}} {{.Communication_Type}} {{.Call_Status}} - from {{.Call_From}} to {{.Call_To}} {{.Talk_Duration}}")
    base = {k: val for k, val in variables.items() if k not in ("Subject", "Description")}
    return with_subject_and_description(base, subject, description, timezone=settings.TIME_ZONE)


def build_variables(row: Journal, found: CallLookup | None, created: NewContact | None) -> dict[str, str]:
    """The journal's variables (shared/spec/call-events.md), from the call as it stands
    now, its caller's lookup and the contact made for the caller (if any)."""
    call = row.call
    integration = row.integration
    record = call.record or {}
    number = handling_extension(call)
    now = context.of(integration)
    features = _features(integration)
    if now is not None:  # the worker's cached view: a journal is sent a few hundred times a second
        extension = now.extensions.get(number)
        crm_user_id = now.crm_user_id(extension) if extension is not None else ""
    else:
        extension = Extension.objects.filter(number=number).first()
        crm_user = crm_user_for(integration, extension) if extension is not None else None
        crm_user_id = crm_user.crm_id if crm_user else ""
    contact = (found.contact or {}) if found is not None else {}
    contact_id = contact.get("ContactsId", "") or (created.contact_id if created else "")
    name = " ".join(p for p in (contact.get("FirstName", ""), contact.get("LastName", "")) if p)
    if not name:
        local = find_local(call.external_number, features.match_digits)
        name = local[0].name if local else ""
    party = Party(extension.name, extension.first_name, extension.last_name, extension.email) if extension else None
    variables = journal_variables(
        record, timezone=settings.TIME_ZONE, extension=party, contact_name=name, contact_id=contact_id,
        contact_type=contact.get("ContactSyncType", "") or (created.contact_type if created else ""),
        crm_user_id=crm_user_id,
        record_path=recordings.link(str(record.get("recording", ""))), play_recording=features.play_recording,
        ticket_id="" if row.ticket_id == "-" else row.ticket_id,
    )
    variables = with_subject_and_description(variables, features.journal_subject or None,
                                             features.journal_description or None, timezone=settings.TIME_ZONE)
    # Every custom field and GetGlobalInfo output joins in the engine's scope.
    return variables


def _new_contact(integration: Integration, number: str) -> NewContact | None:
    """The contact created for the number, waiting a little for one being created now."""
    deadline = time.monotonic() + lookup.WAIT_SECONDS
    while True:
        row = NewContact.objects.filter(integration=integration, digits=digits_of(number)).first()
        if row is not None and row.state == NewContact.State.RUNNING and time.monotonic() > deadline:
            raise CrmUnavailable("the caller's new contact is still being created; the journal waits for it")
        if row is None or row.state != NewContact.State.RUNNING:
            return row if row is not None and row.state == NewContact.State.CREATED else None
        time.sleep(0.05)


def _visible(variables: dict[str, str]) -> dict[str, str]:
    return {k: val for k, val in variables.items() if k in _SHOWN}


def _failed(row: Journal, err: CrmError, exchanges: list[Exchange]) -> str:
    temporary = err.retryable or isinstance(err, (BadAnswer, AuthError, TokenInvalid))
    attempts = row.attempts
    if temporary and attempts < settings.JOURNAL_MAX_ATTEMPTS:
        delay = min(settings.JOURNAL_RETRY_MAX_SECONDS, settings.JOURNAL_RETRY_SECONDS * 2 ** (attempts - 1))
        delay *= random.uniform(0.5, 1.0)  # jitter: journals failed together are not retried together
        if err.retry_after:
            delay = max(delay, err.retry_after)
        state, when = State.RETRYING, timezone.now() + timedelta(seconds=delay)
    else:
        state, when = State.DEAD, timezone.now()
        delay = None
    reason = str(err)
    if state == State.DEAD and temporary:
        reason = f"gave up after {attempts} attempts: {reason}"
    _ours(row).update(
        state=state, next_attempt=when, last_error=reason[:1000], claimed_until=None,
        exchanges=[e.as_json() for e in exchanges],
    )
    if delay is not None:
        current_app.send_task(SEND_TASK, args=[row.pk], countdown=delay, ignore_result=True)
    return state


def sweep() -> int:
    """Take back sends whose worker died, and send again every journal overdue (its task
    was lost with a worker, or its retry was scheduled on a worker that stopped); how many."""
    now = timezone.now()
    stuck = list(Journal.objects.filter(state=State.SENDING, claimed_until__lt=now).values_list("pk", flat=True))
    Journal.objects.filter(pk__in=stuck, state=State.SENDING).update(
        state=State.RETRYING, next_attempt=now, claimed_until=None,
        last_error="the worker sending it stopped; sending again",
    )
    # A due journal has a task of its own on the way; only one overdue by the visibility
    # timeout lost it. Its next attempt moves to now, so it is sent again once per period.
    overdue = now - timedelta(seconds=settings.JOURNAL_VISIBILITY_SECONDS)
    due = list(Journal.objects.filter(state__in=[State.PENDING, State.RETRYING], next_attempt__lt=overdue)
               .values_list("pk", flat=True)[:1000])
    Journal.objects.filter(pk__in=due).update(next_attempt=now)
    for pk in stuck + due:
        current_app.send_task(SEND_TASK, args=[pk], ignore_result=True)
    return len(stuck) + len(due)


def retry_now(pk: int) -> bool:
    """An admin's Retry: a dead or waiting journal is sent again now."""
    changed = Journal.objects.filter(pk=pk).filter(Q(state=State.DEAD) | Q(state=State.RETRYING) | Q(
        state=State.DISCARDED)).update(state=State.RETRYING, next_attempt=timezone.now(), attempts=0)
    if changed:
        current_app.send_task(SEND_TASK, args=[pk], ignore_result=True)
    return bool(changed)


def discard(pk: int) -> bool:
    """An admin's Discard: the journal is not sent (it stays listed as discarded)."""
    return bool(Journal.objects.filter(pk=pk).exclude(state__in=[State.SENT, State.SENDING])
                .update(state=State.DISCARDED, claimed_until=None))


_SHOWN = (
    "Subject", "Description", "Time", "CallDuration", "Talk_Duration", "Call_From", "Call_To",
    "Communication_Type", "Call_Status", "Call_Log_Status", "CallDisposition", "ContactNumber", "ContactId",
    "ContactSyncType", "CrmId", "RecordPath", "TicketId", "EnableCallRecording",
)
