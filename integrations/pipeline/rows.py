"""The statements every event of every call runs, written out in SQL.

A worker applies hundreds of events a second. Through the ORM each of these
statements costs about half a millisecond of CPU to build (ten times what the
database takes to answer it), and a savepoint around each INSERT that may collide
two round trips more: written out, an event costs a quarter of what it did. Only
this handful is written out; everything else in the pipeline uses the ORM.

Each statement works on PostgreSQL and SQLite (3.35+: ``RETURNING``, ``ON CONFLICT``).
"""

from __future__ import annotations

import functools
import json
from datetime import UTC, datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from pbxcrm.kept_cursor import kept_cursor
from pbxcrm.pbx.models import Call, CallEvent

from ..models import CallLookup, Journal, Popup

_CALL = ("id", "call_id", "direction", "external_number", "trunk", "members", "ended", "record", "started",
         "updated")
# A lookup's exchanges are left out: an event reads only its answer (and the ORM loads
# them if something asks).
_LOOKUP = ("id", "call_id", "integration_id", "number", "state", "source", "contact", "error", "milliseconds",
           "created", "updated")


# What does not change in a process: the database's kind, its quoted table names.
# ``connection.<anything>`` looks the thread's connection up through asgiref's Local
# (2 µs): the pipeline's statements asked it some ten times each.
@functools.cache
def vendor() -> str:
    """The database's kind (``connection.vendor``), asked once."""
    return connection.vendor



@functools.cache
def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _stored(moment: datetime | None):
    """A time as the database stores it (PostgreSQL: as it is)."""
    return moment if vendor() == "postgresql" else connection.ops.adapt_datetimefield_value(moment)


def _among(column: str, values: list) -> tuple[str, list]:
    """``column`` is one of ``values``: on PostgreSQL one array parameter, so the
    statement's text is the same whatever their number (psycopg converts it once, the
    server prepares it once); on SQLite an IN list."""
    if vendor() == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [array(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


def array(values) -> str:
    """``values`` (None, bool, int or str) as a PostgreSQL array literal, for a parameter
    the statement casts (``%s::text[]``). psycopg's own list adapter escapes each string
    through a regular expression whose replacement runs in Python for every quote: a
    batch's calls, their members and records, spent a tenth of the pipeline's CPU there."""
    return "{" + ",".join(map(_element, values)) + "}"


def _element(value) -> str:
    if value is None:
        return "NULL"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _now() -> tuple[datetime, object]:
    """Now, and as the database stores it."""
    now = timezone.now()
    return now, _stored(now)


def _json_param(value) -> str:
    # PostgreSQL casts a quoted literal to jsonb when it is assigned to a jsonb column.
    return None if value is None else json.dumps(value)


def _json(value):
    # Django reads jsonb as text (on both databases), as JSONField.from_db_value expects.
    return json.loads(value) if isinstance(value, str) else value


def _when(value):
    if isinstance(value, str):  # SQLite: UTC, as text…
        value = parse_datetime(value)
    if isinstance(value, datetime) and timezone.is_naive(value):  # …or naive (its converters)
        value = value.replace(tzinfo=UTC)
    return value


def _inserted_id(sql: str, params: list) -> int | None:
    """The id an ``INSERT … ON CONFLICT DO NOTHING RETURNING id`` gave its new row; None
    when the row was there already."""
    with kept_cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchone()
    return None if found is None else found[0]


def unhandled_event(pk: int) -> tuple[str, str] | None:
    """(raw, the PBX's call id) of a stored event not handled yet; None otherwise."""
    with kept_cursor() as cursor:
        cursor.execute(f"SELECT raw, pbx_call_id FROM {_table(CallEvent)} WHERE id = %s AND handled IS NULL", [pk])
        return cursor.fetchone()


def event_and_call(pk: int) -> tuple[str, str, Call | None] | None:
    """(raw, the PBX's call id, its call locked with its lookup) of a stored event not
    handled yet, in one query when its call exists (every event but a call's first);
    the call None when it does not; None when there is no such event."""
    columns = ", ".join(["e.raw", "e.pbx_call_id"] + [f"c.{c}" for c in _CALL] + [f"l.{c}" for c in _LOOKUP])
    with kept_cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {_table(CallEvent)} e JOIN {_table(Call)} c "
                       f"ON c.call_id = e.pbx_call_id LEFT JOIN {_table(CallLookup)} l ON l.call_id = c.id "
                       f"WHERE e.id = %s AND e.handled IS NULL{_lock()}", [pk])
        found = cursor.fetchone()
    if found is not None:
        return found[0], found[1], _call_with_lookup(found[2:])
    stored = unhandled_event(pk)
    return None if stored is None else (stored[0], stored[1], None)


def events_and_calls(pks: list[int]) -> list[tuple[int, str, Call]]:
    """(event id, raw, its call locked with its lookup) of the stored events among
    ``pks`` not handled yet whose call exists, by call then event: one query for a
    batch. The calls are locked in the order of their ids, so two workers locking
    overlapping batches wait for each other rather than deadlock."""
    if not pks:
        return []
    columns = ", ".join(["e.id", "e.raw"] + [f"c.{c}" for c in _CALL] + [f"l.{c}" for c in _LOOKUP])
    among, params = _among("e.id", pks)
    with kept_cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {_table(CallEvent)} e JOIN {_table(Call)} c "
                       f"ON c.call_id = e.pbx_call_id LEFT JOIN {_table(CallLookup)} l ON l.call_id = c.id "
                       f"WHERE {among} AND e.handled IS NULL ORDER BY c.id, e.id{_lock()}", params)
        found = cursor.fetchall()
    calls: dict[int, Call] = {}
    out = []
    for row in found:
        call = calls.get(row[2])
        if call is None:
            call = calls[row[2]] = _call_with_lookup(row[2:])
        out.append((row[0], row[1], call))
    return out


