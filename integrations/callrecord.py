"""A 30012 call record (Call End Details) as the guide's journal variables.

The table of shared/spec/call-events.md, "From a record to the journal variables",
implemented to the letter. Plain Python: the CLI's ``journal`` action and the call
pipeline both use it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from templates_app import gotemplate

# The guide's defaults (CallJournal: "Extension Call"; Description as below).
DEFAULT_SUBJECT = "Extension Call"
DEFAULT_DESCRIPTION = (
    "{{.Time}} {{.Communication_Type}} {{.Call_Status}} - from {{.Call_From}} to {{.Call_To}} {{.Talk_Duration}}"
)


# The variables a journal's Subject, Description and body may use (call-events.md),
# listed beside the Description setting.
JOURNAL_VARIABLES = (
    "Time", "StartTimeUnix", "EndTimeUnix", "CallDuration", "Talk_Duration", "Talk_Duration_Sec",
    "CallerNumber", "CalleeNumber", "CallerName", "CalleeName", "Call_From", "Call_To",
    "Communication_Type", "Call_Status", "Call_Log_Status", "CallDisposition", "ContactNumber",
    "ContactId", "ContactSyncType", "CrmId", "ExtensionFirstName", "ExtensionLastName", "ExtensionEmail",
    "EnableCallRecording", "RecordPath", "TicketId", "CallId",
)


class CallRecordError(ValueError):
    """The record cannot be read: the message names the field and the reason."""


@dataclass(frozen=True)
class Party:
    """Who the PBX knows a number as: an extension's user, or a contact."""

    name: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""


def parse_event(data: str | bytes | Mapping) -> dict:
    """The record of a 30012 event, or the record itself; ``msg`` may be a string."""
    if isinstance(data, (str, bytes)):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as err:
            raise CallRecordError(f"not JSON: {err.msg} at line {err.lineno}, column {err.colno}") from None
    if not isinstance(data, Mapping):
        raise CallRecordError("the record must be a JSON object")
    if "msg" in data:
        if data.get("type") not in (30012, "30012", None):
            raise CallRecordError(f"type: {data.get('type')!r} is not a call record (30012)")
        return parse_event(data["msg"])
    return dict(data)


def _required(record: Mapping, name: str) -> str:
    value = record.get(name)
    if value in (None, ""):
        raise CallRecordError(f"{name}: missing")
    return str(value)


def _seconds(record: Mapping, name: str) -> int:
    value = record.get(name, 0)
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        raise CallRecordError(f"{name}: {value!r} is not a whole number of seconds") from None
    if seconds < 0:
        raise CallRecordError(f"{name}: {seconds} is negative")
    return seconds


def hhmmss(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def party_text(name: str, number: str) -> str:
    """``Name<Number>``, or the number alone when there is no name."""
    return f"{name}<{number}>" if name else number


def journal_variables(
    record: Mapping,
    *,
    timezone: str = "UTC",
    extension: Party | None = None,
    contact_name: str = "",
    contact_id: str = "",
    contact_type: str = "",
    crm_user_id: str = "",
    record_path: str = "",
    play_recording: bool = False,
    ticket_id: str = "",
) -> dict[str, str]:
    """The variables a journal (and a ticket) is rendered with, without Subject/Description."""
    call_type = _required(record, "type").strip().lower()
    if call_type not in ("inbound", "outbound"):
        raise CallRecordError(f"type: {record.get('type')!r} is not journaled (only Inbound and Outbound calls are)")
    inbound = call_type == "inbound"
    time_start = _required(record, "time_start")
    try:
        start = _time_start(time_start).replace(tzinfo=ZoneInfo(timezone))
    except ValueError:
        raise CallRecordError(f"time_start: {time_start!r} is not YYYY-MM-DD HH:MM:SS") from None
    duration = _seconds(record, "call_duration")
    talk = _seconds(record, "talk_duration")
    status = _required(record, "status").strip().upper()
    if status not in ("ANSWERED", "NO ANSWER", "BUSY", "VOICEMAIL"):
        raise CallRecordError(f"status: {record.get('status')!r} is not ANSWERED, NO ANSWER, BUSY or VOICEMAIL")
    caller, callee = _required(record, "call_from"), _required(record, "call_to")
    ext = extension or Party()
    caller_name, callee_name = (contact_name, ext.name) if inbound else (ext.name, contact_name)
    answered = status == "ANSWERED"
    if status == "VOICEMAIL":
        log_status = "Voicemail"
    elif not inbound:
        log_status = "Outgoing Call"
    else:
        log_status = "Incoming Call" if answered else "Missed Call"
    disposition = "MISSED" if inbound and status == "NO ANSWER" else status
    has_recording = bool(record.get("recording"))
    return {
        "Time": time_start,
        "StartTimeUnix": str(int(start.timestamp())),
        "EndTimeUnix": str(int((start + timedelta(seconds=duration)).timestamp())),
        "CallDuration": str(duration),
        "Talk_Duration": hhmmss(talk),
        "Talk_Duration_Sec": str(talk),
        "CallerNumber": caller,
        "CalleeNumber": callee,
        "CallerName": caller_name,
        "CalleeName": callee_name,
        "Call_From": party_text(caller_name, caller),
        "Call_To": party_text(callee_name, callee),
        "Communication_Type": "Inbound" if inbound else "Outbound",
        "Call_Status": "Completed" if answered else "Missed",
        "Call_Log_Status": log_status,
        "CallDisposition": disposition,
        "ContactNumber": caller if inbound else callee,
        "ContactId": contact_id,
        "ContactSyncType": contact_type,
        "CrmId": crm_user_id,
        "ExtensionFirstName": ext.first_name,
        "ExtensionLastName": ext.last_name,
        "ExtensionEmail": ext.email,
        "EnableCallRecording": "1" if play_recording and has_recording else "0",
        "RecordPath": record_path if play_recording and has_recording else "",
        "TicketId": ticket_id,
        # Not in the guide: the PBX's call id, so a CRM (or a template's URL) can tell
        # a journal it already has from a new one.
        "CallId": str(record.get("call_id", "")),
    }


def with_subject_and_description(
    variables: Mapping[str, str], subject: str | None, description: str | None, *, timezone: str = "UTC"
) -> dict[str, str]:
    """Add Subject and Description, each rendered with the variables (guide defaults when unset)."""
    subject_text = subject if subject is not None else DEFAULT_SUBJECT
    description_text = description if description is not None else DEFAULT_DESCRIPTION
    out = dict(variables)
    for name, text in (("Subject", subject_text), ("Description", description_text)):
        out[name] = gotemplate.render(text, variables, name=name, timezone=timezone, missingkey="empty")
    return out


_TIME_START = re.compile(r"(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)")


def _time_start(text: str) -> datetime:
    """``datetime.strptime(text, "%Y-%m-%d %H:%M:%S")``: the PBX's usual form read
    directly (strptime builds its matcher's state under a lock for every call, a
    fiftieth of a journal's CPU); any other text goes to strptime, which also takes
    single digits."""
    found = _TIME_START.fullmatch(text)
    if found is None:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    return datetime(*map(int, found.groups()))
