"""The PBX's own directory: company contacts and phonebook entries, found by number.

A number matches when its digits are the same, or (numbers of at least N digits) its
last N digits are: the PBX's caller-ID match. Numbers are stored with their digits
reversed and indexed, so the last N digits are a prefix that the index finds directly
(docs/calls.md, "Finding a caller").
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from templates_app.xmlmodel.vocabulary import PHONE_FIELDS

from .models import Contact, ContactNumber, Phonebook

_NOT_DIGITS = re.compile(r"\D")
# The contact fields a synced CRM contact keeps as columns (the rest stay in crm_fields).
_COLUMNS = {"FirstName": "first_name", "LastName": "last_name", "Company": "company", "Email": "email"}
# An entry this process found holding a CRM record is not marked synced again for that
# record for this long (at most a tenth of SYNCED_CONTACT_MAX_AGE): a caller who rings
# again and again costs no write each time, and "synced" lags by a minute at most
# against a freshness of a day.
MARK_EVERY_SECONDS = 60.0
_marked: dict[tuple[int, str, str], tuple[str, float]] = {}
_MARKED_MAX = 10_000


def digits_of(number: str) -> str:
    return _NOT_DIGITS.sub("", number or "")[:64]


def _prefix_filter(field: str, prefix: str) -> dict[str, str]:
    # SQLite's LIKE ignores case and so cannot use a plain index; a range over the
    # prefix can (digits sort before ":"). PostgreSQL's LIKE 'x%' uses the
    # pattern-ops index Django adds to every indexed CharField.
    if connection.vendor == "sqlite":
        return {f"{field}__gte": prefix, f"{field}__lt": prefix + ":"}
    return {f"{field}__startswith": prefix}


def find(number: str, last_digits: int = 7, *, phonebooks: Iterable[int] | None = None) -> list[Contact]:
    """The contacts having ``number``, best first: the same digits before the same last
    ``last_digits``, then company contacts before phonebook entries. ``phonebooks``
    restricts the search to those phonebooks (and the company contacts)."""
    digits = digits_of(number)
    if not digits:
        return []
    reverse = digits[::-1]
    numbers = ContactNumber.objects.select_related("contact")
    if last_digits > 0 and len(digits) >= last_digits:
        numbers = numbers.filter(**_prefix_filter("digits_reversed", reverse[:last_digits]))
    else:
        numbers = numbers.filter(digits_reversed=reverse)
    if phonebooks is not None:
        from django.db.models import Q

        numbers = numbers.filter(Q(contact__phonebook__isnull=True) | Q(contact__phonebook__in=list(phonebooks)))
    found: dict[int, tuple[tuple[int, int, int], Contact]] = {}
    for entry in numbers[:200]:
        stored = entry.digits_reversed[::-1]
        if stored != digits and (len(stored) < last_digits or last_digits <= 0):
            continue
        rank = (0 if stored == digits else 1, 0 if entry.contact.phonebook_id is None else 1, entry.contact_id)
        if entry.contact_id not in found or rank < found[entry.contact_id][0]:
            found[entry.contact_id] = (rank, entry.contact)
    return [contact for _, contact in sorted(found.values(), key=lambda pair: pair[0])]


def set_numbers(contact: Contact, numbers: Mapping[str, str]) -> None:
    """Replace the contact's numbers with ``numbers`` (kind → number; empty ones skipped)."""
    contact.numbers.all().delete()
    ContactNumber.objects.bulk_create(
        ContactNumber(contact=contact, kind=kind, number=value.strip()[:64], digits_reversed=digits_of(value)[::-1])
        for kind, value in numbers.items()
        if value and digits_of(value)
    )


def sync_from_crm(phonebook: Phonebook, fields: Mapping[str, str], contact_type: str, url: str = "") -> None:
    """The phonebook's entry for this CRM contact, created or brought up to date
    (``fields``: the guide's contact variables, ContactsId among them)."""
    crm_id = fields.get("ContactsId", "")
    wanted = {column: str(fields.get(name, ""))[:200] for name, column in _COLUMNS.items()}
    extra = {k: str(v) for k, v in fields.items() if k not in _COLUMNS}
    numbers = {kind: str(fields.get(kind, "")) for kind in PHONE_FIELDS if fields.get(kind)}
    digest = hashlib.sha256(json.dumps([wanted, extra, url, numbers], sort_keys=True).encode()).hexdigest()
    if not crm_id:
        _sync_changed(phonebook, crm_id, contact_type, url, wanted, extra, numbers, digest)
        return
    key = (phonebook.pk, contact_type, crm_id)
    seen = _marked.get(key)
    every = min(MARK_EVERY_SECONDS, settings.SYNCED_CONTACT_MAX_AGE / 10)
    if seen is not None and seen[0] == digest and time.monotonic() - seen[1] < every:
        return  # marked a moment ago by this process, holding this very record
    if not _mark_unchanged(phonebook.pk, contact_type, crm_id, digest):
        _sync_changed(phonebook, crm_id, contact_type, url, wanted, extra, numbers, digest)
    # Remembered once what was written holds (at once outside a transaction).
    transaction.on_commit(lambda: _remember(key, digest))


def _remember(key: tuple[int, str, str], digest: str) -> None:
    if len(_marked) >= _MARKED_MAX:
        _marked.clear()
    _marked[key] = (digest, time.monotonic())


def forget_marks() -> None:
    """Forget which entries this process marked synced lately (tests; a phonebook's
    entries deleted by hand)."""
    _marked.clear()


def _mark_unchanged(phonebook_pk: int, contact_type: str, crm_id: str, digest: str) -> bool:
    """Mark the entry synced now if it holds this very record; whether it did."""
    table = connection.ops.quote_name(Contact._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET synced = %s WHERE phonebook_id = %s AND crm_type = %s AND crm_id = %s "
                       f"AND crm_digest = %s", [now, phonebook_pk, contact_type, crm_id, digest])
        return cursor.rowcount > 0


@transaction.atomic
def _sync_changed(phonebook: Phonebook, crm_id: str, contact_type: str, url: str, wanted: dict[str, str],
                  extra: dict[str, str], numbers: dict[str, str], digest: str) -> Contact:
    entry = Contact.objects.select_for_update().filter(
        phonebook=phonebook, crm_type=contact_type, crm_id=crm_id
    ).first() if crm_id else None
    if entry is None:
        try:
            with transaction.atomic():
                entry = Contact.objects.create(phonebook=phonebook, crm_id=crm_id, crm_type=contact_type,
                                               crm_url=url, crm_fields=extra, crm_digest=digest,
                                               synced=timezone.now(), **wanted)
                set_numbers(entry, numbers)
                return entry
        except IntegrityError:  # another worker synced the same contact a moment ago
            entry = Contact.objects.select_for_update().get(phonebook=phonebook, crm_type=contact_type, crm_id=crm_id)
    stored_numbers = dict(ContactNumber.objects.filter(contact=entry).values_list("kind", "number"))
    for column, value in wanted.items():
        setattr(entry, column, value)
    entry.crm_fields, entry.crm_url, entry.crm_digest, entry.synced = extra, url, digest, timezone.now()
    entry.save()
    if stored_numbers != {k: v.strip()[:64] for k, v in numbers.items() if digits_of(v)}:
        set_numbers(entry, numbers)
    return entry