def first_event_of_each_call(pks: list[int]) -> dict[int, tuple[str, str] | None]:
    """Among these events not handled yet, the earliest of each call: by id, (raw, the
    PBX's call id) when its call did not exist yet as this read it (the event will make
    it), else None."""
    among, params = _among("e.id", pks)
    with kept_cursor() as cursor:
        cursor.execute(f"SELECT e.id, e.pbx_call_id, e.raw, c.id FROM {_table(CallEvent)} e LEFT JOIN {_table(Call)} c "
                       f"ON c.call_id = e.pbx_call_id WHERE {among} AND e.handled IS NULL ORDER BY e.id", params)
        seen: dict[str, tuple] = {}
        for pk, call_id, raw, call_pk in cursor.fetchall():
            seen.setdefault(call_id, (pk, None if call_pk is not None else (raw, call_id)))
    return dict(seen.values())


def save_calls(calls: list[Call], handled: list[tuple[int, int]]) -> None:
    """Calls as events left them, and those events ((event id, call id) pairs) linked to
    their calls and marked handled: two statements on PostgreSQL however many."""
    moment, now = _now()
    if vendor() != "postgresql":
        for call in calls:
            save_call(call)
        with kept_cursor() as cursor:
            cursor.executemany(f"UPDATE {_table(CallEvent)} SET call_id = %s, handled = %s WHERE id = %s",
                               [(call_pk, now, event_pk) for event_pk, call_pk in handled])
        return
    # Arrays, one per column (unnest): the statements' text is the same however many.
    with kept_cursor() as cursor:
        if calls:
            for call in calls:
                call.updated = moment
            cursor.execute(
                f"UPDATE {_table(Call)} c SET direction = v.direction, external_number = v.external_number, "
                f"trunk = v.trunk, members = v.members, ended = v.ended, record = v.record, updated = %s "
                f"FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::jsonb[], %s::boolean[], "
                f"%s::jsonb[]) AS v(id, direction, external_number, trunk, members, ended, record) WHERE c.id = v.id",
                [now, array(c.pk for c in calls), array(c.direction for c in calls),
                 array(c.external_number for c in calls), array(c.trunk for c in calls),
                 array(_json_param(c.members or {}) for c in calls), array(c.ended for c in calls),
                 array(_json_param(c.record) for c in calls)])
        if handled:
            cursor.execute(
                f"UPDATE {_table(CallEvent)} e SET call_id = v.call_id, handled = %s "
                f"FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, call_id) WHERE e.id = v.id",
                [now, array(event_pk for event_pk, _ in handled), array(call_pk for _, call_pk in handled)])


