"""Connecting the PBX to a CRM: the domain functions the pages, tasks and commands call.

    integration = activate(template, {"crm_url": "…", "api_key": "…"})
    connect(integration)            # status Connected, or Error with the reason
    try_lookup(integration, "+14155550100")

State lives in the database (Integration), secrets encrypted; every function can be
called again safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx
from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone

from templates_app import library
from templates_app.models import CrmTemplate
from templates_app.xmlmodel import IntegrationTemplate, load_template, parse_template

from .engine import Contact, Engine, Exchange
from .errors import CrmError
from .models import Integration


def install_template(xml: str | bytes) -> CrmTemplate:
    """The stored template with this XML's Key: added when new, updated when changed."""
    key = load_template(xml).key or ""
    existing = CrmTemplate.objects.filter(key=key).first()
    if existing is None:
        return library.save_template(xml)
    text = xml.decode("utf-8-sig") if isinstance(xml, bytes) else xml
    return existing if existing.xml == text else library.save_template(xml, instance=existing)


def model_of(integration: Integration) -> IntegrationTemplate:
    return parse_template(integration.applied_xml)


def password_fields(integration: Integration) -> set[str]:
    auth = model_of(integration).auth_method_scenario
    return {p.name for p in (auth.custom_fields if auth else []) if p.editor == "password" and p.name}


@transaction.atomic
def activate(template: CrmTemplate, values: dict[str, str] | None = None) -> Integration:
    """Make ``template`` the PBX's one active integration, with these custom field values.

    A password-type field left blank keeps its stored value (forms never send them back).
    """
    Integration.objects.filter(active=True).exclude(template=template).update(active=False)
    integration = Integration.objects.filter(template=template).first()
    if integration is None:
        integration = Integration(template=template, applied_xml=template.xml, applied_at=timezone.now())
    stored = integration.settings if integration.pk else {}
    if values is not None:
        secret = password_fields(integration)
        merged = {k: v for k, v in values.items() if not (k in secret and v == "")}
        stored = {**{k: v for k, v in stored.items() if k in secret}, **merged}
    integration.settings = stored
    integration.active = True
    integration.save()
    return integration


def _lease_seconds() -> float:
    # No request holds a slot longer than the CRM may take to answer it (and its
    # redirects): a slot older than that belonged to a worker killed mid-request.
    return 2 * django_settings.CRM_TIMEOUT_SECONDS + 5


def engine_for(integration: Integration, **options) -> Engine:
    """An Engine on the integration's applied template, settings and credentials, whose
    requests share MaxConcurrentRequest with every other process: through Redis when it
    is configured, else through the database."""
    tpl = model_of(integration)
    limit = tpl.max_concurrent_requests or 10
    if "limiter" not in options:
        if django_settings.REDIS_URL:
            import redis

            from .engine.concurrency import RedisSemaphore

            options["limiter"] = RedisSemaphore(redis.Redis.from_url(django_settings.REDIS_URL),
                                                f"pbxcrm:slots:integration:{integration.pk}", limit,
                                                lease_seconds=_lease_seconds())
        else:
            from .slots import DatabaseSemaphore

            options["limiter"] = DatabaseSemaphore(integration.pk, limit, lease_seconds=_lease_seconds())
    seconds = django_settings.CRM_TIMEOUT_SECONDS
    options.setdefault("timeout", httpx.Timeout(seconds, connect=min(5.0, seconds), pool=seconds + 10))
    return Engine(tpl, settings=integration.settings, credentials=integration.credentials,
                  timezone=django_settings.TIME_ZONE, **options)


def _record(integration: Integration, engine: Engine, error: CrmError | None) -> Integration:
    integration.credentials = engine.credentials
    if error is None:
        integration.status = Integration.Status.CONNECTED
        integration.status_detail = ""
        integration.last_success = timezone.now()
    else:
        state = engine.auth.status().state
        integration.status = Integration.Status.DISCONNECTED if state == "disconnected" else Integration.Status.ERROR
        integration.status_detail = str(error)[:500]
    integration.save(update_fields=["credentials_sealed", "status", "status_detail", "last_success", "updated"])
    return integration


def connect(integration: Integration) -> Integration:
    """Prepare the auth method (fetch a token…), read GetGlobalInfo or prove the settings
    with one request; record the outcome."""
    with engine_for(integration) as engine:
        try:
            engine.connect(verify=True)
        except CrmError as err:
            return _record(integration, engine, err)
        return _record(integration, engine, None)


def refresh_if_due(integration: Integration) -> bool:
    """Refresh the integration's token when its method says it is due (TokenRefreshInterval
    for bearer tokens, expiry for OAuth2); whether it refreshed. A failure is recorded
    as the integration's Error status."""
    with engine_for(integration) as engine:
        if not engine.credentials.access_token or not engine.auth.needs_refresh():
            return False
        try:
            engine.auth.refresh()
        except CrmError as err:
            _record(integration, engine, err)
            return False
        _record(integration, engine, None)
        return True


def disconnect(integration: Integration) -> Integration:
    """Forget the tokens; the settings stay for a later connect."""
    from .auth import Credentials

    integration.credentials = Credentials()
    integration.status = Integration.Status.DISCONNECTED
    integration.status_detail = "disconnected by an administrator"
    integration.save(update_fields=["credentials_sealed", "status", "status_detail", "updated"])
    return integration


@dataclass
class LookupReport:
    """What the Test lookup panel shows: each exchange (redacted), the contacts, the error."""

    number: str
    exchanges: list[Exchange] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    error: str = ""


def try_lookup(integration: Integration, number: str, forms: list[str] | None = None,
               types: list[str] | None = None) -> LookupReport:
    """Look ``number`` up as a call would: in each of its ``forms`` (default: as given)
    and each contact type in order, every exchange recorded for the Test lookup panel."""
    report = LookupReport(number)
    with engine_for(integration, observer=report.exchanges.append) as engine:
        try:
            engine.connect()
            report.contacts = engine.lookup(forms or [number], types)
        except CrmError as err:
            report.error = str(err)
            _record(integration, engine, err)
        else:
            _record(integration, engine, None)
    return report
