"""Celery tasks of the integrations: thin wrappers around the domain functions."""

from __future__ import annotations

from celery import shared_task

from .connecting import refresh_if_due
from .errors import CrmError
from .models import Integration
from .users import sync_users


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