@functools.cache
def _lock() -> str:
    if connection.features.has_select_for_update_of:
        return " FOR UPDATE OF c"
    if connection.features.has_select_for_update:
        return " FOR UPDATE"
    return ""


def locked_call(*, call_id: str | None = None, pk: int | None = None) -> Call | None:
    """The call, locked until the transaction ends, with its lookup read in the same
    query (``call.lookup``, or CallLookup.DoesNotExist as the ORM would raise)."""
    columns = ", ".join([f"c.{c}" for c in _CALL] + [f"l.{c}" for c in _LOOKUP])
    where, key = ("c.call_id = %s", call_id) if call_id is not None else ("c.id = %s", pk)
    with kept_cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {_table(Call)} c LEFT JOIN {_table(CallLookup)} l "
                       f"ON l.call_id = c.id WHERE {where}{_lock()}", [key])
        found = cursor.fetchone()
    if found is None:
        return None
    return _call_with_lookup(found)


def _call_with_lookup(found) -> Call:
    """A call and its lookup from the columns _CALL then _LOOKUP of a row."""
    values = list(found[:len(_CALL)])
    values[5], values[6], values[7] = _json(values[5]) or {}, bool(values[6]), _json(values[7])
    values[8], values[9] = _when(values[8]), _when(values[9])
    call = Call.from_db(connection.alias, _CALL, values)
    lookup = None
    if found[len(_CALL)] is not None:
        values = list(found[len(_CALL):len(_CALL) + len(_LOOKUP)])
        values[6], values[9], values[10] = _json(values[6]), _when(values[9]), _when(values[10])
        lookup = CallLookup.from_db(connection.alias, _LOOKUP, values)
        lookup._state.fields_cache["call"] = call
    # As select_related("lookup") leaves it: None when there is none.
    call._state.fields_cache["lookup"] = lookup
    return call


def insert_lookup(call: Call, integration_pk: int) -> CallLookup | None:
    """The call's lookup, new and running (this worker's claim on it); None when the
    call has one already."""
    moment, now = _now()
    pk = _inserted_id(
        f"INSERT INTO {_table(CallLookup)} (call_id, integration_id, number, state, source, contact, error, "
        f"exchanges, milliseconds, created, updated) VALUES (%s, %s, %s, %s, '', NULL, '', %s, 0, %s, %s) "
        f"ON CONFLICT (call_id) DO NOTHING RETURNING id",
        [call.pk, integration_pk, call.external_number, CallLookup.State.RUNNING, "[]", now, now])
    if pk is None:
        return None
    row = CallLookup(id=pk, call=call, integration_id=integration_pk, number=call.external_number,
                     created=moment, updated=moment)
    row._state.adding = False
    return row


def save_lookup(row: CallLookup) -> None:
    """What a lookup found, and when (``row.updated``: the CRM's answer, which may be
    saved a little later, with the popups it brings); its call, integration and number
    never change."""
    with kept_cursor() as cursor:
        cursor.execute(*_lookup_update(row))


def _lookup_update(row: CallLookup) -> tuple[str, list]:
    return (f"UPDATE {_table(CallLookup)} SET state = %s, source = %s, contact = %s, error = %s, exchanges = %s, "
            f"milliseconds = %s, updated = %s WHERE id = %s",
            [row.state, row.source, _json_param(row.contact), row.error, _json_param(row.exchanges or []),
             row.milliseconds, _stored(row.updated), row.pk])


def insert_call(call: Call) -> Call | None:
    """The new call stored as it stands (its first event applied): this transaction's
    row, so locked until it ends, and with no lookup; None when another worker made it
    a moment ago."""
    moment, now = _now()
    pk = _inserted_id(
        f"INSERT INTO {_table(Call)} (call_id, direction, external_number, trunk, members, ended, record, "
        f"started, updated) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (call_id) DO NOTHING "
        f"RETURNING id", [call.call_id, call.direction, call.external_number, call.trunk,
                          _json_param(call.members or {}), call.ended, _json_param(call.record), now, now])
    if pk is None:
        return None
    call.id, call.started, call.updated = pk, moment, moment
    call._state.adding = False
    call._state.fields_cache["lookup"] = None
    return call


