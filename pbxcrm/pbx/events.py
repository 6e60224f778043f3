"""The PBX's call events (shared/spec/call-events.md), read and checked: plain Python.

    event = read_event(body)        # EventError("msg.members[0]: ...") when it is wrong
    event.type, event.call_id, event.msg

Both events arrive as ``{"type": …, "sn": "…", "msg": …}`` where ``msg`` is a JSON
object, usually encoded as a string. Everything is checked before anything is stored,
so a bad event is refused whole with the field that is wrong and why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

CALL_STATE_CHANGED = 30011
CALL_END_DETAILS = 30012
EVENT_TYPES = (CALL_STATE_CHANGED, CALL_END_DETAILS)
MEMBER_KINDS = ("extension", "inbound", "outbound")
MEMBER_STATUSES = ("ALERT", "RING", "ANSWERED", "ANSWER", "HOLD", "BYE")
RECORD_STATUSES = ("ANSWERED", "NO ANSWER", "BUSY", "VOICEMAIL")
RECORD_TYPES = ("internal", "inbound", "outbound")
MAX_EVENT_BYTES = 256 * 1024
MAX_MEMBERS = 200


class EventError(ValueError):
    """What is wrong with an event: ``field`` (a path such as ``msg.members[1].extension.number``) and ``reason``."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}" if field else reason)
        self.field = field
        self.reason = reason


class Member(NamedTuple):
    """One member of a 30011, as read_event checked it. A tuple: a worker reads some
    hundreds of thousands an hour, and a frozen dataclass's constructor sets each field
    through ``object.__setattr__``."""

    kind: str  # extension, inbound or outbound
    status: str
    number: str = ""  # an extension's number
    from_number: str = ""  # inbound/outbound: the two ends and the trunk
    to_number: str = ""
    trunk: str = ""
    channel: str = ""


@dataclass(frozen=True)
class Event:
    type: int
    sn: str
    call_id: str
    msg: dict[str, Any]
    # A 30011's members as read_event checked them (each is read once, not again on use).
    checked_members: tuple[Member, ...] | None = field(default=None, compare=False, repr=False)

    @property
    def members(self) -> list[Member]:
        if self.checked_members is not None:
            return list(self.checked_members)
        return [_member(m, i) for i, m in enumerate(self.msg.get("members") or [])]


def read_event(body: bytes | str | dict) -> Event:
    """The event in ``body``, checked; EventError names the first thing that is wrong."""
    if isinstance(body, (bytes, bytearray)):
        if len(body) > MAX_EVENT_BYTES:
            raise EventError("", f"the event is larger than {MAX_EVENT_BYTES // 1024} KB")
        try:
            body = body.decode("utf-8")
        except UnicodeDecodeError as err:
            raise EventError("", f"not UTF-8 (byte {err.start})") from None
    data = _json(body, "") if isinstance(body, str) else body
    if not isinstance(data, dict):
        raise EventError("", "the event must be a JSON object")
    kind = data.get("type")
    if kind in (None, ""):
        raise EventError("type", "missing")
    try:
        kind = int(kind)
    except (TypeError, ValueError):
        raise EventError("type", f"{kind!r} is not an event id") from None
    if kind not in EVENT_TYPES:
        raise EventError("type", f"{kind} is not a call event (30011 or 30012)")
    sn = data.get("sn", "")
    if not isinstance(sn, str):
        raise EventError("sn", "must be a string")
    msg = data.get("msg")
    if msg is None:
        raise EventError("msg", "missing")
    if isinstance(msg, str):
        msg = _json(msg, "msg")
    if not isinstance(msg, dict):
        raise EventError("msg", "must be a JSON object, or a string holding one")
    call_id = msg.get("call_id")
    if not isinstance(call_id, (str, int)) or str(call_id).strip() == "":
        raise EventError("msg.call_id", "missing" if call_id in (None, "") else "must be a string")
    if len(str(call_id)) > 100:
        raise EventError("msg.call_id", "longer than 100 characters")
    if kind == CALL_STATE_CHANGED:
        return Event(kind, sn.strip(), str(call_id).strip(), msg, tuple(_check_state(msg)))
    _check_record(msg)
    return Event(kind, sn.strip(), str(call_id).strip(), msg)


