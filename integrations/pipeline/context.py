"""What every event of every call reads: the active integration, its features, the
extensions and their associations. Read once and kept for PIPELINE_CONTEXT_SECONDS
(2 s) per process, since a worker handles hundreds of events a second and these
change only when an admin saves a page (a change is seen within that time)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings

from pbxcrm.pbx.models import Extension

from ..features import features_of
from ..models import Association, Features, Integration


@dataclass(frozen=True)
class Context:
    integration: Integration
    features: Features
    extensions: dict[str, Extension]  # by number
    crm_users: dict[int, str]  # extension id → the CRM user id it is associated with

    def eligible(self, numbers: list[str]) -> dict[str, Extension]:
        """Of these extension numbers, those the CRM features apply to: associated with a
        CRM user, or all when association is off."""
        found = {n: self.extensions[n] for n in numbers if n in self.extensions}
        if self.integration.association_on:
            found = {n: e for n, e in found.items() if e.pk in self.crm_users}
        return found

    def crm_user_id(self, extension: Extension) -> str:
        return self.crm_users.get(extension.pk, "")


def of(integration: Integration) -> Context | None:
    """The current context when it is this integration's (a journal of an integration
    since deactivated reads the database itself)."""
    found = current()
    return found if found is not None and found.integration.pk == integration.pk else None


_lock = threading.Lock()
_cached: tuple[float, Context | None] = (0.0, None)


def current() -> Context | None:
    """The context of the active integration, or None when no integration is active."""
    global _cached
    read_at, context = _cached
    if time.monotonic() - read_at < settings.PIPELINE_CONTEXT_SECONDS:
        return context
    with _lock:
        read_at, context = _cached
        if time.monotonic() - read_at < settings.PIPELINE_CONTEXT_SECONDS:
            return context
        integration = Integration.objects.filter(active=True).first()
        context = None
        if integration is not None:
            context = Context(
                integration, features_of(integration), {e.number: e for e in Extension.objects.all()},
                dict(Association.objects.filter(integration=integration)
                     .values_list("extension_id", "crm_user__crm_id")),
            )
        _cached = (time.monotonic(), context)
        return context