def insert_call_and_lookup(call: Call, integration_pk: int) -> CallLookup | None:
    """``insert_call`` and ``insert_lookup`` at once, outside any transaction (one
    statement on PostgreSQL): the new call, and this worker's claim on its lookup; None
    when another worker made the call a moment ago (nothing is written then)."""
    if vendor() != "postgresql":
        with transaction.atomic():
            return insert_lookup(call, integration_pk) if insert_call(call) is not None else None
    moment, now = _now()
    with kept_cursor() as cursor:
        cursor.execute(
            f"WITH c AS (INSERT INTO {_table(Call)} (call_id, direction, external_number, trunk, members, ended, "
            f"record, started, updated) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (call_id) DO NOTHING "
            f"RETURNING id) INSERT INTO {_table(CallLookup)} (call_id, integration_id, number, state, source, "
            f"contact, error, exchanges, milliseconds, created, updated) SELECT c.id, %s, %s, %s, '', NULL, '', %s, "
            f"0, %s, %s FROM c RETURNING call_id, id",
            [call.call_id, call.direction, call.external_number, call.trunk, _json_param(call.members or {}),
             call.ended, _json_param(call.record), now, now,
             integration_pk, call.external_number, CallLookup.State.RUNNING, "[]", now, now])
        found = cursor.fetchone()
    if found is None:
        return None
    call.id, call.started, call.updated = found[0], moment, moment
    call._state.adding = False
    row = CallLookup(id=found[1], call=call, integration_id=integration_pk, number=call.external_number,
                     created=moment, updated=moment)
    row._state.adding = False
    return row


def save_call(call: Call, *, handled_event: int | None = None, lookup: CallLookup | None = None) -> None:
    """What events change in a call (its id and start never change); and, with
    ``handled_event``, that event linked to the call and marked handled, and with
    ``lookup``, what the call's lookup found (``save_lookup``): in the same statement
    on PostgreSQL (most events end so: a round trip fewer for each)."""
    moment, now = _now()
    call.updated = moment
    update = (f"UPDATE {_table(Call)} SET direction = %s, external_number = %s, trunk = %s, members = %s, "
              f"ended = %s, record = %s, updated = %s WHERE id = %s")
    params = [call.direction, call.external_number, call.trunk, _json_param(call.members or {}), call.ended,
              _json_param(call.record), now, call.pk]
    if vendor() != "postgresql":
        if lookup is not None:
            save_lookup(lookup)
    elif handled_event is not None:
        update = (f"WITH saved AS ({update}) UPDATE {_table(CallEvent)} SET call_id = %s, handled = %s "
                  f"WHERE id = %s")
        params += [call.pk, now, handled_event]
        handled_event = None
        if lookup is not None:
            found, found_params = _lookup_update(lookup)
            update = f"WITH found AS ({found}), {update.removeprefix('WITH ')}"
            params = found_params + params
    elif lookup is not None:
        save_lookup(lookup)
    with kept_cursor() as cursor:
        cursor.execute(update, params)
    if handled_event is not None:
        mark_event(handled_event, call.pk)


