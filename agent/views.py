"""The agent page of an extension: recent popups, live; Open in CRM; Create contact."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from celery import current_app
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from integrations.models import Popup
from pbxcrm.pbx.models import Call, Extension

from . import stream as live_stream
from .access import extension_for


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """An agent goes to their extension's page; staff choose one."""
    own = Extension.objects.filter(user=request.user).first()
    if own is not None and not request.user.is_staff:
        return redirect("agent:page", number=own.number)
    extensions = Extension.objects.all() if request.user.is_staff else []
    return render(request, "agent/home.html", {"extensions": extensions})


@require_GET
def page(request: HttpRequest, number: str) -> HttpResponse:
    extension = extension_for(request.user, number)
    recent = Popup.objects.filter(extension=extension).select_related("call").order_by("-pk")[:20]
    return render(request, "agent/page.html", {"extension": extension, "recent": recent})


async def stream(request: HttpRequest, number: str) -> HttpResponse:
    user = await request.auser()
    if not user.is_authenticated:
        return HttpResponse(status=401)
    extension = await sync_to_async(extension_for)(user, number)
    response = StreamingHttpResponse(
        live_stream.events(extension.pk, extension.number, request.headers.get("Last-Event-ID")),
        content_type="text/event-stream",
    )
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # a proxy in front must not hold the stream back
    return response


@require_POST
def create_contact(request: HttpRequest, number: str, call_pk: int) -> HttpResponse:
    """Create New Contact, Manually: the agent asks during the call; a worker creates it."""
    extension = extension_for(request.user, number)
    call = get_object_or_404(Call, pk=call_pk)
    if not Popup.objects.filter(call=call, extension=extension, kind=Popup.Kind.CREATE).exists():
        return HttpResponse("This call offers no contact to create.", status=409)
    current_app.send_task("integrations.tasks.create_contact_for_call", args=[call.pk, extension.number], ignore_result=True)
    return render(request, "agent/_creating.html", {"call": call})
