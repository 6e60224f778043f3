"""A stored event applied to its call, and what the call's state then triggers.

Events of one call may be handled out of order and by several workers at once: the
call row is locked while an event is applied, and the state kept only grows (an
extension that rang, answered or dialled stays so), so any order gives the same call.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from pbxcrm.pbx.events import CALL_STATE_CHANGED, Event, read_event
from pbxcrm.pbx.models import Call, CallEvent, Extension

from ..models import CallLookup
from . import context, lookup, rows

log = logging.getLogger(__name__)


def handle_event(event_pk: int) -> None:
    """Apply a stored event, then do what the call now calls for; the event is marked
    handled only then, so one whose follow-up failed (a bug, a database error) is
    taken up again by the sweeper. Applying twice changes nothing: the state only grows.

    The usual event (its call's lookup made, or being made by another worker) is one
    transaction of four statements: the event read with its call locked, its popups
    and journal recorded, the call saved, the event marked handled (a call's first event
    is stored with the call, by the INSERT that makes it). Every statement and
    commit costs the worker and the database alike, so an event makes as few as it
    can. Only the event that has to ask the CRM does so outside a transaction: no lock
    is held while the CRM answers."""
    now = context.current()
    with transaction.atomic():
        call, unsaved = _apply(event_pk)
        if call is None:
            return
        extensions = _concerned(call, now)
        if not extensions:
            _done(event_pk, call, changed=unsaved)
            return
        found = lookup.current(call)
        if not lookup.to_make(found) and not _creates_contact(call, now, found):
            pushed = _finish(call, now, found, extensions)
            _done(event_pk, call, changed=unsaved or bool(pushed))
            return
        if unsaved:
            rows.save_call(call)  # applied; handled once the CRM answered and the popups are out
        # The call's first lookup claimed with the call, in its commit.
        claimed = lookup.claim(call, now.integration) if found is None else None
    _ask_crm(event_pk, call, now, claimed)


def handle_new_call(event_pk: int, new_call: tuple[str, str]) -> bool:
    """A call's first event, ``new_call`` its (raw, PBX call id) as its batch read it,
    the call not made yet then: the call and the claim on its lookup written in one
    statement, with no transaction around it, then the CRM asked, then the event ended
    in one more statement (``_finish_new_call``). Whether it was handled so: False, with
    nothing done, when another worker made the call meanwhile (a call's events are
    often split between batches that workers handle at once) or the call is not the
    integration's business; the event then goes with the batch's others, or alone."""
    now = context.current()
    call, claimed = _begin_new_call(new_call, now)
    if claimed is None:
        return False
    _ask_crm(event_pk, call, now, claimed, made_at=call.updated)
    return True


def _ask_crm(event_pk: int, call: Call, now: context.Context, claimed: CallLookup | None,
             made_at: datetime | None = None) -> None:
    """The rest of an event whose call needs the CRM (its lookup; a contact to
    create), out of any transaction; then the popups due and the event marked handled.
    ``made_at``: the call's ``updated`` as this worker made it, when it did (the end is
    then one statement, if no other event changed the call meanwhile)."""
    from . import contacts

    later: list = []  # the match's phonebook sync, once the popups are out
    answers: list = []  # the lookup's answer, saved with the popups it brings
    found = lookup.ensure(call, now.integration, now.features, later=later, unsaved=answers, claimed=claimed)
    if found is not None and found.state == found.State.NOT_FOUND and contacts.wanted_automatically(call, now.features):
        _save_lookups(answers)  # the new contact is written into it
        contacts.ensure(call, now.integration, now.features, call.external_number)
    if made_at is not None and _finish_new_call(call, now, event_pk, answers, made_at):
        for step in later:
            step()
        return
    with transaction.atomic():
        # Other events of the call may have been applied while the CRM answered: the
        # popups due are those of the call as it stands now. The call is locked before
        # its lookup is written, the order every transaction here takes them in (the
        # other order deadlocked with an event claiming the lookup under the call's lock).
        call = rows.locked_call(pk=call.pk)
        answer = answers.pop() if answers else None
        if answer is not None:
            call._state.fields_cache["lookup"] = answer
        pushed = _finish(call, now, lookup.current(call), now.eligible(involved(call) or [handling_extension(call)]))
        _done(event_pk, call, changed=bool(pushed), answer=answer)
    for step in later:
        step()


def _finish_new_call(call: Call, now: context.Context, event_pk: int, answers: list, made_at) -> bool:
    """The popups of a call this worker made, and its lookup's answer, stored in one
    statement if no other event changed the call meanwhile (rows.finish_new_call), then
    published; whether that was so. A call record already applied (its journal is due:
    a 30012 that came first) goes the usual way."""
    from . import popups

    if rows.vendor() != "postgresql" or call.record is not None:
        return False
    answer = answers[-1] if answers else None
    if answer is not None:
        call._state.fields_cache["lookup"] = answer
    due = popups.all_due(call, now.features, lookup.current(call),
                         now.eligible(involved(call) or [handling_extension(call)]))
    stored = rows.finish_new_call(call, event_pk, answer, due, unchanged_since=made_at)
    if stored is None:
        return False  # nothing written: the usual transaction reads the call as it is now
    answers.clear()
    popups.publish(stored)
    return True


def _begin_new_call(new_call: tuple[str, str], now: context.Context | None) -> tuple[Call | None, CallLookup | None]:
    """A call's first event, as read with its batch, that needs the CRM (the call is
    the integration's business): the call made with the event applied, and the claim
    on its lookup; (None, None) when the event does not need the CRM or the call exists."""
    raw, pbx_call_id = new_call
    call = Call(call_id=pbx_call_id, direction="", external_number="", trunk="", members={}, ended=False, record=None)
    _apply_event(call, read_event(raw))
    if not _concerned(call, now):
        return None, None
    claimed = rows.insert_call_and_lookup(call, now.integration.pk)
    return (call, claimed) if claimed is not None else (None, None)


def _save_lookups(answers: list) -> None:
    while answers:
        rows.save_lookup(answers.pop())


def handle_events(event_pks: list[int]) -> None:
    """Handle a batch of stored events: those of calls that need nothing of the CRM
    (their lookup made, no contact to create) together, the others one by one.

    Together is one transaction that reads every event with its call, applies them in
    memory and writes the calls and the events back in two statements: under load the
    dispatcher hands a worker up to 100 events at once, and an event alone costs a
    transaction and three statements. A call's first event (it makes the call and its
    lookup: ``handle_new_call``), or one that needs the CRM (``handle_event``), goes
    alone; then the later events of those calls go together too. A first event whose
    call another worker made meanwhile goes with them. The outcome is the same as
    handling each event alone, in order: each is applied, and what the call then calls
    for done, before the next of its call."""
    left = _together(event_pks)
    if len(left) > 1:
        gone: set[int] = set()
        for pk, new_call in rows.first_event_of_each_call(left).items():
            if new_call is None:
                _alone(handle_event, pk)
                gone.add(pk)
            elif _alone(handle_new_call, pk, new_call) is not False:
                gone.add(pk)
        left = _together([pk for pk in left if pk not in gone])
    for pk in left:
        _alone(handle_event, pk)


def _alone(handle, pk: int, *args):
    """What ``handle`` returned; None when it failed."""
    try:
        return handle(pk, *args)
    except Exception:
        # One event's failure must not hold back the others; it stays unhandled, and the
        # sweeper sends it again.
        log.exception("event %s could not be handled; it will be tried again", pk)
        return None


def _together(event_pks: list[int]) -> list[int]:
    """Apply together the events that can be; the others' ids, in order."""
    if len(event_pks) < 2:
        return list(event_pks)
    try:
        return _handle_together(event_pks)
    except Exception:
        # Nothing was saved (a deadlock, a bug): each is handled alone.
        log.exception("a batch of %d events could not be handled together", len(event_pks))
        return list(event_pks)


