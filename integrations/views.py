"""Integrations › CRM: the list of CRMs, an integration's page, and applying a template.

Each view is Form → domain function → render.
"""

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pbxcrm.pbx.models import Extension
from templates_app.models import CrmTemplate
from templates_app.xmlmodel import parse_template

from . import applying, connecting, features, oauth, users
from .callrecord import JOURNAL_VARIABLES
from .forms import AssociationForm, FeaturesForm, LookupForm, SettingsForm
from .models import CrmUser, Integration
from .numbers import variants


@require_GET
def crm_list(request: HttpRequest) -> HttpResponse:
    templates = CrmTemplate.objects.defer("xml", "logo").prefetch_related("integrations")
    return render(request, "integrations/crm_list.html", {"templates": templates})


def _settings_form(template: CrmTemplate, integration: Integration | None, data=None) -> SettingsForm:
    model = parse_template(integration.applied_xml if integration else template.xml)
    auth = model.auth_method_scenario
    return SettingsForm(data, custom_fields=auth.custom_fields if auth else [],
                        stored=integration.settings if integration else {})


@require_http_methods(["GET", "POST"])
def integration_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The guide's integration page: Settings, Save (connect), the status, Test lookup."""
    template = get_object_or_404(CrmTemplate, pk=pk)
    integration = Integration.objects.filter(template=template).first()
    form = _settings_form(template, integration, request.POST if request.method == "POST" else None)
    if form.is_valid():
        integration = connecting.activate(template, form.cleaned_data)
        if template.auth_type == "oauth2":
            return _to_the_crm(request, integration)
        else:
            integration = connecting.connect(integration)
            if integration.status == Integration.Status.CONNECTED:
                messages.success(request, f"Connected to “{template.name}”.")
            else:
                messages.error(request, f"Not connected: {integration.status_detail}")
        return redirect("integrations:integration", pk=template.pk)
    context = {"template": template, "integration": integration, "form": form, "lookup_form": LookupForm(),
               "redirect_uri": oauth.redirect_uri(request), **_users_context(integration)}
    return render(request, "integrations/integration.html", context, status=400 if form.is_bound else 200)


@require_GET
def oauth_callback(request: HttpRequest) -> HttpResponse:
    """The CRM sends the admin's browser back here with a code (or an error)."""
    try:
        integration = oauth.finish(request, request.GET.dict())
    except oauth.OAuthError as err:
        return render(request, "integrations/oauth_failed.html", {"reason": str(err)}, status=400)
    integration = connecting.connect(integration)
    if integration.status == Integration.Status.CONNECTED:
        messages.success(request, f"Authorized: connected to “{integration.template.name}”.")
    else:
        messages.error(request, f"Authorized, but not connected: {integration.status_detail}")
    return redirect("integrations:integration", pk=integration.template.pk)


@require_POST
def reauthorize(request: HttpRequest, pk: int) -> HttpResponse:
    return _to_the_crm(request, _integration(pk))


def _to_the_crm(request: HttpRequest, integration: Integration) -> HttpResponse:
    """Start the authorization. The portal's CSP lets forms post only to the portal
    (form-action 'self', enforced on redirects too), so the form lands on a portal page
    that then opens the CRM by a link."""
    try:
        request.session[CONTINUE_KEY] = oauth.authorization_url(request, integration)
    except oauth.OAuthError as err:
        messages.error(request, f"Cannot start the authorization: {err}")
        return redirect("integrations:integration", pk=integration.template.pk)
    return redirect("integrations:oauth_continue")


CONTINUE_KEY = "pbxcrm_oauth2_continue"


@require_GET
def oauth_continue(request: HttpRequest) -> HttpResponse:
    url = request.session.get(CONTINUE_KEY)
    if not url:
        return redirect("integrations:crm")
    return render(request, "integrations/oauth_continue.html", {"url": url})


def _users_context(integration: Integration | None) -> dict:
    if integration is None:
        return {}
    crm_users = integration.crm_users.prefetch_related("associations__extension")
    journals = {state: integration.journals.filter(state=state).count() for state in ("dead", "retrying")}
    return {"crm_users": crm_users, "extension_count": Extension.objects.count(),
            "features_form": _features_form(integration), "journal_variables": JOURNAL_VARIABLES,
            "journals": journals}


