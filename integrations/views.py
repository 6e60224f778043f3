"""Integrations › CRM: the list of CRMs, an integration's page, and applying a template.

Each view is Form → domain function → render.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from templates_app.models import CrmTemplate
from templates_app.xmlmodel import parse_template

from . import applying, connecting
from .forms import LookupForm, SettingsForm
from .models import Integration


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
            messages.info(request, "Saved. OAuth2 needs the CRM's consent in the browser, which comes next.")
        else:
            integration = connecting.connect(integration)
            if integration.status == Integration.Status.CONNECTED:
                messages.success(request, f"Connected to “{template.name}”.")
            else:
                messages.error(request, f"Not connected: {integration.status_detail}")
        return redirect("integrations:integration", pk=template.pk)
    context = {"template": template, "integration": integration, "form": form, "lookup_form": LookupForm()}
    return render(request, "integrations/integration.html", context, status=400 if form.is_bound else 200)


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
    report = connecting.try_lookup(integration, form.cleaned_data["number"]) if form.is_valid() else None
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