def _handle_together(event_pks: list[int]) -> list[int]:
    """Apply the events whose calls need nothing of the CRM; the others' ids, in order."""
    from . import journal

    now = context.current()
    with transaction.atomic(), journal.inserts_gathered():
        stored = rows.events_and_calls(event_pks)
        together: set[int] = set()
        # A call with an event for handle_event: it and the call's later events wait.
        waiting: set[int] = set()
        handled: list[tuple[int, int]] = []
        changed: dict[int, Call] = {}
        for pk, raw, call in stored:
            if call.pk in waiting:
                continue
            before = (call.direction, call.external_number, call.trunk, call.members, call.ended, call.record)
            _apply_event(call, read_event(raw))  # builds new members, so ``before`` stays as it was
            extensions = _concerned(call, now)
            found = lookup.current(call)
            if extensions and (lookup.to_make(found) or _creates_contact(call, now, found)):
                (call.direction, call.external_number, call.trunk, call.members, call.ended,
                 call.record) = before
                waiting.add(call.pk)
                continue
            if extensions:
                _finish(call, now, found, extensions)
            together.add(pk)
            handled.append((pk, call.pk))
            changed[call.pk] = call
        rows.save_calls(list(changed.values()), handled)
    return [pk for pk in event_pks if pk not in together]


def _apply(event_pk: int) -> tuple[Call, bool] | tuple[None, bool]:
    """The event's call, locked, with the event applied to it; and whether that is still
    to be saved (a call's first event is stored with the call)."""
    stored = rows.event_and_call(event_pk)
    if stored is None:
        return None, False
    raw, pbx_call_id, call = stored
    event = read_event(raw)
    if call is None:  # the call's first event
        new = Call(call_id=pbx_call_id, direction="", external_number="", trunk="", members={}, ended=False,
                   record=None)
        _apply_event(new, event)
        if rows.insert_call(new) is not None:
            return new, False
        call = rows.locked_call(call_id=pbx_call_id)  # another worker made it a moment ago
    _apply_event(call, event)
    return call, True


def _apply_event(call: Call, event: Event) -> None:
    if event.type == CALL_STATE_CHANGED:
        apply_state(call, event)
    elif call.record is None:
        call.record = event.msg
        apply_record(call, event.msg)


