"""The repeating rows of the Add / Edit form, and the page's forms drawn or bound together.

Four formsets: custom fields (CustomFieldList parameters), headers (PopulateTemplateString
Type=Header parameters), contact types to search (SyncContactAuto requests) and contact
types to create (CreateNewContact requests). editor.js adds rows by cloning each
formset's empty form and removes them by ticking DELETE, so indexes stay contiguous.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.forms import formset_factory

from templates_app.xmlmodel.limits import MAX_HEADERS

from .forms import (
    AUTH_METHODS,
    CUSTOM_FIELD_LIMITS,
    CreateTypeForm,
    CustomFieldForm,
    HeaderForm,
    SearchTypeForm,
    TemplateForm,
)


class _UniqueNamesFormSet(forms.BaseFormSet):
    """Rows whose names must differ: they become Parameter/Request names in one scenario."""

    what = "name"
    case_insensitive = False

    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form):
                continue
            name = form.cleaned_data.get("name", "")
            key = name.lower() if self.case_insensitive else name
            if key in seen:
                raise forms.ValidationError(f'The {self.what} "{name}" appears twice.')
            seen.add(key)

    def rows(self) -> list[dict]:
        """Cleaned data of the rows kept (filled in and not deleted), in page order."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not self._should_delete_form(form)
        ]


class CustomFieldFormSet(_UniqueNamesFormSet):
    what = "custom field name"

    def __init__(self, *args, auth_method: str = "none", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.auth_method = auth_method

    def clean(self) -> None:
        super().clean()
        limit = CUSTOM_FIELD_LIMITS.get(self.auth_method, 5)
        if not any(self.errors) and len(self.rows()) > limit:
            label = dict(AUTH_METHODS).get(self.auth_method, self.auth_method)
            raise forms.ValidationError(f"{label} authentication supports up to {limit} custom fields.")


class HeaderFormSet(_UniqueNamesFormSet):
    what = "header"
    case_insensitive = True  # HTTP header names are case-insensitive

    def clean(self) -> None:
        super().clean()
        if not any(self.errors) and len(self.rows()) > MAX_HEADERS:
            raise forms.ValidationError(f"Supports up to {MAX_HEADERS} custom headers.")


class SearchTypeFormSet(_UniqueNamesFormSet):
    what = "contact type"

    def clean(self) -> None:
        super().clean()
        if not any(self.errors) and not self.rows():
            raise forms.ValidationError("Add at least one contact type and its match query URL.")


class CreateTypeFormSet(_UniqueNamesFormSet):
    what = "contact type"

    def __init__(self, *args, required: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.required = required

    def clean(self) -> None:
        super().clean()
        if self.required and not any(self.errors) and not self.rows():
            raise forms.ValidationError("Create New Contact is on: add at least one contact type to create.")


# The limits are enforced by clean() with the guide's wording (and per auth method), not by
# max_num, whose generic message would hide which rule was hit; max_num only bounds the POST.
custom_field_formset = formset_factory(
    CustomFieldForm, formset=CustomFieldFormSet, extra=0, can_delete=True, max_num=50, absolute_max=50
)
header_formset = formset_factory(
    HeaderForm, formset=HeaderFormSet, extra=0, can_delete=True, max_num=50, absolute_max=50
)
search_type_formset = formset_factory(
    SearchTypeForm, formset=SearchTypeFormSet, extra=0, can_delete=True, max_num=50, absolute_max=50
)
create_type_formset = formset_factory(
    CreateTypeForm, formset=CreateTypeFormSet, extra=0, can_delete=True, max_num=50, absolute_max=50
)


FORMSET_TITLES = {"fields": "Custom fields", "headers": "Headers", "search": "Contact types to search",
                  "create": "Contact types to create"}


@dataclass(frozen=True)
class Problem:
    """A line of the error banner; ``field_id`` is the element its link scrolls to."""

    text: str
    field_id: str = ""


class EditorForms:
    """The page's form and its four formsets, bound or drawn together.

    The formsets' prefixes are what the page's row templates and editor.js use.
    """

    prefixes = ("fields", "headers", "search", "create")

    def __init__(
        self, data: dict | None = None, files: dict | None = None, *, initial: dict | None = None
    ) -> None:
        initial = initial or {}
        rows = initial.get("rows", {})
        self.form = TemplateForm(data, files, initial=initial.get("form"))
        method = (data or {}).get("auth_method") or self.form["auth_method"].value() or "none"
        self.create_on = create_on = bool(data and data.get("create_new_contact"))
        self.custom_fields = custom_field_formset(
            data, prefix="fields", initial=None if data else rows.get("fields"), auth_method=method
        )
        self.headers = header_formset(data, prefix="headers", initial=None if data else rows.get("headers"))
        self.search_types = search_type_formset(
            data, prefix="search", initial=None if data else rows.get("search")
        )
        self.create_types = create_type_formset(
            data, prefix="create", initial=None if data else rows.get("create"), required=create_on
        )

    @property
    def formsets(self) -> list[forms.BaseFormSet]:
        return [self.custom_fields, self.headers, self.search_types, self.create_types]

    def is_valid(self) -> bool:
        # Evaluate all of them so every error shows at once. The contact types to create
        # are hidden, and not written, while Create New Contact is off.
        results = [self.form.is_valid()] + [fs.is_valid() for fs in self.formsets]
        if not self.create_on:
            results.pop()
        return all(results)

    def problems(self) -> list[Problem]:
        """Every reason the save was refused, each with a link to its field when it has
        one: the banner lists them all, however long the form."""
        if not self.form.is_bound:
            return []
        out = [Problem(str(e)) for e in self.form.non_field_errors()]
        for name, errors in self.form.errors.items():
            if name != "__all__":
                bound = self.form[name]
                out += [Problem(f"{bound.label}: {e}", bound.auto_id) for e in errors]
        checked = self.formsets if self.create_on else self.formsets[:-1]
        for formset in checked:
            title = FORMSET_TITLES[formset.prefix]
            out += [Problem(f"{title}: {e}", f"formset-{formset.prefix}") for e in formset.non_form_errors()]
            shown = [form for form in formset.forms if not form["DELETE"].value()]
            for number, form in enumerate(shown, start=1):
                for name, errors in form.errors.items():
                    if name == "__all__":
                        out += [Problem(f"{title}, row {number}: {e}", form[next(iter(form.fields))].auto_id)
                                for e in errors]
                    else:
                        bound = form[name]
                        out += [Problem(f"{title}, row {number}, {bound.label}: {e}", bound.auto_id)
                                for e in errors]
        return out

    def cleaned(self) -> dict:
        """What mapping.apply_form needs: the form's values and each formset's kept rows."""
        return {
            **self.form.cleaned_data,
            "rows": {
                "fields": self.custom_fields.rows(),
                "headers": self.headers.rows(),
                "search": self.search_types.rows(),
                "create": self.create_types.rows(),
            },
        }
