"""Form data ⇄ template model, for the Add / Edit form.

The rule that makes this editor better than the PBX's own: the form is applied ONTO
the template it was drawn from. The form owns a known set of parameters, requests and
outputs (those the guide's "Add a CRM Integration Template" page shows); everything
else — Common and GetGlobalInfo scenarios, TokenErrorMap/AuthOption parameters,
Outputs Next=, unknown elements and attributes, a SearchContact or CreateNewTicket
scenario — stays as written. Within what it owns, a scalar setting is written only
when the admin changed it (or its section is new), so an edit that touches one field
leaves the rest of the XML as it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from templates_app.xmlmodel import IntegrationTemplate, Output, Parameter, Problem, Request, Scenario
from templates_app.xmlmodel import vocabulary as v
from templates_app.xmlmodel.nodes import COMMENT, PROCESSING_INSTRUCTION

from .forms import (
    CONTACT_FIELDS,
    DEFAULT_DESCRIPTION,
    DEFAULT_SUBJECT,
    OPTIONAL_CONTACT_FIELDS,
    REQUIRED_CONTACT_FIELDS,
    SETTING_FIELDS,
    USER_FIELDS,
)

AUTH, USERS, SYNC = v.AUTH_METHOD, v.USER_ASSOCIATION, v.SYNC_CONTACT_AUTO
CREATE, JOURNAL = v.CREATE_NEW_CONTACT, v.CALL_JOURNAL
FORM_SCENARIOS = (AUTH, USERS, SYNC, CREATE, JOURNAL)
CUSTOM_FIELD = v.CUSTOM_FIELD_LIST
HEADERS = v.POPULATE_TEMPLATE_STRING
JSON = "application/json"
# "Did the admin change this form field?" (compared with what the page showed).
Changed = Callable[[str], bool]

# Plain (Father-less) parameters of AuthMethod the form owns, and the methods each one
# belongs to (vocabulary.AUTH_METHODS); the guide's example writes the first seven for
# every method.
AUTH_PARAMS = {"AuthMethod": None, **{name: v.methods_using(name) for name in v.AUTH_SETTINGS}}
SYNC_PARAMS = {"ContactUrlType", "URLFormat", "ContactFieldForUri"} | {cf.enable for cf in CONTACT_FIELDS}
JOURNAL_PARAMS = {
    "EnableSubject",
    "Subject",
    "EnableDescription",
    "Description",
    "EnablePlayCallRecording",
    "PlayCallRecording",
}


# ---------------------------------------------------------------- model access
# Small readers and writers over the model's dataclasses.


def _ensure_scenario(tpl: IntegrationTemplate, scenario_id: str) -> tuple[Scenario, bool]:
    """The scenario, created (in the guide's order) when missing; and whether it is new."""
    found = tpl.scenario(scenario_id)
    if found is not None:
        return found, False
    scenario = Scenario(id=scenario_id, type="AUTH" if scenario_id == AUTH else "REST")
    # Insert before the first scenario that comes later in the guide, else at the end.
    later = FORM_SCENARIOS[FORM_SCENARIOS.index(scenario_id) + 1 :]
    at = next((i for i, s in enumerate(tpl.scenarios) if s.id in later), len(tpl.scenarios))
    tpl.scenarios.insert(at, scenario)
    return scenario, True


def _value(scenario: Scenario | None, name: str, default: str = "") -> str:
    """Scenario.value, with ``default`` where the scenario or the parameter is missing."""
    value = scenario.value(name) if scenario is not None else None
    return default if value is None else value


def _set(params: list[Parameter], name: str, value: str) -> None:
    """Give every Father-less parameter ``name`` this value; add one when there is none."""
    found = [p for p in params if p.name == name and not p.father]
    for param in found:
        param.value = value
    if not found:
        params.append(Parameter(name=name, value=value))


def _request(scenario: Scenario | None, name: str | None = None) -> Request | None:
    """Scenario.request(name), or the scenario's first request when no name is given."""
    if scenario is None:
        return None
    if name is None:
        return scenario.requests[0] if scenario.requests else None
    return scenario.request(name)


def _body(request: Request) -> str:
    param = request.body
    return "" if param is None or param.value is None else param.value


def _set_body(request: Request, body: str) -> None:
    param = request.body
    if param is None:
        request.parameters.append(Parameter(name=v.BODY_NAME, type=v.BODY_TYPE, value=body))
    else:
        param.value = body


def _url(request: Request | None) -> str:
    return (request.address or "") if request is not None else ""


def _set_url(request: Request, url: str) -> None:
    # The guide's overview example writes URL= instead of URLFormat=; keep the one written.
    if request.url_format is None and request.url is not None:
        request.url = url
    else:
        request.url_format = url


def _path(request: Request | None, name: str) -> str:
    output = request.output(name) if request is not None else None
    return "" if output is None or output.path is None else output.path


def _set_output(request: Request, name: str, path: str | None) -> None:
    """Set the output's path (adding it), or remove the output when ``path`` is None."""
    output = request.output(name)
    if path is None:
        if output is not None:
            request.outputs.remove(output)
    elif output is None:
        request.outputs.append(Output(name=name, path=path, type=""))
    else:
        output.path = path


def _new_request(name: str, method: str, url: str) -> Request:
    return Request(name=name, method=method, response_type=JSON, request_encoding="", url_format=url)


def _flag(value: Any) -> bool:
    return str(value).strip() in {"1", "true", "True"}


def _bit(on: bool) -> str:
    return "1" if on else "0"


# ---------------------------------------------------------------- new template


def new_template() -> IntegrationTemplate:
    """The skeleton a new template starts from: the guide's XML reference, empty."""
    tpl = IntegrationTemplate(
        provider="crm",
        name="",
        key="",
        logo="",
        remark="",
        version="1.0.0",
        auth_type="none",
        max_concurrent_request="10",
        user_association="0",
        call_journal="0",
        create_new_contact="0",
        create_new_ticket="0",
    )
    auth, _ = _ensure_scenario(tpl, AUTH)
    for name in list(AUTH_PARAMS)[:7]:
        auth.parameters.append(Parameter(name=name, value="none" if name == "AuthMethod" else ""))
    sync, _ = _ensure_scenario(tpl, SYNC)
    sync.parameters.extend(
        [
            Parameter(name="ContactUrlType", value="specify_url_format"),
            Parameter(name="URLFormat", value=""),
            Parameter(name="ContactFieldForUri", value=""),
        ]
        + [Parameter(name=cf.enable, value="1") for cf in REQUIRED_CONTACT_FIELDS]
        + [Parameter(name=cf.enable, value="0") for cf in OPTIONAL_CONTACT_FIELDS]
    )
    return tpl


# ---------------------------------------------------------------- model → form


def _contact_enabled(sync: Scenario | None, first: Request | None, cf) -> bool:
    if sync is None:
        return False
    param = sync.param(cf.enable)
    if param is not None:
        return _flag(param.value)
    # A hand-written template may map a field without its Enable parameter.
    return first is not None and first.output(cf.output) is not None


def to_initial(tpl: IntegrationTemplate) -> dict:
    """The form's initial values and the formsets' rows, read from ``tpl``.

    The values have the types the form's cleaned_data has, so apply_form can tell what
    the admin changed by comparing the two.
    """
    auth = tpl.scenario(AUTH)
    auth_params = auth.parameters if auth else []
    method = _value(auth, "AuthMethod") or tpl.auth_type or "none"
    users = tpl.scenario(USERS)
    user_request = _request(users, USERS) or _request(users)
    sync = tpl.scenario(SYNC)
    first_search = _request(sync)
    journal = tpl.scenario(JOURNAL)
    journal_request = _request(journal, JOURNAL) or _request(journal)
    refresh = _value(auth, "TokenRefreshInterval").strip()

    form: dict[str, Any] = {
        "name": tpl.name or "",
        "max_concurrent_request": _int(tpl.max_concurrent_request, 10),
        "remark": tpl.remark or "",
        "user_association": _flag(tpl.user_association),
        "get_user_url": _url(user_request),
        "auth_method": method,
        "credential_type": _value(auth, "CredentialType") or "username_password",
        "token_refresh_minutes": _int(refresh, None) if refresh else None,
        "contact_url_type": _value(sync, "ContactUrlType", "specify_url_format"),
        "url_format": _value(sync, "URLFormat"),
        "contact_field_for_uri": _value(sync, "ContactFieldForUri"),
        "create_new_contact": _flag(tpl.create_new_contact),
        "call_journal": _flag(tpl.call_journal),
        "journal_url": _url(journal_request),
        "journal_body": _body(journal_request) if journal_request else "",
        "enable_subject": _flag(_value(journal, "EnableSubject", "1")),
        "subject": _value(journal, "Subject", DEFAULT_SUBJECT),
        "enable_description": _flag(_value(journal, "EnableDescription", "1")),
        "description": _value(journal, "Description", DEFAULT_DESCRIPTION),
        "enable_play_call_recording": _flag(_value(journal, "EnablePlayCallRecording", "1")),
        "play_call_recording": _flag(_value(journal, "PlayCallRecording", "0")),
    }
    form["contact_url_type"] = form["contact_url_type"] or "specify_url_format"
    for param_name, field in SETTING_FIELDS.items():
        if field not in ("credential_type", "token_refresh_minutes"):
            form[field] = _value(auth, param_name)
    for output, field, _label, _example in USER_FIELDS:
        form[field] = _path(user_request, output)
    for cf in CONTACT_FIELDS:
        form[f"{cf.slug}_path"] = _path(first_search, cf.output)
        if cf in OPTIONAL_CONTACT_FIELDS:
            form[f"{cf.slug}_enable"] = _contact_enabled(sync, first_search, cf)

    rows = {
        "fields": [
            {
                "original": p.name,
                "editor": p.editor or "string",
                "name": p.name,
                "title": p.title or "",
                "options": (p.value or "") if p.editor == "list" else "",
            }
            for p in auth_params
            if p.father == CUSTOM_FIELD
        ],
        "headers": [
            {"original": p.name, "name": p.name, "value": p.value or ""}
            for p in auth_params
            if p.father == HEADERS and (p.type or "") == "Header"
        ],
        "search": [
            {"original": r.name, "name": r.name, "url": _url(r)} for r in (sync.requests if sync else [])
        ],
        "create": [
            {"original": r.name, "name": r.name, "url": _url(r), "body": _body(r)}
            for r in (tpl.scenario(CREATE).requests if tpl.scenario(CREATE) else [])
        ],
    }
    return {"form": form, "rows": rows}


def _int(value: Any, default: int | None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


# ---------------------------------------------------------------- form → model


def apply_form(tpl: IntegrationTemplate, data: dict) -> IntegrationTemplate:
    """Write the form's values onto ``tpl`` (in place) and return it.

    ``data`` is EditorForms.cleaned(): the form's cleaned_data plus "rows" holding the
    kept rows of each formset.
    """
    before = to_initial(tpl)["form"]

    def changed(field: str) -> bool:
        return data.get(field) != before.get(field)

    _apply_general(tpl, data, changed)
    _apply_auth(tpl, data, changed)
    _apply_users(tpl, data, changed)
    _apply_sync(tpl, data, changed)
    _apply_create(tpl, data)
    _apply_journal(tpl, data, changed)
    return tpl


def template_key(name: str) -> str:
    """A Key for a new template, from its name ("Zoho CRM" → "zoho_crm")."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or "custom_crm"


def free_key(key: str, taken: set[str]) -> str:
    """``key``, or ``key_2``, ``key_3``… whichever no other template uses (Keys are unique)."""
    candidate, number = key, 1
    while candidate in taken:
        number += 1
        candidate = f"{key}_{number}"
    return candidate


def _apply_general(tpl: IntegrationTemplate, data: dict, changed: Changed) -> None:
    if changed("name"):
        tpl.name = data["name"]
    if changed("remark"):
        tpl.remark = data.get("remark", "")
    if changed("max_concurrent_request"):
        tpl.max_concurrent_request = str(data["max_concurrent_request"])
    if not tpl.key:
        tpl.key = template_key(data["name"])
    logo = data.get("logo")
    if logo:
        tpl.logo = getattr(logo, "name", "") or tpl.logo
    if changed("auth_method") or not tpl.auth_type:
        tpl.auth_type = data["auth_method"]
    for field in ("user_association", "create_new_contact", "call_journal"):
        if changed(field):
            setattr(tpl, field, _bit(data.get(field, False)))


def _apply_auth(tpl: IntegrationTemplate, data: dict, changed: Changed) -> None:
    auth, fresh = _ensure_scenario(tpl, AUTH)
    method = data["auth_method"]
    _set(auth.parameters, "AuthMethod", method)
    for name, methods in AUTH_PARAMS.items():
        if methods is None:
            continue
        if name == "TokenRefreshInterval":
            minutes = data.get("token_refresh_minutes")
            value = "" if minutes is None or method != "bearertoken" else str(minutes)
            field = "token_refresh_minutes"
        else:
            field = SETTING_FIELDS[name]
            value = (data.get(field) or "") if method in methods else ""
        if auth.param(name) is None:
            write = bool(value)  # a missing setting is added only when it has a value
        else:
            # When the method changes, a setting of the old one is blanked, not removed (the
            # guide's own example keeps every AuthMethod parameter, empty when it does not
            # apply); a save that keeps the method leaves such settings as written.
            write = fresh or changed(field) or (
                changed("auth_method") and method not in methods and bool(_value(auth, name))
            )
        if write:
            _set(auth.parameters, name, value)
    _apply_custom_fields(auth, data["rows"]["fields"])
    _apply_headers(auth, data["rows"]["headers"])


def _replace_group(params: list[Parameter], is_member, new_members: list[Parameter]) -> None:
    """Replace the members of one Father group by ``new_members`` where the group stood."""
    at = next((i for i, p in enumerate(params) if is_member(p)), None)
    keep = [p for p in params if not is_member(p)]
    if at is None:
        keep.extend(new_members)
    else:
        at = sum(1 for p in params[:at] if not is_member(p))
        keep[at:at] = new_members
    params[:] = keep


def _apply_custom_fields(auth: Scenario, rows: list[dict]) -> None:
    def is_member(p: Parameter) -> bool:
        return p.father == CUSTOM_FIELD

    existing = {p.name: p for p in auth.parameters if is_member(p)}
    members = []
    for row in rows:
        param = existing.get(row.get("original") or "")
        if param is None:
            param = Parameter(father=CUSTOM_FIELD, name=row["name"], editor=row["editor"], title=row["title"])
        was_list = param.editor == "list"
        # Attributes are written only when they differ from what the page showed, so a
        # hand-written field without Editor= or Title= is not rewritten by a save.
        param.name = row["name"]
        if (param.editor or "string") != row["editor"]:
            param.editor = row["editor"]
        if (param.title or "") != row["title"]:
            param.title = row["title"]
        if row["editor"] == "list":
            options = ",".join(o.strip() for o in row["options"].split(",") if o.strip())
            if options != ",".join(o.strip() for o in (param.value or "").split(",") if o.strip()):
                param.value = options
        elif was_list:
            param.value = ""
        members.append(param)
    _replace_group(auth.parameters, is_member, members)


def _apply_headers(auth: Scenario, rows: list[dict]) -> None:
    def is_member(p: Parameter) -> bool:
        return p.father == HEADERS and (p.type or "") == "Header"

    existing = {p.name: p for p in auth.parameters if is_member(p)}
    members = []
    for row in rows:
        param = existing.get(row.get("original") or "")
        if param is None:
            param = Parameter(father=HEADERS, name=row["name"], type="Header")
        param.name = row["name"]
        if (param.value or "") != row["value"]:
            param.value = row["value"]
        members.append(param)
    _replace_group(auth.parameters, is_member, members)


def _apply_users(tpl: IntegrationTemplate, data: dict, changed: Changed) -> None:
    if not data.get("user_association"):
        return  # switched off: the flag says so; a written scenario stays for later
    users, fresh = _ensure_scenario(tpl, USERS)
    request = _request(users, USERS) or _request(users)
    if request is None:
        request = _new_request(USERS, "GET", data["get_user_url"])
        users.requests.append(request)
        fresh = True
    if fresh or changed("get_user_url"):
        _set_url(request, data["get_user_url"])
    for output, field, _label, _example in USER_FIELDS:
        if fresh or changed(field):
            _set_output(request, output, data.get(field) or None)


def _apply_sync(tpl: IntegrationTemplate, data: dict, changed: Changed) -> None:
    sync, fresh = _ensure_scenario(tpl, SYNC)
    for name, field in (
        ("ContactUrlType", "contact_url_type"),
        ("URLFormat", "url_format"),
        ("ContactFieldForUri", "contact_field_for_uri"),
    ):
        if fresh or changed(field):
            _set(sync.parameters, name, data.get(field) or "")
    for cf in REQUIRED_CONTACT_FIELDS:
        if _value(sync, cf.enable) != "1":
            _set(sync.parameters, cf.enable, "1")
    for cf in OPTIONAL_CONTACT_FIELDS:
        if fresh or changed(f"{cf.slug}_enable"):
            _set(sync.parameters, cf.enable, _bit(data.get(f"{cf.slug}_enable", False)))

    def wanted(cf) -> str | None:
        """The output's path per the form, or None when the field is off."""
        if cf in OPTIONAL_CONTACT_FIELDS and not data.get(f"{cf.slug}_enable"):
            return None
        return data.get(f"{cf.slug}_path") or ""

    existing = {r.name: r for r in sync.requests}
    requests = []
    for row in data["rows"]["search"]:
        request = existing.pop(row.get("original") or "", None)
        if request is None:
            request = _new_request(row["name"], "GET", row["url"])
            new = True
        else:
            new = False
        request.name = row["name"]
        if _url(request) != row["url"]:
            _set_url(request, row["url"])
        for cf in CONTACT_FIELDS:
            # The page shows the first request's mapping; other requests may have been
            # written with their own paths, which stay unless the admin changed the field.
            touched = changed(f"{cf.slug}_path") or (
                cf in OPTIONAL_CONTACT_FIELDS and changed(f"{cf.slug}_enable")
            )
            if new or touched:
                _set_output(request, cf.output, wanted(cf))
        requests.append(request)
    sync.requests[:] = requests


def _apply_create(tpl: IntegrationTemplate, data: dict) -> None:
    if not data.get("create_new_contact"):
        return
    scenario, _fresh = _ensure_scenario(tpl, CREATE)
    existing = {r.name: r for r in scenario.requests}
    requests = []
    for row in data["rows"]["create"]:
        request = existing.pop(row.get("original") or "", None) or _new_request(
            row["name"], "POST", row["url"]
        )
        request.name = row["name"]
        if _url(request) != row["url"]:
            _set_url(request, row["url"])
        if row["body"] != _body(request):
            _set_body(request, row["body"])
        requests.append(request)
    scenario.requests[:] = requests


def _apply_journal(tpl: IntegrationTemplate, data: dict, changed: Changed) -> None:
    if not data.get("call_journal"):
        return
    journal, fresh = _ensure_scenario(tpl, JOURNAL)
    for name, field, as_bit in (
        ("EnableSubject", "enable_subject", True),
        ("Subject", "subject", False),
        ("EnableDescription", "enable_description", True),
        ("Description", "description", False),
        ("EnablePlayCallRecording", "enable_play_call_recording", True),
        ("PlayCallRecording", "play_call_recording", True),
    ):
        if fresh or changed(field):
            value = data.get(field)
            _set(journal.parameters, name, _bit(bool(value)) if as_bit else (value or ""))
    request = _request(journal, JOURNAL) or _request(journal)
    if request is None:
        request = _new_request(JOURNAL, "POST", data["journal_url"])
        journal.requests.append(request)
        fresh = True
    if fresh or changed("journal_url"):
        _set_url(request, data["journal_url"])
    if fresh or changed("journal_body"):
        _set_body(request, data.get("journal_body") or "")


# ---------------------------------------------------------------- what the form does not show


def kept_parts(tpl: IntegrationTemplate) -> list[str]:
    """Human lines naming what the template holds beyond the form (shown read-only)."""
    kept: list[str] = _unknowns(tpl, "Information")
    for scenario in tpl.scenarios:
        if scenario.id not in FORM_SCENARIOS:
            names = ", ".join(r.name for r in scenario.requests)
            count = len(scenario.requests)
            what = f"{count} request{'s' if count != 1 else ''}" + (f": {names}" if names else "")
            kept.append(f"Scenario {scenario.id} ({what})")
            continue
        kept.extend(_kept_in_scenario(scenario))
    if _flag(tpl.create_new_ticket) and tpl.scenario(v.CREATE_NEW_TICKET) is None:
        kept.append("Information CreateNewTicket=1")
    return [f"{line} — kept as written; edit in the XML view" for line in kept]


def _unknowns(node, where: str) -> list[str]:
    """Unknown attributes and non-empty unknown elements of one node."""
    found = [f'{where}: attribute {name}="{value}"' for name, value in node.other_attributes.items()]
    for child in node.other_children:
        if child.tag == COMMENT:
            found.append(f"{where}: a comment")
        elif child.tag == PROCESSING_INSTRUCTION:
            found.append(f"{where}: processing instruction {child.text.split(' ', 1)[0]}")
        elif child.attributes or child.children or child.text.strip():
            # Empty <Presets/> and <Responses/> are in every export and carry nothing.
            found.append(f"{where}: element <{child.tag}>")
    return found


def _kept_in_scenario(scenario: Scenario) -> list[str]:
    kept = _unknowns(scenario, f"Scenario {scenario.id}")
    owned_plain = {
        AUTH: set(AUTH_PARAMS),
        SYNC: SYNC_PARAMS,
        JOURNAL: JOURNAL_PARAMS,
    }.get(scenario.id, set())
    for p in scenario.parameters:
        owned = (not p.father and p.name in owned_plain) or (
            scenario.id == AUTH and (p.father == CUSTOM_FIELD or (p.father == HEADERS and p.type == "Header"))
        )
        if owned:
            kept.extend(_unknowns(p, f"{scenario.id} parameter {p.name}"))
            continue
        group = f"{p.father} " if p.father else ""
        kept.append(f"{scenario.id} parameter {group}{p.name}")
    owned_requests = {USERS: {USERS}, JOURNAL: {JOURNAL}}.get(scenario.id)
    for request in scenario.requests:
        if scenario.id == AUTH or (owned_requests is not None and request.name not in owned_requests):
            kept.append(f"{scenario.id} request {request.name}")
            continue
        kept.extend(_unknowns(request, f"{scenario.id} request {request.name}"))
        next_name = request.next
        if next_name:
            kept.append(f"{scenario.id} request {request.name}: Outputs Next={next_name}")
        owned_outputs = {
            SYNC: {cf.output for cf in CONTACT_FIELDS},
            USERS: {o for o, *_ in USER_FIELDS},
        }.get(scenario.id, set())
        for output in request.outputs:
            if output.name not in owned_outputs:
                kept.append(f"{scenario.id} request {request.name}: output {output.name}")
            else:
                kept.extend(_unknowns(output, f"{scenario.id} request {request.name} output {output.name}"))
    return kept


def describe_problem(problem: Problem) -> str:
    """A model validation problem for the form page.

    Its message already names the element and attribute; the line and column would point
    into XML the admin never saw, so they are left out.
    """
    return problem.message
