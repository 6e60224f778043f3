"""The one lookup of a call's external number.

The first event that needs it claims it (a row per call) and looks up; the others
read its answer. With Always Query CRM off, the PBX's own contacts answer first
(company contacts and phonebooks; a CRM-synced entry younger than
SYNCED_CONTACT_MAX_AGE carries the CRM's id and page); otherwise, or when they have
nobody, the CRM is asked, type by type in the order chosen, each number form in
turn: the first match wins, and is synced into the phonebook when that feature is on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone

from pbxcrm.pbx import directory
from pbxcrm.pbx.models import Call, Contact

from .. import numbers
from ..engine import Exchange
from ..engine.concurrency import urgent
from ..errors import CrmError
from ..models import CallLookup, Features, Integration
from . import rows
from .engines import engine

log = logging.getLogger(__name__)
# How long a second event waits for the lookup the first one is making.
WAIT_SECONDS = 20


def ensure(call: Call, integration: Integration, features: Features, *, wait: bool = False,
           later: list[Callable[[], None]] | None = None,
           unsaved: list[CallLookup] | None = None, claimed: CallLookup | None = None) -> CallLookup | None:
    """The call's lookup: made now when nobody made it, or retried when it failed.
    ``wait``: when another worker is making it, wait for its answer (the journal does).
    ``later``: the phonebook sync of a match is put there instead of done now, so the
    caller pushes the popups first (the agent waits for those; the phonebook is a copy).
    ``unsaved``: the answer of a lookup made now is put there instead of saved, for the
    caller to save (``rows.save_lookup``) in the transaction that pushes its popups: a
    commit fewer per call. ``claimed``: this worker's claim on it (``claim``), made in
    the transaction that made the call: another commit fewer."""
    if claimed is not None:
        return _run(claimed, call, integration, features, later, unsaved)
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        row = _claim(call, integration)
        if row is not None:
            return _run(row, call, integration, features, later, unsaved)
        found = CallLookup.objects.filter(call=call).first()
        if found is None or found.state != CallLookup.State.RUNNING or not wait or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def claim(call: Call, integration: Integration) -> CallLookup | None:
    """This worker's claim on a call's first lookup, or None when the call has one."""
    return rows.insert_lookup(call, integration.pk)


def current(call: Call) -> CallLookup | None:
    """The call's lookup as the call was read (with select_related("lookup"), no query)."""
    try:
        return call.lookup
    except CallLookup.DoesNotExist:
        return None


def to_make(found: CallLookup | None) -> bool:
    """Whether the lookup is still to be made: nobody made it, it failed, or the worker
    making it died (its claim went stale)."""
    if found is None or found.state == CallLookup.State.FAILED:
        return True
    return found.state == CallLookup.State.RUNNING and found.updated < _stale_before()


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.LOOKUP_STALE_SECONDS)


def _claim(call: Call, integration: Integration) -> CallLookup | None:
    """This worker's claim on the lookup, or None when another has it or it is done."""
    if call._state.fields_cache.get("lookup", False) is not None:
        # The call was read with a lookup, or without asking: look before claiming.
        found = CallLookup.objects.filter(call=call).values_list("state", "updated").first()
        if found is not None and (found[0] in (CallLookup.State.FOUND, CallLookup.State.NOT_FOUND) or (
                found[0] == CallLookup.State.RUNNING and found[1] >= _stale_before())):
            return None  # the usual case for every event after the first: one query
    claimed = rows.insert_lookup(call, integration.pk)
    if claimed is not None:
        return claimed
    # A claim older than this belonged to a worker that died: another takes it over.
    stale = _stale_before()
    taken = CallLookup.objects.filter(call=call).filter(
        state=CallLookup.State.FAILED
    ).update(state=CallLookup.State.RUNNING, updated=timezone.now()) or CallLookup.objects.filter(
        call=call, state=CallLookup.State.RUNNING, updated__lt=stale
    ).update(updated=timezone.now())
    return CallLookup.objects.get(call=call) if taken else None


def _run(row: CallLookup, call: Call, integration: Integration, features: Features,
         later: list[Callable[[], None]] | None, unsaved: list[CallLookup] | None = None) -> CallLookup:
    started = time.perf_counter()
    exchanges: list[Exchange] = []
    row.source, row.error, row.contact = "", "", None
    if not features.always_query_crm:
        local = _local(call.external_number, features)
        if local is not None:
            row.source, row.contact, row.state = "pbx", local, CallLookup.State.FOUND
    if row.source == "":
        try:
            with urgent(), engine(integration, exchanges) as crm:  # an agent waits for its answer
                forms = numbers.variants(call.external_number, features.country, features.number_forms)
                found = crm.lookup(forms, features.contact_types or None)
        except CrmError as err:
            row.state, row.error = CallLookup.State.FAILED, str(err)[:1000]
        else:
            row.source = "crm"
            row.state = CallLookup.State.FOUND if found else CallLookup.State.NOT_FOUND
            if found:
                row.contact = found[0].as_json()
                if features.sync_contacts and features.phonebook_id:
                    sync = partial(_sync, features, found[0])
                    if later is None:
                        sync()
                    else:
                        later.append(sync)
    row.exchanges = [e.as_json() for e in exchanges]
    row.milliseconds = (time.perf_counter() - started) * 1000
    row.updated = timezone.now()  # answered (saved now, or with the popups it brings)
    if unsaved is None:
        rows.save_lookup(row)
    else:
        unsaved.append(row)
    return row


def _sync(features: Features, match) -> None:
    try:
        directory.sync_from_crm(features.phonebook, match.fields, match.contact_type, match.popup_url)
    except DatabaseError:  # the phonebook is a copy: the call goes on without it
        log.exception("could not sync contact %s into the phonebook", match.as_json().get("ContactsId"))


def _local(number: str, features: Features) -> dict[str, str] | None:
    """A match among the PBX's contacts, as the contact variables; None when there is
    none, or when the only match is a synced CRM entry too old to trust."""
    fresh_after = timezone.now() - timedelta(seconds=settings.SYNCED_CONTACT_MAX_AGE)
    for contact in directory.find(number, features.match_digits):
        if contact.crm_id and (contact.synced is None or contact.synced < fresh_after):
            return None  # ask the CRM, which updates the entry
        return _as_variables(contact)
    return None


def _as_variables(contact: Contact) -> dict[str, str]:
    out = {**contact.crm_fields, "FirstName": contact.first_name, "LastName": contact.last_name,
           "Company": contact.company, "Email": contact.email}
    for entry in contact.numbers.all():
        out.setdefault(entry.kind or "OtherNumber", entry.number)
    if contact.crm_id:
        out.update(ContactsId=contact.crm_id, ContactSyncType=contact.crm_type, PopupURL=contact.crm_url)
    return out
