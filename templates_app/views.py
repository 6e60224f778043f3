"""The Template Management pages.

Each view is Form → library function → render; the rules live in library.py.
"""

import io
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from templates_app.xmlmodel import TemplateXMLError

from . import library
from .diffs import diff_hunks
from .downloads import attachment
from .forms import SelectionForm, UploadForm, XmlForm
from .models import CrmTemplate

# Lists never need the XML or the logo bytes.
_LIST_FIELDS = ("xml", "logo")


def _template(pk: int) -> CrmTemplate:
    return get_object_or_404(CrmTemplate, pk=pk)


@login_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    templates = CrmTemplate.objects.defer(*_LIST_FIELDS).prefetch_related("integrations")
    return render(
        request,
        "templates_app/list.html",
        {
            "templates": templates,
            "limit": library.MAX_TEMPLATES,
            "full": len(templates) >= library.MAX_TEMPLATES,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    problems = []
    if form.is_valid():
        logo, logo_type = form.cleaned_data["logo"] or (None, "")
        try:
            template = library.save_template(
                form.cleaned_data["file"], logo=logo, logo_content_type=logo_type
            )
        except TemplateXMLError as exc:
            problems = exc.problems
        except library.TemplateLimitReached as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Uploaded “{template.name}”.")
            return redirect("templates_app:list")
    full = CrmTemplate.objects.count() >= library.MAX_TEMPLATES
    failed = form.is_bound and bool(form.errors or problems)
    # Browsers clear a file input after a refused upload: name the file, and say so.
    chosen = request.FILES.get("file")
    context = {"form": form, "problems": problems, "full": full, "limit": library.MAX_TEMPLATES,
               "failed_file": chosen.name if failed and chosen else ""}
    return render(request, "templates_app/upload.html", context, status=400 if failed else 200)


def _zip(templates: list[CrmTemplate]) -> bytes:
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for template in templates:
            name = template.filename
            if name in used:  # Keys are unique, but sanitising can make two names equal.
                name = f"{name[:-4]}-{template.pk}.xml"
            used.add(name)
            archive.writestr(name, template.xml)
    return buffer.getvalue()


@login_required
@require_GET
def download(request: HttpRequest) -> HttpResponse:
    form = SelectionForm(request.GET)
    if not form.is_valid():
        messages.error(request, "Select the templates to download first.")
        return redirect("templates_app:list")
    templates = list(form.cleaned_data["ids"])
    if len(templates) == 1:
        response = HttpResponse(templates[0].xml, content_type="application/xml; charset=utf-8")
        filename = templates[0].filename
    else:
        response = HttpResponse(_zip(templates), content_type="application/zip")
        filename = "crm-templates.zip"
    response["Content-Disposition"] = attachment(filename)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest) -> HttpResponse:
    """GET: the confirmation page for the selected templates; POST: delete them."""
    form = SelectionForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, "Select the templates to delete first.")
        return redirect("templates_app:list")
    templates = list(form.cleaned_data["ids"])
    if request.method == "GET":
        # Say up front what the delete would refuse, instead of after the OK.
        in_use = [t for t in templates if t.integrations.exists()]
        return render(request, "templates_app/delete_confirm.html", {"templates": templates, "in_use": in_use})
    try:
        count = library.delete_templates(t.pk for t in templates)
    except library.TemplateInUse as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Deleted {count} template{'s' if count != 1 else ''}.")
    return redirect("templates_app:list")


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(pk)
    integrations = list(template.integrations.all())
    context = {
        "template": template,
        "versions": template.versions.all(),
        "integrations": integrations,
        # Apply is offered only when it would change something.
        "behind": any(i.applied_xml != template.xml for i in integrations),
    }
    return render(request, "templates_app/detail.html", context)


@login_required
@require_GET
def logo(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_object_or_404(CrmTemplate.objects.exclude(logo=b""), pk=pk)
    response = HttpResponse(bytes(template.logo), content_type=template.logo_content_type or "image/png")
    # Pages link the logo with ?v=<updated>, so a cached copy is never stale.
    response["Cache-Control"] = "private, max-age=86400"
    return response


def _xml_page(
    request: HttpRequest,
    template: CrmTemplate,
    form: XmlForm,
    problems: list,
    conflict: library.TemplateEditConflict | None = None,
) -> HttpResponse:
    text = form.data.get("xml", template.xml) if form.is_bound else template.xml
    context = {
        "template": template,
        "form": form,
        "problems": problems,
        "conflict": conflict,
        "line_numbers": range(1, text.count("\n") + 2),
        "error_lines": sorted({p.line for p in problems if p.line}),
    }
    status = 409 if conflict else 400 if problems or form.errors else 200
    return render(request, "templates_app/xml.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def xml_view(request: HttpRequest, pk: int) -> HttpResponse:
    template = _template(pk)
    form = XmlForm(request.POST or None, initial={"xml": template.xml, "base_revision": template.revision})
    problems = []
    conflict = None
    if form.is_valid():
        try:
            library.save_template(
                form.cleaned_data["xml"], instance=template, base_revision=form.cleaned_data["base_revision"]
            )
        except TemplateXMLError as exc:
            problems = exc.problems
        except library.TemplateEditConflict as exc:
            conflict = exc
        else:
            messages.success(request, f"Saved the XML of “{template.name}”.")
            return redirect("templates_app:xml", pk=template.pk)
    return _xml_page(request, template, form, problems, conflict)


@login_required
@require_POST
def xml_check(request: HttpRequest, pk: int) -> HttpResponse:
    """HTMX: validate the XML being typed, without saving; returns the problems panel."""
    template = _template(pk)
    form = XmlForm(request.POST)
    problems = library.find_problems(form.cleaned_data["xml"], instance=template) if form.is_valid() else []
    context = {"problems": problems, "form": form, "checked": True, "link_lines": True}
    return render(request, "templates_app/_problems.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def version(request: HttpRequest, pk: int, version_pk: int) -> HttpResponse:
    """GET: the diff from this version to the current XML, and a restore button; POST: restore."""
    template = _template(pk)
    old = get_object_or_404(template.versions, pk=version_pk)
    if request.method == "POST":
        try:
            library.restore_version(old)
        except TemplateXMLError as exc:
            messages.error(request, f"This version no longer validates: {exc.problems[0]}")
        else:
            messages.success(request, f"Restored the version of {old.created:%Y-%m-%d %H:%M}.")
        return redirect("templates_app:detail", pk=template.pk)
    context = {"template": template, "version": old, "hunks": diff_hunks(old.xml, template.xml)}
    return render(request, "templates_app/version.html", context)
