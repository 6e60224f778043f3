"""forms.py / formsets.py: which fields are checked, and the row rules."""

from __future__ import annotations

import pytest
from django import forms

from templates_app.editor.forms import (
    CreateTypeForm,
    HeaderForm,
    SearchTypeForm,
    TemplateField,
    TemplateForm,
    field_kind,
)
from templates_app.editor.formsets import EditorForms

from .conftest import build_form_data

CHECKED_WORDS = (
    "url",
    "body",
    "endpoint",
    "path",
    "format",
    "credential",
    "query_string",
    "subject",
    "description",
)


def _all_fields():
    yield from TemplateForm().fields.items()
    for form_class in (HeaderForm, SearchTypeForm, CreateTypeForm):
        yield from form_class.base_fields.items()


def _text_fields_named_like_code():
    # Switches and dropdowns named like code fields (enable_subject, contact_url_type) hold no text.
    for name, field in _all_fields():
        if isinstance(field, forms.CharField) and any(word in name for word in CHECKED_WORDS):
            yield name


@pytest.mark.parametrize("name", list(_text_fields_named_like_code()))
def test_every_url_body_and_path_field_is_live_checked(name):
    field = dict(_all_fields())[name]
    assert isinstance(field, TemplateField)
    assert field.widget.attrs["hx-trigger"].startswith("keyup changed delay:300ms")


def test_mapping_fields_are_checked_as_gjson_paths():
    assert field_kind("mobile_number_2_path") == "path"
    assert field_kind("contact_field_for_uri") == "path"


def test_a_formset_field_is_found_by_its_name_without_the_prefix():
    assert field_kind("create-3-body") == "template"


def test_plain_text_fields_are_not_checked():
    assert field_kind("name") is None
    assert field_kind("fields-0-title") is None


def test_two_custom_fields_with_one_name_are_refused():
    fields = [
        {"editor": "string", "name": "key", "title": "A"},
        {"editor": "string", "name": "key", "title": "B"},
    ]
    editor = EditorForms(build_form_data(fields=fields))
    assert not editor.is_valid()
    assert 'The custom field name "key" appears twice.' in editor.custom_fields.non_form_errors()


def test_header_names_are_compared_without_case():
    headers = [{"name": "Accept", "value": "a"}, {"name": "accept", "value": "b"}]
    editor = EditorForms(build_form_data(headers=headers))
    assert not editor.is_valid()


def test_a_custom_field_name_must_work_as_a_template_variable():
    editor = EditorForms(build_form_data(fields=[{"editor": "string", "name": "api-key", "title": "K"}]))
    assert not editor.is_valid()
    assert "name" in editor.custom_fields.forms[0].errors


def test_a_dropdown_needs_options():
    editor = EditorForms(build_form_data(fields=[{"editor": "list", "name": "region", "title": "Region"}]))
    assert not editor.is_valid()
    assert "options" in editor.custom_fields.forms[0].errors


def test_basic_authentication_needs_its_credential_format():
    editor = EditorForms(build_form_data("basic", base64_credential=""))
    assert not editor.is_valid()
    assert "base64_credential" in editor.form.errors


def test_a_deleted_row_does_not_count_towards_the_limit():
    fields = [{"editor": "string", "name": f"f{i}", "title": "T"} for i in range(6)]
    fields[5]["DELETE"] = "on"
    assert EditorForms(build_form_data("basic", fields=fields)).is_valid()
