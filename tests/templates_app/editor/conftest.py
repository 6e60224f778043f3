"""Fixtures of the editor tests: posted form data, and stored templates to edit."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from templates_app.editor.forms import DEFAULT_DESCRIPTION, DEFAULT_SUBJECT

FormData = dict[str, str | list[str]]


def _formset(prefix: str, rows: list[dict[str, str]], *, initial: int = 0) -> FormData:
    data: FormData = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


METHOD_SETTINGS: dict[str, FormData] = {
    "none": {},
    "basic": {"credential_type": "username_password", "base64_credential": "{{.username}}:{{.password}}"},
    "oauth2": {
        "auth_endpoint": "https://www.api.example.com/oauth/v2/auth?client_id={{.client_id}}",
        "token_endpoint": "https://www.api.example.com/oauth/v2/token?client_id={{.client_id}}&client_secret={{.client_secret}}",
        "scope": "contacts.read,contacts.write",
        "additional_query_string": "",
    },
    "bearertoken": {
        "token_endpoint": "https://www.api.example.com/oauth/v2/token?grant_type=client_credentials",
        "token_refresh_minutes": "",
    },
}
METHOD_FIELDS: dict[str, list[dict[str, str]]] = {
    "none": [{"editor": "string", "name": "api_key", "title": "API Key"}],
    "basic": [
        {"editor": "string", "name": "username", "title": "Username"},
        {"editor": "password", "name": "password", "title": "Password"},
    ],
    "oauth2": [
        {"editor": "password", "name": "client_id", "title": "Client ID"},
        {"editor": "password", "name": "client_secret", "title": "Client Secret"},
    ],
    "bearertoken": [
        {"editor": "string", "name": "client_id", "title": "Client ID"},
        {"editor": "list", "name": "region", "title": "Region", "options": "eu, us"},
    ],
}


def build_form_data(
    auth_method: str = "none",
    *,
    fields: list[dict[str, str]] | None = None,
    headers: list[dict[str, str]] | None = None,
    search: list[dict[str, str]] | None = None,
    create: list[dict[str, str]] | None = None,
    **overrides: str,
) -> FormData:
    """What the Add page posts for a small but complete template."""
    data: FormData = {
        "name": f"Example CRM {auth_method}",
        "max_concurrent_request": "10",
        "remark": "",
        "auth_method": auth_method,
        "credential_type": "username_password",
        "contact_url_type": "specify_url_format",
        "url_format": "https://crm.example.com/{{.ContactSyncType}}/{{.ContactId}}",
        "contacts_id_path": "data.#.id",
        "first_name_path": "data.#.first_name",
        "business_number_enable": "on",
        "business_number_path": "data.#.phone",
        "subject": DEFAULT_SUBJECT,
        "description": DEFAULT_DESCRIPTION,
        "enable_subject": "on",
        "enable_description": "on",
        "enable_play_call_recording": "on",
        **METHOD_SETTINGS[auth_method],
    }
    data.update(_formset("fields", METHOD_FIELDS[auth_method] if fields is None else fields))
    data.update(
        _formset("headers", [{"name": "Accept", "value": "application/json"}] if headers is None else headers)
    )
    default_search = [{"name": "Contacts", "url": "https://crm.example.com/contacts?phone={{.Phone}}"}]
    data.update(_formset("search", default_search if search is None else search))
    data.update(_formset("create", create or []))
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def form_data() -> Callable[..., FormData]:
    """build_form_data: the POST of the Add page, per auth method, with overrides."""
    return build_form_data


@pytest.fixture
def realworld_xml(realworld_template_path) -> str:
    return realworld_template_path.read_text(encoding="utf-8")


@pytest.fixture
def realworld_template(db, realworld_xml):
    """The real-world template (Common, TokenErrorMap, AuthOption, Next=…) as uploaded."""
    from templates_app.library import save_template

    return save_template(realworld_xml)


def initial_to_post(initial: dict) -> FormData:
    """What a browser posts for a page drawn from mapping.to_initial, left unchanged."""
    data: FormData = {}
    for key, value in initial["form"].items():
        if value is True:
            data[key] = "on"
        elif value is False or value is None:
            continue
        else:
            data[key] = str(value)
    for prefix, rows in initial["rows"].items():
        data.update(_formset(prefix, rows, initial=len(rows)))
    return data


@pytest.fixture
def unchanged_post() -> Callable[[dict], FormData]:
    """initial_to_post: the POST of an edit page submitted as drawn."""
    return initial_to_post
