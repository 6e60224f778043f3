"""Celery tasks of the integrations: thin wrappers around the domain functions."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from . import pipeline
from .connecting import refresh_if_due
from .errors import CrmError
from .models import Integration
from .pipeline import contacts, journal
from .users import sync_users

log = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3, acks_late=True)
def sync_crm_users(self, integration_id: int) -> int:
    """Read the CRM's users into the database (progress on the integration)."""
    integration = Integration.objects.filter(pk=integration_id).first()
    if integration is None:
        return 0
    try:
        return sync_users(integration)
    except CrmError as err:
        if err.retryable:
            raise self.retry(exc=err, countdown=err.retry_after or 30) from err
        return 0


@shared_task
def refresh_tokens() -> int:
    """Beat, every minute: refresh the tokens that are due; how many were refreshed."""
    due = Integration.objects.filter(active=True, template__auth_type__in=["bearertoken", "oauth2"])
    return sum(refresh_if_due(integration) for integration in due)


# -- calls (integrations/pipeline/) -------------------------------------------------------
# acks_late: a worker killed mid-task leaves the message to be delivered again; every
# function below is safe to run twice (state in the database).


@shared_task(acks_late=True, ignore_result=True)
def handle_call_events(event_pks: list[int]) -> None:
    """Stored PBX events (pbxcrm/pbx/intake.py), in order: apply each, do what its call
    calls for."""
    with journal.sends_gathered():
        pipeline.handle_events(event_pks)


@shared_task(acks_late=True, ignore_result=True)
def send_journal(journal_pk: int) -> str:
    """Send one journal of the outbox if it is due."""
    return journal.send(journal_pk)


@shared_task(acks_late=True, ignore_result=True)
def send_journals(journal_pks: list[int]) -> None:
    """Send the journals of a batch of events, one after the other."""
    journal.send_many(journal_pks)


@shared_task(ignore_result=True)
def sweep_journals() -> int:
    """Beat: events whose task was lost are handled again; stuck sends are taken back,
    and what is due is sent."""
    pipeline.calls.sweep_unhandled(settings.JOURNAL_VISIBILITY_SECONDS)
    return journal.sweep()


@shared_task(acks_late=True, ignore_result=True)
def create_contact_for_call(call_pk: int, extension_number: str) -> None:
    """An agent's Create contact, from the agent page."""
    contacts.create_from_agent(call_pk, extension_number)
