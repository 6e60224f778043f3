"""What each agent page is told about a call (the guide's "Set up call popup").

Per extension, by its Linkus settings: with *Open Contact URL Using System-Integrated
CRM* on and the Automatically method, an inbound call from a CRM contact opens the
contact's page when the extension's trigger happened (Ringing: it rang; Answered: it
answered; Call End: it answered and the call ended); with Manually, the page offers
*Open in CRM* while the extension is in the call, inbound or outbound. An unknown
number with Create New Contact set to Manually offers *Create contact*. Each popup is
a row, one per call, extension and kind, so an event handled twice pushes nothing twice.
"""

from __future__ import annotations

from django.db import transaction

from agent import live
from pbxcrm.pbx.models import Call, Extension

from ..models import CallLookup, Features, Integration, Popup
from . import rows

# The key, in a member's state (Call.members), of the popups its extension was pushed.
PUSHED = "popups"


def due(call: Call, extension: Extension, found: CallLookup | None, features: Features) -> str | None:
    """The kind of popup this extension is due on this call now, or None."""
    member = (call.members or {}).get(extension.number, {})
    inbound = call.direction == Call.Direction.INBOUND
    in_call = (member.get("rang") or member.get("answered")) if inbound else member.get("dialled")
    contact = (found.contact or {}) if found is not None and found.state == CallLookup.State.FOUND else {}
    if contact.get("PopupURL") and extension.open_contact_url:
        if extension.popup_method == Extension.PopupMethod.MANUAL:
            return Popup.Kind.BUTTON if in_call else None
        if not inbound:
            return None  # Automatically is "only for incoming calls"
        trigger = extension.popup_trigger
        if trigger == Extension.Trigger.RINGING and member.get("rang"):
            return Popup.Kind.OPEN
        if trigger == Extension.Trigger.ANSWERED and member.get("answered"):
            return Popup.Kind.OPEN
        if trigger == Extension.Trigger.CALL_END and member.get("answered") and (member.get("ended") or call.ended):
            return Popup.Kind.OPEN
        return None
    if (found is not None and found.state == CallLookup.State.NOT_FOUND and in_call and not call.ended
            and features.create_contact and features.create_method == Features.CreateMethod.MANUAL):
        return Popup.Kind.CREATE
    return None


def push_due(call: Call, integration: Integration, features: Features, found: CallLookup | None,
             extensions: dict[str, Extension]) -> list[Popup]:
    """Push every popup now due on this call; the ones pushed. Each popup pushed (or
    found pushed before) is noted in the call's state of its extension, which the
    caller saves with the call: the next events of the call know it without asking."""
    pushed = []
    for popup in all_due(call, features, found, extensions):
        if push(popup):
            pushed.append(popup)
    return pushed


def all_due(call: Call, features: Features, found: CallLookup | None,
            extensions: dict[str, Extension]) -> list[Popup]:
    """The popups now due on this call and not pushed before, each noted in the call's
    state of its extension as ``push_due`` does; for the caller to store and publish."""
    out = []
    for extension in extensions.values():
        kind = due(call, extension, found, features)
        member = (call.members or {}).get(extension.number)
        if kind is None or member is None or kind in member.get(PUSHED, ()):
            continue
        out.append(popup_of(call, extension, kind, found))
        member[PUSHED] = [*member.get(PUSHED, ()), kind]
    return out


def popup_of(call: Call, extension: Extension, kind: str, found: CallLookup | None) -> Popup:
    contact = (found.contact or {}) if found is not None else {}
    name = found.contact_name if found is not None else ""
    return Popup(call=call, extension=extension, kind=kind, url=contact.get("PopupURL", ""),
                 name=name or contact.get("Company", ""), number=call.external_number)


def publish(stored: list[Popup]) -> None:
    """Tell the extensions' agent pages about popups stored and committed."""
    live.publish_many([(popup.extension.number, popup.as_message()) for popup in stored])



def push(popup: Popup) -> bool:
    """Record the popup and publish it to the extension's agent pages once recorded;
    False when it was pushed before."""
    if not rows.insert_popup(popup):
        return False
    message = popup.as_message()
    number = popup.extension.number
    # Published once committed: a popup whose transaction was rolled back, and is pushed
    # again when its event is, must not reach the agent twice.
    transaction.on_commit(lambda: live.publish(number, message))
    return True
