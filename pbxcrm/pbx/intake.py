"""Event intake: check an event, store it as received, hand it to a worker.

The PBX retries an event until it gets a 2xx, so storing comes first and the answer
follows at once; the work (lookups, popups, journals) happens in a Celery task that
reads the stored event. A bad event is refused whole: nothing is stored.
"""

from __future__ import annotations

import hmac
import secrets

from celery import current_app
from django.db import transaction
from django.utils import timezone

from pbxcrm import encryption

from .events import CALL_END_DETAILS, Event, EventError, read_event
from .models import Call, CallEvent, PbxSettings

# The task the integrations app registers for a stored event (by name: the PBX side
# does not import the CRM side).
HANDLE_EVENT_TASK = "integrations.tasks.handle_call_event"
# Decrypting costs more than reading the row: the token is decrypted again only when
# the sealed text changed (a rotation, on any process).
_decrypted: tuple[str, str] = ("", "")  # (sealed, token)


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
    return token


def _current() -> tuple[str, str]:
    """This PBX's serial number and event token."""
    global _decrypted
    row = pbx_settings()
    if _decrypted[0] != row.event_token_sealed:
        _decrypted = (row.event_token_sealed, encryption.decrypt(row.event_token_sealed))
    return row.serial_number, _decrypted[1]


def check_token(presented: str) -> None:
    _, token = _current()
    if not presented or not hmac.compare_digest(presented.encode(), token.encode()):
        raise NotAllowed("the event token is missing or wrong")


def accept(body: bytes | str, *, dispatch: bool = True) -> CallEvent:
    """Store one event; its task is sent once the row is committed."""
    event = read_event(body)
    serial, _ = _current()
    if serial and event.sn and event.sn != serial:
        raise EventError("sn", f"{event.sn!r} is not this PBX ({serial})")
    stored = _store(event, body if isinstance(body, str) else body.decode("utf-8"))
    if dispatch:
        transaction.on_commit(lambda: current_app.send_task(HANDLE_EVENT_TASK, args=[stored.pk]))
    return stored


@transaction.atomic
def _store(event: Event, raw: str) -> CallEvent:
    call, _ = Call.objects.get_or_create(call_id=event.call_id)
    duplicate = event.type == CALL_END_DETAILS and CallEvent.objects.filter(call=call, type=CALL_END_DETAILS).exists()
    return CallEvent.objects.create(call=call, type=event.type, sn=event.sn, raw=raw, duplicate=duplicate)