def finish_new_call(call: Call, event_pk: int, lookup: CallLookup | None, popups: list[Popup], *,
                    unchanged_since: datetime) -> list[Popup] | None:
    """On PostgreSQL, the end of a new call's first event in one statement, outside any
    transaction, if no other event changed the call since ``unchanged_since`` (its
    ``updated``, as this worker stored it): the call saved, its lookup's answer, the
    event marked handled, the popups stored (those new, with their id and time, are
    returned, to publish). None, with nothing written, when the call changed meanwhile:
    the caller then locks it and goes the usual way. (In a transaction this is five
    round trips and two commits' worth of work: a third of what a call costs the worker.)"""
    moment, now = _now()
    call_sql, call_params = (
        f"UPDATE {_table(Call)} SET direction = %s, external_number = %s, trunk = %s, members = %s, ended = %s, "
        f"record = %s, updated = %s WHERE id = %s AND updated = %s RETURNING id",
        [call.direction, call.external_number, call.trunk, _json_param(call.members or {}), call.ended,
         _json_param(call.record), now, call.pk, unchanged_since])
    parts, params = [f"saved AS ({call_sql})"], call_params
    if lookup is not None:
        found_sql, found_params = _lookup_update(lookup)
        table = _table(CallLookup)
        parts.append(f"found AS ({found_sql.replace(' WHERE id = %s', f' FROM saved WHERE {table}.id = %s')})")
        params += found_params
    parts.append(f"marked AS (UPDATE {_table(CallEvent)} e SET call_id = saved.id, handled = %s FROM saved "
                 f"WHERE e.id = %s)")
    params += [now, event_pk]
    pushed = "'[]'"
    if popups:
        parts.append(f"pushed AS (INSERT INTO {_table(Popup)} (call_id, extension_id, kind, url, name, number, created) "
                     f"SELECT saved.id, v.extension_id, v.kind, v.url, v.name, v.number, %s FROM saved, "
                     f"unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[]) "
                     f"AS v(extension_id, kind, url, name, number) ON CONFLICT (call_id, extension_id, kind) DO NOTHING "
                     f"RETURNING id, extension_id, kind)")
        params += [now, array(p.extension_id for p in popups), array(p.kind for p in popups),
                   array(p.url for p in popups), array(p.name for p in popups), array(p.number for p in popups)]
        pushed = "(SELECT coalesce(json_agg(json_build_array(id, extension_id, kind)), '[]') FROM pushed)"
    with kept_cursor() as cursor:
        cursor.execute(f"WITH {', '.join(parts)} SELECT (SELECT count(*) FROM saved), {pushed}::text", params)
        saved, stored = cursor.fetchone()
    if not saved:
        return None
    call.updated = moment
    ids = {(extension, kind): pk for pk, extension, kind in json.loads(stored)}
    out = []
    for popup in popups:
        pk = ids.get((popup.extension_id, popup.kind))
        if pk is not None:
            popup.pk, popup.created = pk, moment
            popup._state.adding = False
            out.append(popup)
    return out


def mark_event(pk: int, call_pk: int) -> None:
    """The event linked to its call and marked handled."""
    _, now = _now()
    with kept_cursor() as cursor:
        cursor.execute(f"UPDATE {_table(CallEvent)} SET call_id = %s, handled = %s WHERE id = %s", [call_pk, now, pk])


def insert_popup(popup: Popup) -> bool:
    """Store a new popup (its id and time set); False when the call had it already."""
    moment, now = _now()
    pk = _inserted_id(
        f"INSERT INTO {_table(Popup)} (call_id, extension_id, kind, url, name, number, created) "
        f"VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (call_id, extension_id, kind) DO NOTHING RETURNING id",
        [popup.call_id, popup.extension_id, popup.kind, popup.url, popup.name, popup.number, now])
    if pk is None:
        return False
    popup.pk, popup.created = pk, moment
    popup._state.adding = False
    return True


def insert_journal(call_pk: int, integration_pk: int, next_attempt: datetime) -> int | None:
    """A pending journal for the call; its id, or None when the call had one already."""
    _, now = _now()
    when = _stored(next_attempt)
    return _inserted_id(
        f"INSERT INTO {_table(Journal)} (integration_id, call_id, state, attempts, next_attempt, claimed_until, "
        f"last_error, ticket_id, variables, exchanges, sent_at, created, updated) "
        f"VALUES (%s, %s, %s, 0, %s, NULL, '', '', %s, %s, NULL, %s, %s) "
        f"ON CONFLICT (call_id) DO NOTHING RETURNING id",
        [integration_pk, call_pk, Journal.State.PENDING, when, "{}", "[]", now, now])


def insert_journals(pairs: list[tuple[int, int]], next_attempt: datetime) -> list[int]:
    """``insert_journal`` for many (call id, integration id) pairs, in one statement on
    PostgreSQL: the ids of the journals made (calls that had one are left out)."""
    if vendor() != "postgresql":
        made = (insert_journal(call_pk, integration_pk, next_attempt) for call_pk, integration_pk in pairs)
        return [pk for pk in made if pk is not None]
    _, now = _now()
    with kept_cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(Journal)} (integration_id, call_id, state, attempts, next_attempt, claimed_until, "
            f"last_error, ticket_id, variables, exchanges, sent_at, created, updated) "
            f"SELECT v.integration_id, v.call_id, %s, 0, %s, NULL, '', '', '{{}}', '[]', NULL, %s, %s "
            f"FROM unnest(%s::bigint[], %s::bigint[]) AS v(call_id, integration_id) "
            f"ON CONFLICT (call_id) DO NOTHING RETURNING id",
            [Journal.State.PENDING, next_attempt, now, now, array(c for c, _ in pairs), array(i for _, i in pairs)])
        return [pk for (pk,) in cursor.fetchall()]


