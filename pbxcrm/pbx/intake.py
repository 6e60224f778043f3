"""Event intake: check an event, store it as received, hand it to a worker.

The PBX retries an event until it gets a 2xx, so storing comes first and the answer
follows at once; the work (lookups, popups, journals) happens in a Celery task that
reads the stored event. A bad event is refused whole: nothing is stored.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time

from django.db import connection, transaction
from django.utils import timezone

from pbxcrm import encryption
from pbxcrm.kept_cursor import kept_cursor

from . import dispatch as dispatcher
from .events import CALL_END_DETAILS, Event, EventError, read_event
from .models import CallEvent, PbxSettings

# The token and serial number are read at most once a second per process (the intake
# answers thousands of events a second); a token that does not match is checked
# against the database at once, so a new token works immediately everywhere and an old
# one stops within a second.
_CACHE_SECONDS = 1.0
_cached: tuple[float, str, str, str] = (0.0, "", "", "")  # (read at, sealed, serial, token)


class NotAllowed(Exception):
    """The request does not carry this PBX's event token."""


def pbx_settings() -> PbxSettings:
    """The one settings row, made with a fresh event token the first time."""
    row = PbxSettings.objects.filter(pk=1).first()
    if row is None:
        row, _ = PbxSettings.objects.get_or_create(
            pk=1, defaults={"event_token_sealed": encryption.encrypt(secrets.token_urlsafe(32)),
                            "token_rotated": timezone.now()},
        )
    return row


def event_token() -> str:
    return encryption.decrypt(pbx_settings().event_token_sealed)


def rotate_token() -> str:
    """A new event token; the old one stops working at once, on every process."""
    row = pbx_settings()
    token = secrets.token_urlsafe(32)
    row.event_token_sealed = encryption.encrypt(token)
    row.token_rotated = timezone.now()
    row.save(update_fields=["event_token_sealed", "token_rotated"])
    _current(fresh=True)
    return token


def _current(fresh: bool = False) -> tuple[str, str]:
    """This PBX's serial number and event token."""
    global _cached
    read_at, sealed, serial, token = _cached
    if fresh or time.monotonic() - read_at > _CACHE_SECONDS:
        row = pbx_settings()
        if row.event_token_sealed != sealed:
            token = encryption.decrypt(row.event_token_sealed)
        _cached = (time.monotonic(), row.event_token_sealed, row.serial_number, token)
        serial = row.serial_number
    return serial, token


def check_token(presented: str) -> None:
    def matches(token: str) -> bool:
        return bool(presented) and hmac.compare_digest(presented.encode(), token.encode())

    if not matches(_current()[1]) and not matches(_current(fresh=True)[1]):
        raise NotAllowed("the event token is missing or wrong")


def answer(body: bytes, presented: str) -> tuple[int, dict]:
    """The intake's whole answer to one POST, as (HTTP status, JSON body): the Django
    view and the ASGI fast path (pbxcrm/pbx/intake_asgi.py) both give this."""
    try:
        check_token(presented)
    except NotAllowed as err:
        return 401, {"error": str(err)}
    try:
        stored = accept(body)
    except EventError as err:
        return 400, {"error": str(err), "field": err.field, "reason": err.reason}
    return 202, {"accepted": stored.pk, "duplicate": stored.duplicate}


def presented_token(authorization: str, x_pbx_token: str) -> str:
    bearer = authorization.strip()
    if bearer[:7].lower() == "bearer ":
        return bearer[7:].strip()
    return x_pbx_token.strip()


def accept(body: bytes | str, *, dispatch: bool = True) -> CallEvent:
    """Store one event; its task follows (pbxcrm/pbx/dispatch.py)."""
    event = read_event(body)
    serial, _ = _current()
    if serial and event.sn and event.sn != serial:
        raise EventError("sn", f"{event.sn!r} is not this PBX ({serial})")
    stored = _store(event, body if isinstance(body, str) else body.decode("utf-8"))
    if dispatch:
        urgent = _urgent(event)
        transaction.on_commit(lambda: dispatcher.submit(stored.pk, urgent=urgent))
    return stored


def _urgent(event: Event) -> bool:
    """Whether an agent may be waiting for what the event does: a ringing, an answer,
    a dialling. A call record pops nothing up, and a hang-up at most a Call End popup,
    which a quarter of a second does not spoil: those go with the records, gathered
    (pbxcrm/pbx/dispatch.py), which spares a worker a task per call."""
    if event.type == CALL_END_DETAILS:
        return False
    return not event.members or any(member.status != "BYE" for member in event.members)


# SQLite has one writer at a time, and a writer that finds the file locked sleeps
# (1, 2, 5… up to 100 ms) before trying again: threads of one process queue here
# instead, where the next one starts the moment the last one commits.
_sqlite_writer = threading.Lock()


def _store(event: Event, raw: str) -> CallEvent:
    """One INSERT; a 30012 is marked a duplicate in it when its call had one already."""
    moment = timezone.now()
    table = connection.ops.quote_name(CallEvent._meta.db_table)
    duplicate = "FALSE"
    params = [event.call_id, event.type, event.sn, raw, connection.ops.adapt_datetimefield_value(moment)]
    if event.type == CALL_END_DETAILS:
        duplicate = f"EXISTS(SELECT 1 FROM {table} WHERE pbx_call_id = %s AND type = %s)"
        params += [event.call_id, CALL_END_DETAILS]
    sql = (f"INSERT INTO {table} (pbx_call_id, call_id, type, sn, raw, received, handled, resent, duplicate) "
           f"VALUES (%s, NULL, %s, %s, %s, %s, NULL, NULL, {duplicate}) RETURNING id, duplicate")
    if connection.vendor != "sqlite":
        return _inserted(event, raw, moment, sql, params)
    with _sqlite_writer:
        return _inserted(event, raw, moment, sql, params)


def _inserted(event: Event, raw: str, moment, sql: str, params: list) -> CallEvent:
    with kept_cursor() as cursor:
        cursor.execute(sql, params)
        pk, duplicate = cursor.fetchone()
    row = CallEvent(id=pk, pbx_call_id=event.call_id, type=event.type, sn=event.sn, raw=raw, received=moment,
                    duplicate=bool(duplicate))
    row._state.adding = False
    return row
