"""Feature settings: read with the template's defaults, saved with the phonebook rules."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from pbxcrm.pbx.models import Phonebook
from templates_app.xmlmodel import vocabulary as v

from .callrecord import DEFAULT_DESCRIPTION, DEFAULT_SUBJECT
from .connecting import model_of
from .models import Features, Integration


def features_of(integration: Integration) -> Features:
    """The integration's features; first time, with the template's own defaults."""
    found = Features.objects.filter(integration=integration).first()
    if found is not None:
        return found
    tpl = model_of(integration)
    journal = tpl.scenario(v.CALL_JOURNAL)
    sync = tpl.scenario(v.SYNC_CONTACT_AUTO)
    create = tpl.scenario(v.CREATE_NEW_CONTACT)
    return Features(
        integration=integration,
        country=settings.PBX_DEFAULT_COUNTRY,
        contact_types=[r.name for r in sync.requests if r.name] if sync else [],
        create_type=next((r.name for r in create.requests if r.name), "") if create else "",
        journal_subject=(journal.value("Subject") if journal else None) or DEFAULT_SUBJECT,
        journal_description=(journal.value("Description") if journal else None) or DEFAULT_DESCRIPTION,
        play_recording=bool(journal and journal.value("PlayCallRecording") == "1"),
    )


def contact_types(integration: Integration) -> list[str]:
    sync = model_of(integration).scenario(v.SYNC_CONTACT_AUTO)
    return [r.name for r in sync.requests if r.name] if sync else []


def create_types(integration: Integration) -> list[str]:
    create = model_of(integration).scenario(v.CREATE_NEW_CONTACT)
    return [r.name for r in create.requests if r.name] if create else []


@transaction.atomic
def save_features(features: Features, new_phonebook: str = "") -> Features:
    """Save; a new phonebook name creates it. The target phonebook becomes CRM-synced
    (read-only on the pages); one it replaces is released."""
    if new_phonebook:
        features.phonebook = Phonebook.objects.create(name=new_phonebook, crm_synced=True)
    previous = Features.objects.filter(pk=features.pk).values_list("phonebook", flat=True).first() if features.pk else None
    features.save()
    if features.phonebook_id:
        Phonebook.objects.filter(pk=features.phonebook_id).update(crm_synced=True)
    if previous and previous != features.phonebook_id:
        Phonebook.objects.filter(pk=previous).update(crm_synced=False)
    return features