def _features_form(integration: Integration, data=None) -> FeaturesForm:
    return FeaturesForm(data, instance=features.features_of(integration),
                        contact_types=features.contact_types(integration),
                        create_types=features.create_types(integration))


@require_POST
def save_features(request: HttpRequest, pk: int) -> HttpResponse:
    integration = _integration(pk)
    form = _features_form(integration, request.POST)
    if form.is_valid():
        features.save_features(form.save(commit=False), form.cleaned_data["new_phonebook"])
        messages.success(request, "Saved the integration's features.")
        return redirect("integrations:integration", pk=pk)
    context = {"template": integration.template, "integration": integration, "lookup_form": LookupForm(),
               "form": _settings_form(integration.template, integration), **_users_context(integration),
               "features_form": form}
    return render(request, "integrations/integration.html", context, status=400)


def _integration(pk: int) -> Integration:
    return get_object_or_404(Integration, template__pk=pk)


@require_POST
def sync_users(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue the CRM users' sync (a Celery task); the page shows its progress."""
    from .tasks import sync_crm_users

    integration = _integration(pk)
    Integration.objects.filter(pk=integration.pk).update(users_sync_state="queued", users_sync_count=0,
                                                          users_sync_detail="")
    transaction.on_commit(lambda: sync_crm_users.delay(integration.pk))
    if request.htmx:
        integration.refresh_from_db()
        return _progress(request, integration)
    return redirect("integrations:integration", pk=pk)


@require_GET
def users_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: the sync's progress, polled while it runs."""
    return _progress(request, _integration(pk))


def _progress(request: HttpRequest, integration: Integration) -> HttpResponse:
    return render(request, "integrations/_users_progress.html",
                  {"integration": integration, "template": integration.template})


@require_http_methods(["GET", "POST"])
def associate_automatically(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the matches and conflicts by email; POST: save the matches."""
    integration = _integration(pk)
    plan = users.match_by_email(integration)
    if request.method == "POST":
        count = users.apply_matches(plan)
        messages.success(request, f"Associated {count} CRM user{'s' if count != 1 else ''} by email.")
        return redirect("integrations:integration", pk=pk)
    return render(request, "integrations/associate_auto.html", {"integration": integration, "plan": plan})


@require_http_methods(["GET", "POST"])
def associate_manually(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    integration = _integration(pk)
    crm_user = get_object_or_404(CrmUser, pk=user_pk, integration=integration)
    current = [a.extension_id for a in crm_user.associations.all()]
    form = AssociationForm(request.POST or None, initial={"extensions": current})
    if form.is_valid():
        users.associate(crm_user, form.cleaned_data["extensions"])
        messages.success(request, f"Saved the extensions of {crm_user}.")
        return redirect("integrations:integration", pk=pk)
    return render(request, "integrations/associate_manual.html",
                  {"integration": integration, "crm_user": crm_user, "form": form})


@require_POST
def disconnect(request: HttpRequest, pk: int) -> HttpResponse:
    integration = get_object_or_404(Integration, template__pk=pk)
    connecting.disconnect(integration)
    messages.success(request, f"Disconnected from “{integration.template.name}”; its settings are kept.")
    return redirect("integrations:integration", pk=pk)


@require_POST
def try_lookup(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: the Test lookup panel's answer (each request, its answer, the contacts)."""
    integration = get_object_or_404(Integration, template__pk=pk)
    form = LookupForm(request.POST)
    report = None
    if form.is_valid():
        chosen = features.features_of(integration)
        number = form.cleaned_data["number"]
        report = connecting.try_lookup(integration, number, variants(number, chosen.country, chosen.number_forms),
                                       chosen.contact_types or None)
    return render(request, "integrations/_lookup_report.html", {"form": form, "report": report})


@require_http_methods(["GET", "POST"])
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: confirm applying the template to its integrations; POST: apply."""
    template = get_object_or_404(CrmTemplate, pk=pk)
    integrations = list(template.integrations.all())
    if not integrations:
        messages.error(request, "No integration uses this template yet.")
        return redirect("templates_app:detail", pk=template.pk)
    if request.method == "POST":
        count = applying.apply_template(template)
        messages.success(
            request, f"Applied “{template.name}” to {count} integration{'s' if count != 1 else ''}."
        )
        return redirect("templates_app:detail", pk=template.pk)
    return render(request, "integrations/apply_confirm.html", {"template": template, "integrations": integrations})