def _done(event_pk: int, call: Call, *, changed: bool = True, answer: CallLookup | None = None) -> None:
    """The call saved (when ``changed``, or with its lookup's ``answer``), the event
    linked to it and marked handled."""
    if changed or answer is not None:
        rows.save_call(call, handled_event=event_pk, lookup=answer)
    else:
        rows.mark_event(event_pk, call.pk)


def _concerned(call: Call, now: context.Context | None) -> dict[str, Extension]:
    """The extensions the CRM features act for on this call; none for an internal call
    (not CRM business) or when no integration is active."""
    if now is None or call.direction not in (Call.Direction.INBOUND, Call.Direction.OUTBOUND):
        return {}
    if not call.external_number:
        return {}
    return now.eligible(involved(call) or [handling_extension(call)])


def _creates_contact(call: Call, now: context.Context, found: CallLookup | None) -> bool:
    from . import contacts

    return (found is not None and found.state == found.State.NOT_FOUND
            and contacts.wanted_automatically(call, now.features))


def _finish(call: Call, now: context.Context, found: CallLookup | None,
            extensions: dict[str, Extension]) -> list:
    """What the call's state calls for, each step safe to repeat; the popups pushed
    (each noted in the call, which the caller saves)."""
    from . import journal, popups

    pushed = []
    if extensions:
        pushed = popups.push_due(call, now.integration, now.features, found, extensions)
        if call.record is not None and now.features.journal and handling_extension(call) in extensions:
            journal.enqueue(call, now.integration)
    return pushed


def sweep_unhandled(older_than: float) -> int:
    """Send again the events stored more than ``older_than`` seconds ago and not handled
    (their task died with a worker); how many."""
    from datetime import timedelta

    from pbxcrm.pbx import dispatch

    # Sent again once per ``older_than``: an event merely waiting behind a backlog must
    # not be queued a second, third… time by every sweep.
    now = timezone.now()
    stale = now - timedelta(seconds=older_than)
    pending = list(CallEvent.objects.filter(handled__isnull=True).filter(
        Q(resent__isnull=True, received__lt=stale) | Q(resent__lt=stale)
    ).order_by("pk").values_list("pk", flat=True)[:5000])
    CallEvent.objects.filter(pk__in=pending).update(resent=now)
    for start in range(0, len(pending), dispatch.MAX_BATCH):
        dispatch.send(pending[start:start + dispatch.MAX_BATCH])
    return len(pending)


def apply_state(call: Call, event: Event) -> None:
    """Merge one 30011 into the call: direction, the external party, each extension's part."""
    members = event.members
    externals = [m for m in members if m.kind != "extension"]
    for external in externals:
        call.direction = external.kind
        call.external_number = external.from_number if external.kind == "inbound" else external.to_number
        call.trunk = external.trunk
    if not call.direction and members:
        call.direction = Call.Direction.INTERNAL
    state = dict(call.members)
    next_ring = max((m.get("rang", 0) for m in state.values()), default=0) + 1
    for member in members:
        if member.kind != "extension":
            continue
        entry = dict(state.get(member.number, {}))
        entry["status"] = member.status
        if member.status == "RING" and not entry.get("rang"):
            entry["rang"] = next_ring
            next_ring += 1
        if member.status == "ANSWER":
            entry["answered"] = True
            entry.setdefault("rang", next_ring)
        if member.status in ("ALERT", "ANSWERED"):  # the one placing the call
            entry["dialled"] = True
        if member.status == "BYE":
            entry["ended"] = True
        state[member.number] = entry
    call.members = state
    if members and all(m.status == "BYE" for m in members):
        call.ended = True


def apply_record(call: Call, record: dict) -> None:
    """A 30012 alone still says the call's direction, its external party and its end."""
    kind = str(record.get("type", "")).strip().lower()
    if not call.direction and kind in ("inbound", "outbound", "internal"):
        call.direction = kind
    if not call.external_number and kind in ("inbound", "outbound"):
        call.external_number = str(record.get("call_from" if kind == "inbound" else "call_to", ""))
    call.ended = True


def handling_extension(call: Call) -> str:
    """The extension a call belongs to (the spec): the one that answered, else the last
    that rang (inbound); the one that dialled (outbound). From the record when no
    30011 said so."""
    members = call.members or {}
    if call.direction == Call.Direction.OUTBOUND:
        dialled = [n for n, m in members.items() if m.get("dialled")]
        if dialled:
            return dialled[0]
        return str((call.record or {}).get("call_from", ""))
    answered = [n for n, m in members.items() if m.get("answered")]
    if answered:
        return answered[0]
    rang = sorted(((m.get("rang", 0), n) for n, m in members.items() if m.get("rang")), reverse=True)
    if rang:
        return rang[0][1]
    return str((call.record or {}).get("call_to", ""))


def involved(call: Call) -> list[str]:
    """The extensions taking part: those that rang or answered (inbound), dialled (outbound)."""
    members = call.members or {}
    if call.direction == Call.Direction.OUTBOUND:
        return [n for n, m in members.items() if m.get("dialled")]
    return [n for n, m in members.items() if m.get("rang") or m.get("answered")]
