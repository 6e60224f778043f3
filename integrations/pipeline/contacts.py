"""Create New Contact: a CRM contact for an unknown number, once per number.

The first event to ask claims the number (a row per integration and number's digits);
every later call or event from that number finds the row and creates nothing. A
failed creation may be tried again by a later call, a minute on. The new contact has
the number as its last name (CRMs such as Zoho and Salesforce require one) and no
first name; the agent renames it in the CRM.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from pbxcrm.pbx.directory import digits_of
from pbxcrm.pbx.models import Call
from templates_app.xmlmodel import vocabulary as v

from ..engine import number_variables
from ..errors import CrmError
from ..models import CallLookup, Features, Integration, NewContact
from .engines import engine

RETRY_FAILED_AFTER = timedelta(minutes=1)


def wanted_automatically(call: Call, features: Features) -> bool:
    if not features.create_contact or features.create_method != Features.CreateMethod.AUTOMATIC:
        return False
    if call.direction == Call.Direction.INBOUND:
        return features.create_on_inbound
    return call.direction == Call.Direction.OUTBOUND and features.create_on_outbound


def ensure(call: Call | None, integration: Integration, features: Features, number: str) -> NewContact | None:
    """The number's new contact: created now, unless it was (or is being) created."""
    digits = digits_of(number)
    if not digits:
        return None
    contact_type = features.create_type or ""
    try:
        with transaction.atomic():
            row = NewContact.objects.create(integration=integration, digits=digits, number=number,
                                            contact_type=contact_type, call=call)
    except IntegrityError:
        # A failure may be tried again a minute on; a creation still "running" long
        # after it began belonged to a worker that died.
        now = timezone.now()
        retry = NewContact.objects.filter(integration=integration, digits=digits).filter(
            Q(state=NewContact.State.FAILED, updated__lt=now - RETRY_FAILED_AFTER)
            | Q(state=NewContact.State.RUNNING, updated__lt=now - timedelta(seconds=settings.LOOKUP_STALE_SECONDS))
        ).update(state=NewContact.State.RUNNING, updated=now, call=call)
        row = NewContact.objects.get(integration=integration, digits=digits)
        if not retry:
            if row.state == NewContact.State.CREATED and call is not None:
                _found(call, row, row.number and _url(integration, row))
            return row
    variables = {**number_variables(number), "FirstName": "", "LastName": number, "BusinessNumber": number,
                 "ContactSyncType": contact_type}
    try:
        with engine(integration) as crm:
            records = crm.run(v.CREATE_NEW_CONTACT, contact_type or None, variables)
            first = records[0] if records else {}
            row.contact_id = first.get("ContactsId") or first.get("ContactId") or next(iter(first.values()), "")
            url = crm.popup_url({"ContactsId": row.contact_id, "LastName": number}, contact_type,
                                crm.scope(variables)) if row.contact_id else ""
    except CrmError as err:
        row.state, row.error = NewContact.State.FAILED, str(err)[:1000]
        row.save()
        return row
    row.state, row.error = NewContact.State.CREATED, ""
    row.save()
    if call is not None:
        _found(call, row, url)
    return row


def _found(call: Call, row: NewContact, url: str) -> None:
    """The call now has a contact: its journal and popups use it."""
    CallLookup.objects.filter(call=call, state=CallLookup.State.NOT_FOUND).update(
        state=CallLookup.State.FOUND,
        contact={"ContactsId": row.contact_id, "LastName": row.number, "ContactSyncType": row.contact_type,
                 "PopupURL": url},
    )


def _url(integration: Integration, row: NewContact) -> str:
    if not row.contact_id:
        return ""
    try:
        with engine(integration) as crm:
            variables = {**number_variables(row.number), "ContactSyncType": row.contact_type}
            return crm.popup_url({"ContactsId": row.contact_id, "LastName": row.number}, row.contact_type,
                                 crm.scope(variables))
    except CrmError:
        return ""


def create_from_agent(call_pk: int, extension_number: str) -> NewContact | None:
    """The agent's Create contact during a call: the contact, then its page offered."""
    from pbxcrm.pbx.models import Extension

    from ..features import features_of
    from . import popups

    call = Call.objects.filter(pk=call_pk).first()
    integration = Integration.objects.filter(active=True).first()
    extension = Extension.objects.filter(number=extension_number).first()
    if call is None or integration is None or extension is None or not call.external_number:
        return None
    row = ensure(call, integration, features_of(integration), call.external_number)
    found = CallLookup.objects.filter(call=call).first()
    if row is not None and row.state == NewContact.State.CREATED and found is not None:
        popups.push(popups.popup_of(call, extension, popups.Popup.Kind.BUTTON, found))
    return row
