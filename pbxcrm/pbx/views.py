"""Extension and Trunk › Extensions: list, add, edit, delete, import from CSV."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from .extensions import import_csv
from .forms import ExtensionForm, ImportForm, PhonebookForm
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
