"""Extension and Trunk › Extensions: list, add, edit, delete, import from CSV."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import intake, recordings
from .extensions import import_csv
from .forms import ExtensionForm, ImportForm, PbxSettingsForm, PhonebookForm
from .models import Extension, Phonebook


@require_GET
def extension_list(request: HttpRequest) -> HttpResponse:
    return render(request, "pbx/extensions.html", {"extensions": Extension.objects.all()})


@require_http_methods(["GET", "POST"])
def extension_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    extension = get_object_or_404(Extension, pk=pk) if pk else None
    form = ExtensionForm(request.POST or None, instance=extension)
    if form.is_valid():
        saved = form.save()
        messages.success(request, f"Saved extension {saved.number}.")
        return redirect("pbx:extensions")
    return render(request, "pbx/extension_form.html", {"form": form, "extension": extension},
                  status=400 if form.is_bound else 200)


@require_http_methods(["GET", "POST"])
def extension_delete(request: HttpRequest, pk: int) -> HttpResponse:
    extension = get_object_or_404(Extension, pk=pk)
    if request.method == "POST":
        extension.delete()
        messages.success(request, f"Deleted extension {extension.number}.")
        return redirect("pbx:extensions")
    return render(request, "pbx/extension_delete.html", {"extension": extension})


@require_http_methods(["GET", "POST"])
def extension_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if form.is_valid():
        report = import_csv(form.cleaned_data["file"])
        if report.ok:
            messages.success(request, f"Imported {report.created} new and updated {report.updated} extensions.")
            return redirect("pbx:extensions")
    status = 400 if form.is_bound else 200
    return render(request, "pbx/extension_import.html", {"form": form, "report": report}, status=status)


@require_http_methods(["GET", "POST"])
def phonebook_list(request: HttpRequest) -> HttpResponse:
    """The phonebooks, and a form to add one. A CRM-synced phonebook is filled by the
    integration and read-only here."""
    form = PhonebookForm(request.POST or None)
    if form.is_valid():
        form.save()
        messages.success(request, f"Added the phonebook “{form.instance.name}”.")
        return redirect("pbx:phonebooks")
    return render(request, "pbx/phonebooks.html", {"phonebooks": Phonebook.objects.all(), "form": form},
                  status=400 if form.is_bound else 200)


@require_http_methods(["POST"])
def phonebook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    phonebook = get_object_or_404(Phonebook, pk=pk)
    if phonebook.crm_synced:
        messages.error(request, f"“{phonebook.name}” is synchronized from the CRM and read-only here; "
                                "choose another phonebook in the integration's features first.")
    else:
        phonebook.delete()
        messages.success(request, f"Deleted the phonebook “{phonebook.name}”.")
    return redirect("pbx:phonebooks")


# -- events from the PBX --------------------------------------------------------------------


@csrf_exempt
@login_not_required
@require_POST
def events(request: HttpRequest) -> HttpResponse:
    """POST /pbx/events: one 30011 or 30012, with the PBX's event token as a bearer token.

    Under uvicorn the same answer comes from pbxcrm/pbx/intake_asgi.py, before Django's
    middleware; this view serves it everywhere else (the WSGI test server)."""
    token = intake.presented_token(request.headers.get("Authorization", ""), request.headers.get("X-PBX-Token", ""))
    status, payload = intake.answer(request.body, token)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JsonResponse(payload, status=status, headers=headers)


@require_http_methods(["GET", "POST"])
def pbx_settings(request: HttpRequest) -> HttpResponse:
    """System › PBX: the serial number, the event address and token (rotatable)."""
    row = intake.pbx_settings()
    form = PbxSettingsForm(request.POST or None, instance=row)
    if request.method == "POST" and "rotate" in request.POST:
        intake.rotate_token()
        messages.success(request, "A new event token is in use; the old one no longer works.")
        return redirect("pbx:settings")
    if form.is_valid():
        form.save()
        messages.success(request, "Saved.")
        return redirect("pbx:settings")
    return render(request, "pbx/settings.html", {
        "form": form, "row": row, "token": intake.event_token(),
        "events_url": request.build_absolute_uri(reverse("pbx:events")),
    })


# -- recordings -------------------------------------------------------------------------------


@login_not_required
@require_GET
def recording(request: HttpRequest, token: str) -> HttpResponse:
    """A recording by its signed link (RecordPath): whole, or the byte range asked for."""
    try:
        path = recordings.resolve(token)
    except recordings.RecordingRefused as err:
        return HttpResponse(str(err), status=403, content_type="text/plain; charset=utf-8")
    size = path.stat().st_size
    try:
        span = recordings.byte_range(request.headers.get("Range"), size)
    except ValueError:
        return HttpResponse(status=416, headers={"Content-Range": f"bytes */{size}"})
    handle = path.open("rb")
    if span is None:
        response = FileResponse(handle, content_type=recordings.content_type(path))
    else:
        first, last = span
        handle.seek(first)
        response = StreamingHttpResponse(_chunks(handle, last - first + 1), status=206,
                                         content_type=recordings.content_type(path))
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
        response["Content-Length"] = str(last - first + 1)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _chunks(handle, remaining: int, size: int = 64 * 1024):
    with handle:
        while remaining > 0:
            data = handle.read(min(size, remaining))
            if not data:
                return
            remaining -= len(data)
            yield data
