"""One request engine per worker thread and integration, reused from call to call.

Building an engine parses the applied template and opens an HTTP connection pool;
a call's lookup should pay for neither. An engine is rebuilt when the integration
changes (its template, settings or tokens: ``updated`` moves), and what it learns
(a refreshed token, Connected or Error) is written back only when it changed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils import timezone

from ..connecting import engine_for
from ..engine import Engine, Exchange
from ..errors import CrmError
from ..models import Integration

_local = threading.local()


def _cached(integration: Integration) -> Engine:
    cache: dict[int, tuple[object, Engine]] = getattr(_local, "engines", None) or {}
    _local.engines = cache
    key = (integration.updated, integration.applied_xml.__hash__(), integration.credentials_sealed)
    found = cache.get(integration.pk)
    if found is not None and found[0] == key:
        return found[1]
    if found is not None:
        found[1].close()
    engine = engine_for(integration)
    engine.connect()  # the auth method's token, GetGlobalInfo
    cache[integration.pk] = (key, engine)
    return engine


def forget() -> None:
    """Close this thread's engines (tests; a worker shutting down)."""
    for _, engine in (getattr(_local, "engines", None) or {}).values():
        engine.close()
    _local.engines = {}


@contextmanager
def engine(integration: Integration, exchanges: list[Exchange] | None = None) -> Iterator[Engine]:
    """The integration's engine for this thread; exchanges are appended to ``exchanges``;
    the outcome is recorded on the integration when it changes its status or tokens."""
    try:
        current = _cached(integration)
    except CrmError as err:
        forget()
        _settle(integration, None, err)
        raise
    sealed_before = current.credentials
    current.observer = exchanges.append if exchanges is not None else None
    try:
        yield current
    except CrmError as err:
        _settle(integration, current if current.credentials != sealed_before else None, err)
        raise
    finally:
        current.observer = None
    _settle(integration, current if current.credentials != sealed_before else None, None)


def _settle(integration: Integration, changed: Engine | None, error: CrmError | None) -> None:
    fields: dict[str, object] = {}
    if changed is not None:
        integration.credentials = changed.credentials
        fields["credentials_sealed"] = integration.credentials_sealed
    if error is None and integration.status != Integration.Status.CONNECTED:
        fields.update(status=Integration.Status.CONNECTED, status_detail="", last_success=timezone.now())
    elif error is not None and not error.retryable and integration.status != Integration.Status.ERROR:
        # A CRM that is busy or down for a moment is not an Error of the integration:
        # the outbox shows it; a refusal (bad credentials, a wrong URL) is.
        fields.update(status=Integration.Status.ERROR, status_detail=str(error)[:500])
    if fields:
        Integration.objects.filter(pk=integration.pk).update(**fields)
        for name, value in fields.items():
            setattr(integration, name, value)
