"""Integrations › Calls & Journal: each call and what happened to it; the outbox."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from pbxcrm.pbx.models import Call, CallEvent

from .models import Journal
from .pipeline import journal
from .pipeline.calls import handling_extension

FILTERS = {
    "": "All calls",
    "pending": "Journal pending",
    "retrying": "Journal retrying",
    "dead": "Journal dead",
    "sent": "Journal sent",
    "none": "Not journaled",
}


@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    wanted = request.GET.get("state", "")
    calls = Call.objects.select_related("lookup", "journal").prefetch_related("popups", "new_contacts")
    if wanted == "none":
        calls = calls.filter(journal__isnull=True)
    elif wanted == "pending":
        calls = calls.filter(journal__state__in=[Journal.State.PENDING, Journal.State.SENDING])
    elif wanted in FILTERS and wanted:
        calls = calls.filter(journal__state=wanted)
    page = Paginator(calls, 50).get_page(request.GET.get("page"))
    counts = {state: Journal.objects.filter(state=state).count() for state in ("retrying", "dead")}
    return render(request, "integrations/calls.html", {
        "page": page, "filters": FILTERS, "wanted": wanted, "counts": counts,
    })


@require_GET
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.prefetch_related("popups__extension", "new_contacts"), pk=pk)
    return render(request, "integrations/call_detail.html", {
        "events": CallEvent.objects.filter(pbx_call_id=call.call_id).order_by("pk"),
        "call": call, "lookup": getattr(call, "lookup", None), "journal": getattr(call, "journal", None),
        "extension": handling_extension(call),
    })


@require_POST
def journal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    row = get_object_or_404(Journal, pk=pk)
    if action == "retry" and journal.retry_now(row.pk):
        messages.success(request, f"The journal of call {row.call.call_id} is being sent again.")
    elif action == "discard" and journal.discard(row.pk):
        messages.success(request, f"The journal of call {row.call.call_id} was discarded; it will not be sent.")
    else:
        messages.error(request, f"The journal is {row.get_state_display().lower()}: nothing to {action}.")
    return redirect(request.POST.get("next") or "integrations:call", pk=row.call_id)
