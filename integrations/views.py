"""Integrations › CRM: the list of CRMs, and applying a template to its integrations.

Each view is Form → domain function → render.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from templates_app.models import CrmTemplate

from . import applying


@require_GET
def crm_list(request: HttpRequest) -> HttpResponse:
    templates = CrmTemplate.objects.defer("xml", "logo").prefetch_related("integrations")
    return render(request, "integrations/crm_list.html", {"templates": templates})


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