def _json(text: str, field: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise EventError(field, f"not JSON: {err.msg} at line {err.lineno}, column {err.colno}") from None


def _check_state(msg: dict) -> list[Member]:
    members = msg.get("members")
    if not isinstance(members, list):
        raise EventError("msg.members", "missing" if members is None else "must be a list")
    if len(members) > MAX_MEMBERS:
        raise EventError("msg.members", f"more than {MAX_MEMBERS} members")
    return [_member(member, index) for index, member in enumerate(members)]


def _member(member: Any, index: int) -> Member:
    where = f"msg.members[{index}]"
    if not isinstance(member, dict) or len(member) != 1:
        raise EventError(where, 'must be an object with one of "extension", "inbound" or "outbound"')
    ((kind, body),) = member.items()
    if kind not in MEMBER_KINDS:
        raise EventError(where, f'{kind!r} is not "extension", "inbound" or "outbound"')
    where = f"{where}.{kind}"
    if not isinstance(body, dict):
        raise EventError(where, "must be an object")
    status = body.get("member_status")
    if status not in MEMBER_STATUSES:
        raise EventError(f"{where}.member_status",
                         "missing" if status in (None, "") else f"{status!r} is not one of {', '.join(MEMBER_STATUSES)}")
    number, from_number, to_number = _text(body, "number", where), _text(body, "from", where), _text(body, "to", where)
    trunk, channel = _text(body, "trunk_name", where), _text(body, "channel_id", where)
    if kind == "extension" and not number:
        raise EventError(f"{where}.number", "missing")
    if kind != "extension":
        for name, value in (("from", from_number), ("to", to_number)):
            if not value:
                raise EventError(f"{where}.{name}", "missing")
    return Member(kind, status, number, from_number, to_number, trunk, channel)


def _text(body: dict, name: str, where: str) -> str:
    value = body.get(name, "")
    if value.__class__ is str:  # the usual case, checked without the general tests below
        value = value.strip()
        if len(value) <= 200:
            return value
    elif isinstance(value, bool) or not isinstance(value, (str, int)):
        raise EventError(f"{where}.{name}", "must be a string")
    value = str(value).strip()
    if len(value) > 200:
        raise EventError(f"{where}.{name}", "longer than 200 characters")
    return value


def _check_record(msg: dict) -> None:
    for name in ("time_start", "call_from", "call_to", "status", "type"):
        value = msg.get(name)
        if value in (None, ""):
            raise EventError(f"msg.{name}", "missing")
        if not isinstance(value, (str, int)) or isinstance(value, bool):
            raise EventError(f"msg.{name}", "must be a string")
    try:
        datetime.strptime(str(msg["time_start"]), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise EventError("msg.time_start", f"{msg['time_start']!r} is not YYYY-MM-DD HH:MM:SS") from None
    for name in ("call_duration", "talk_duration"):
        value = msg.get(name, 0)
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().isdigit():
            raise EventError(f"msg.{name}", f"{value!r} is not a whole number of seconds")
    if str(msg["status"]).strip().upper() not in RECORD_STATUSES:
        raise EventError("msg.status", f"{msg['status']!r} is not one of {', '.join(RECORD_STATUSES)}")
    if str(msg["type"]).strip().lower() not in RECORD_TYPES:
        raise EventError("msg.type", f"{msg['type']!r} is not Internal, Inbound or Outbound")
    recording = msg.get("recording", "")
    if not isinstance(recording, str):
        raise EventError("msg.recording", "must be a string")
    if recording and ("/" in recording or "\\" in recording or recording.startswith(".")):
        raise EventError("msg.recording", "must be a file name in the recordings folder, not a path")
