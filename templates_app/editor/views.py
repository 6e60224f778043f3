"""Add / Edit template pages and the live field check behind them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from templates_app.library import MAX_TEMPLATES, TemplateEditConflict, TemplateLimitReached, save_template
from templates_app.logos import LogoError
from templates_app.models import CrmTemplate
from templates_app.xmlmodel import TemplateXMLError, parse_template, serialize_template
from templates_app.xmlmodel.rewrite import rewrite_template

from . import checks, mapping
from .forms import CUSTOM_FIELD_LIMITS, field_kind
from .formsets import EditorForms

PAGE = "templates_app/editor/form.html"


def add_template(request: HttpRequest) -> HttpResponse:
    if CrmTemplate.objects.count() >= MAX_TEMPLATES:
        # Refused at the door, before the admin fills in a form that could not be saved.
        messages.error(request, str(TemplateLimitReached()))
        return redirect("templates_app:list")
    if request.method == "POST":
        editor = EditorForms(request.POST, request.FILES)
        if editor.is_valid():
            tpl = mapping.apply_form(mapping.new_template(), editor.cleaned())
            tpl.key = mapping.free_key(tpl.key or "", set(CrmTemplate.objects.values_list("key", flat=True)))
            saved = _save(editor, serialize_template(tpl), instance=None)
            if saved is not None:
                messages.success(request, f"Template “{saved.name}” added.")
                return redirect("templates_app:edit", pk=saved.pk)
    else:
        editor = EditorForms(initial=mapping.to_initial(mapping.new_template()))
    return render(request, PAGE, _context(editor, template=None))


def edit_template(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(CrmTemplate, pk=pk)
    tpl = parse_template(template.xml)
    conflict = None
    if request.method == "POST":
        editor = EditorForms(request.POST, request.FILES)
        if editor.is_valid():
            try:
                # The form's changes are written into the stored text: untouched lines keep
                # their bytes, so the version history shows only what was edited.
                text = rewrite_template(parse_template(template.xml), mapping.apply_form(tpl, editor.cleaned()))
                saved = _save(editor, text, instance=template)
            except TemplateEditConflict as err:
                saved, conflict = None, err
            if saved:
                messages.success(request, f"Template “{template.name}” saved.")
                return redirect(f"{reverse('templates_app:edit', args=[pk])}?saved=1")
    else:
        initial = mapping.to_initial(tpl)
        initial["form"]["base_revision"] = template.revision
        editor = EditorForms(initial=initial)
    context = _context(
        editor,
        template=template,
        conflict=conflict,
        kept=mapping.kept_parts(parse_template(template.xml)),
        # An integration runs the XML it was given until the admin applies a newer one
        # (e.g. right after this page saved), so offer that whenever one is behind.
        offer_apply=template.integrations.exclude(applied_xml=template.xml).exists(),
    )
    return render(request, PAGE, context, status=409 if conflict else 200)


def _context(editor: EditorForms, **extra) -> dict:
    return {"editor": editor, "custom_field_limits": CUSTOM_FIELD_LIMITS, "kept": [], **extra}


def _save(editor: EditorForms, xml: str, *, instance: CrmTemplate | None) -> CrmTemplate | None:
    """Store the template's text (the form already applied); on failure put the reasons
    on the form."""
    logo = editor.form.cleaned_data.get("logo")
    try:
        return save_template(
            xml,
            instance=instance,
            logo=logo.read() if logo else None,
            logo_content_type=(logo.content_type or "") if logo else "",
            base_revision=editor.form.cleaned_data.get("base_revision"),
            same_as_stored=True,
        )
    except TemplateXMLError as err:
        for problem in err.problems:
            editor.form.add_error(None, f"Template check: {mapping.describe_problem(problem)}")
    except TemplateLimitReached as err:
        editor.form.add_error(None, str(err))
    except LogoError as err:  # the logo: not a real PNG/JPEG, too big, too many pixels
        editor.form.add_error("logo", str(err))
    return None


@require_POST
def check_field(request: HttpRequest) -> HttpResponse:
    """Check one field as the admin types (hx-post from the field; the name says which)."""
    name = (request.htmx.trigger_name if request.htmx else request.POST.get("field")) or ""
    kind = field_kind(name)
    if kind is None:
        return HttpResponseBadRequest("Not a checked field.")
    message = checks.check(kind, request.POST.get(name, ""))
    return render(request, "templates_app/editor/check.html", {"message": message})