# -- the journal outbox -------------------------------------------------------------------
_JOURNAL = ("id", "integration_id", "call_id", "state", "attempts", "next_attempt", "ticket_id")


def journal_to_send(pk: int, events_since: datetime) -> tuple[Journal, bool] | None:
    """The journal with its call and the call's lookup (``journal.call.lookup``), and
    whether an event of the call received since ``events_since`` is not handled yet;
    None when there is no such journal."""
    return journals_to_send([pk], events_since).get(pk)


def journals_to_send(pks: list[int], events_since: datetime) -> dict[int, tuple[Journal, bool]]:
    """``journal_to_send`` for many journals in one query, by id (missing ones left out)."""
    columns = ", ".join([f"j.{c}" for c in _JOURNAL] + [f"c.{c}" for c in _CALL] + [f"l.{c}" for c in _LOOKUP])
    among, among_params = _among("j.id", pks)
    since = _stored(events_since)
    with kept_cursor() as cursor:
        cursor.execute(
            f"SELECT {columns}, EXISTS(SELECT 1 FROM {_table(CallEvent)} e WHERE e.pbx_call_id = c.call_id "
            f"AND e.handled IS NULL AND e.received >= %s) "
            f"FROM {_table(Journal)} j JOIN {_table(Call)} c ON c.id = j.call_id "
            f"LEFT JOIN {_table(CallLookup)} l ON l.call_id = c.id WHERE {among}",
            [since, *among_params])
        found = cursor.fetchall()
    out = {}
    for row in found:
        values = list(row[:len(_JOURNAL)])
        values[5] = _when(values[5])
        journal = Journal.from_db(connection.alias, _JOURNAL, values)
        journal._state.fields_cache["call"] = _call_with_lookup(row[len(_JOURNAL):-1])
        out[journal.pk] = (journal, bool(row[-1]))
    return out


def claim_journal(pk: int, claimed_until: datetime) -> tuple[int, str] | None:
    """Claim a due journal (pending or retrying, its next attempt come): (its attempt
    number, its ticket id); None when it is not due, or another worker has it."""
    return claim_journals([pk], claimed_until).get(pk)


def claim_journals(pks: list[int], claimed_until: datetime) -> dict[int, tuple[int, str]]:
    """``claim_journal`` for many in one UPDATE: the claimed ones' (attempt number,
    ticket id) by id; the others left out."""
    _, now = _now()
    until = _stored(claimed_until)
    among, among_params = _among("id", pks)
    with kept_cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(Journal)} SET state = %s, attempts = attempts + 1, claimed_until = %s, updated = %s "
            f"WHERE {among} AND state IN (%s, %s) AND next_attempt <= %s RETURNING id, attempts, ticket_id",
            [Journal.State.SENDING, until, now, *among_params, Journal.State.PENDING, Journal.State.RETRYING, now])
        return {pk: (attempts, ticket_id) for pk, attempts, ticket_id in cursor.fetchall()}


def renew_claim(pk: int, attempt: int, claimed_until: datetime) -> bool:
    """Extend this attempt's claim; False when the claim is no longer this attempt's."""
    until = _stored(claimed_until)
    with kept_cursor() as cursor:
        cursor.execute(f"UPDATE {_table(Journal)} SET claimed_until = %s WHERE id = %s AND state = %s "
                       f"AND attempts = %s", [until, pk, Journal.State.SENDING, attempt])
        return cursor.rowcount == 1


def journal_sent(pk: int, attempt: int, variables: dict, exchanges: list) -> bool:
    """This attempt's send recorded as done; False when the claim was no longer its."""
    _, now = _now()
    with kept_cursor() as cursor:
        cursor.execute(
            f"UPDATE {_table(Journal)} SET state = %s, sent_at = %s, last_error = '', claimed_until = NULL, "
            f"variables = %s, exchanges = %s, updated = %s WHERE id = %s AND state = %s AND attempts = %s",
            [Journal.State.SENT, now, _json_param(variables), _json_param(exchanges), now, pk,
             Journal.State.SENDING, attempt])
        return cursor.rowcount == 1
