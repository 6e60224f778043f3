"""The Add / Edit template form: TemplateForm for the single-valued settings, in the
order of the guide's "Add a CRM Integration Template", and the forms of the repeating
rows (custom fields, headers, contact types to search and to create) that
formsets.py gathers.

Every Go-template field and every GJSON path field is checked here with the same
checks the page runs live (checks.py), so a save can never store what the live check
would have flagged.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy

from templates_app.xmlmodel import vocabulary as v
from templates_app.xmlmodel.limits import MAX_CUSTOM_FIELDS

from . import checks

AUTH_METHODS = [(spec.name, spec.label) for spec in v.AUTH_METHODS.values()]
# The guide's limits, shared with the XML validator so form and upload agree.
CUSTOM_FIELD_LIMITS = MAX_CUSTOM_FIELDS
# The guide: "If left blank, the system will automatically refresh the access token every
# 25 minutes by default."
DEFAULT_TOKEN_REFRESH_MINUTES = 25

CREDENTIAL_TYPES = list(v.CREDENTIAL_TYPE_LABELS.items())
EDITOR_TYPES = list(v.EDITOR_LABELS.items())
CONTACT_URL_TYPES = list(v.CONTACT_URL_TYPE_LABELS.items())

# The form field of each AuthMethod setting (vocabulary.AUTH_SETTINGS).
SETTING_FIELDS = {
    "AuthEndPoint": "auth_endpoint",
    "TokenEndPoint": "token_endpoint",
    "AdditionalQueryString": "additional_query_string",
    "Scope": "scope",
    "CredentialType": "credential_type",
    "Base64EncodedCredential": "base64_credential",
    "TokenRefreshInterval": "token_refresh_minutes",
}
# The methods each of those fields belongs to (the guide's reference: "only available
# for … authentication method"): the page shows a field only for its methods.
METHOD_FIELDS = {field: v.methods_using(setting) for setting, field in SETTING_FIELDS.items()}

DEFAULT_SUBJECT = "Extension Call"
DEFAULT_DESCRIPTION = "{{.Time}} {{.Communication_Type}} {{.Call_Status}} - from {{.Call_From}} to {{.Call_To}} {{.Talk_Duration}}"


# Contact Field Mapping: the guide's two required fields, then the 19 others, each with
# its own enable switch (vocabulary.CONTACT_MAPPING).
REQUIRED_CONTACT_FIELDS = [cf for cf in v.CONTACT_MAPPING if cf.required]
OPTIONAL_CONTACT_FIELDS = [cf for cf in v.CONTACT_MAPPING if not cf.required]
CONTACT_FIELDS = REQUIRED_CONTACT_FIELDS + OPTIONAL_CONTACT_FIELDS

USER_FIELDS = [
    ("UserUniqueId", "user_id_path", "User Unique ID", "users.#.id"),
    ("FirstName", "user_first_name_path", "First Name", "users.#.First_Name"),
    ("LastName", "user_last_name_path", "Last Name", "users.#.Last_Name"),
    ("Email", "user_email_path", "Email", "users.#.Email"),
]



class TemplateField(forms.CharField):
    """Text that is a Go template (URL, body, header value…), checked by the parser."""

    check_kind = "template"

    def __init__(self, *, placeholder: str = "", rows: int = 0, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("strip", False)
        attrs = {
            "placeholder": placeholder,
            "data-check": self.check_kind,
            "spellcheck": "false",
            "autocomplete": "off",
            # Live check: htmx posts the field (its name is the HX-Trigger-Name) after a
            # 300 ms typing pause and swaps the verdict into the field's .field-check box.
            "hx-post": reverse_lazy("templates_app:check_field"),
            "hx-trigger": "keyup changed delay:300ms, change",
            "hx-target": "next .field-check",
            "hx-swap": "innerHTML",
            "hx-sync": "this:replace",
        }
        widget = forms.Textarea(attrs={**attrs, "rows": rows}) if rows else forms.TextInput(attrs=attrs)
        super().__init__(widget=widget, **kwargs)

    def validate(self, value: str) -> None:
        super().validate(value)
        problem = checks.check(self.check_kind, value)
        if problem:
            raise forms.ValidationError(problem, code="syntax")


class PathField(TemplateField):
    """A GJSON path (or comma-separated paths), checked with the GJSON path syntax."""

    check_kind = "path"

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("strip", True)
        super().__init__(**kwargs)


def field_kind(name: str) -> str | None:
    """The check kind of a posted field name (formset prefixes included), or None."""
    base = name.rsplit("-", 1)[-1]
    # An instance, not base_fields: the contact mapping fields are added in __init__.
    for fields in (
        TemplateForm().fields,
        *(f.base_fields for f in (HeaderForm, SearchTypeForm, CreateTypeForm)),
    ):
        field = fields.get(base)
        if isinstance(field, TemplateField):
            return field.check_kind
    return None


def conditional_requirements() -> dict[str, tuple[str, str]]:
    """Fields required only for some choices: field → (the page's rule for when, in
    data-show-if's terms; the reason as the error says it). The page marks and checks
    them live from this, and clean() refuses by it, so they cannot disagree."""
    found: dict[str, tuple[str, str]] = {
        "get_user_url": ("user_association", "when User Association is on"),
        "user_id_path": ("user_association", "when User Association is on"),
        "url_format": ("contact_url_type=specify_url_format", "when the popup URL is specified by format"),
        "contact_field_for_uri": ("contact_url_type=retrieve_from_contact",
                                  "when the URL is retrieved from a contact field"),
        "journal_url": ("call_journal", "when Call Journal is on"),
    }
    for setting, field in SETTING_FIELDS.items():
        methods = [spec.name for spec in v.AUTH_METHODS.values() if setting in spec.required]
        if methods:
            # "{choice}": the chosen method's label, filled in where the rule holds.
            found[field] = ("auth_method=" + " ".join(methods), "for {choice} authentication")
    return found


REQUIRED_WHEN = conditional_requirements()


def _require(form: forms.Form, names: list[str], reason: str) -> None:
    for name in names:
        if name not in form.errors and not (form.cleaned_data.get(name) or "").strip():
            form.add_error(name, f"Required {reason}.")


def _holds(rule: str, data: dict) -> bool:
    """A data-show-if rule ("name" for a switch, "name=a b" for a choice) on cleaned data."""
    name, _, values = rule.partition("=")
    value = data.get(name)
    return str(value or "") in values.split() if values else bool(value)


class TemplateForm(forms.Form):
    """The single-valued settings of a template."""

    # The revision the Edit page was loaded from (library.TemplateEditConflict).
    base_revision = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    # General
    logo = forms.FileField(
        required=False,
        help_text="PNG (recommended), JPG or JPEG; suggested 150 × 150; less than 500 KB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg,image/png,image/jpeg"}),
    )
    name = forms.CharField(
        label="CRM Name", max_length=200, widget=forms.TextInput(attrs={"placeholder": "Zoho CRM"})
    )
    max_concurrent_request = forms.IntegerField(
        label="Max Concurrent Request",
        min_value=1,
        max_value=1000,
        initial=10,
        help_text="The maximum number of concurrent HTTP requests allowed to the CRM.",
    )
    remark = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Shown in the Template Management list"}),
    )

    # User Association
    user_association = forms.BooleanField(label="User Association", required=False)
    get_user_url = TemplateField(
        label="Get User", placeholder="https://www.api.example.com/v1/users?type=ActiveUsers"
    )
    user_id_path = PathField(label="User Unique ID", placeholder="users.#.id")
    user_first_name_path = PathField(label="First Name", placeholder="users.#.First_Name")
    user_last_name_path = PathField(label="Last Name", placeholder="users.#.Last_Name")
    user_email_path = PathField(label="Email", placeholder="users.#.Email")

    # Authentication Method
    auth_method = forms.ChoiceField(label="Authentication Method", choices=AUTH_METHODS, initial="none")
    credential_type = forms.ChoiceField(
        label="Credential Type", choices=CREDENTIAL_TYPES, initial="username_password", required=False
    )
    base64_credential = TemplateField(
        label="Base64 Encoded Credential", placeholder="{{.username}}:{{.password}} or {{.api_key}}"
    )
    auth_endpoint = TemplateField(
        label="Authorization Endpoint",
        placeholder="https://www.api.example.com/oauth/v2/auth?client_id={{.client_id}}",
    )
    token_endpoint = TemplateField(
        label="Token Endpoint",
        placeholder="https://www.api.example.com/oauth/v2/token?client_id={{.client_id}}&client_secret={{.client_secret}}",
    )
    scope = forms.CharField(
        label="Scope (Optional)",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "contacts.read,contacts.write,calls.read,calls.write"}),
        help_text="Use comma to separate multiple fields.",
    )
    additional_query_string = TemplateField(
        label="Additional Query String (Optional)",
        placeholder="client_id={{.client_id}}&redirect_uri={{.redirect_uri}}",
    )
    token_refresh_minutes = forms.IntegerField(
        label="Token Refresh Time (min)",
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs={"placeholder": str(DEFAULT_TOKEN_REFRESH_MINUTES)}),
        help_text=f"Blank: refresh every {DEFAULT_TOKEN_REFRESH_MINUTES} minutes. 0: never refresh automatically.",
    )

    # Synchronize Contacts
    contact_url_type = forms.ChoiceField(
        label="Contact Popup URL", choices=CONTACT_URL_TYPES, initial="specify_url_format"
    )
    url_format = TemplateField(
        label="URL Format",
        placeholder="{{.crm_url}}/crm/{{.CustomValue}}/tab/{{Capitalize .ContactSyncType}}/{{.ContactId}}",
    )
    contact_field_for_uri = PathField(label="Contact Field for URL", placeholder="data.#.contacturl")

    # Create New Contact
    create_new_contact = forms.BooleanField(label="Create New Contact", required=False)

    # Call Journal
    call_journal = forms.BooleanField(label="Call Journal", required=False)
    journal_url = TemplateField(
        label="Create Call Journal URL (POST)", placeholder="https://www.api.example.com/crm/v2/Calls"
    )
    journal_body = TemplateField(
        label="Call Journal Creation Request Data",
        rows=6,
        placeholder='{"data": [{"Subject": "{{.Subject}}", "Description": "{{.Description}}"}]}',
    )
    enable_subject = forms.BooleanField(label="Subject", required=False, initial=True)
    subject = TemplateField(label="Default subject", initial=DEFAULT_SUBJECT, placeholder=DEFAULT_SUBJECT)
    enable_description = forms.BooleanField(label="Description", required=False, initial=True)
    description = TemplateField(
        label="Default description", rows=2, initial=DEFAULT_DESCRIPTION, placeholder=DEFAULT_DESCRIPTION
    )
    enable_play_call_recording = forms.BooleanField(label="Play Call Recording", required=False, initial=True)
    play_call_recording = forms.BooleanField(
        label="Play call recordings by default", required=False, initial=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Contact Field Mapping: two required paths, then an enable switch + path for the rest.
        for cf in REQUIRED_CONTACT_FIELDS:
            self.fields[f"{cf.slug}_path"] = PathField(label=cf.label, placeholder=cf.example)
        for cf in OPTIONAL_CONTACT_FIELDS:
            self.fields[f"{cf.slug}_enable"] = forms.BooleanField(label=cf.label, required=False)
            self.fields[f"{cf.slug}_path"] = PathField(label=cf.label, placeholder=cf.example)
        # Required only for some choices: marked, and checked as the admin leaves the field.
        rules = {**REQUIRED_WHEN, **{f"{cf.slug}_path": ("", "(a required contact field)")
                                     for cf in REQUIRED_CONTACT_FIELDS}}
        for name, (rule, reason) in rules.items():
            field = self.fields[name]
            field.required_if = rule or "always"
            field.widget.attrs.update({"data-required-if": rule or "always",
                                       "data-required-message": f"Required {reason}."})

    def contact_field_rows(self) -> list[tuple[v.ContactField, forms.BoundField | None, forms.BoundField]]:
        """(field, enable switch or None, path) for the template, in the guide's order."""
        rows = []
        for cf in CONTACT_FIELDS:
            enable = self[f"{cf.slug}_enable"] if f"{cf.slug}_enable" in self.fields else None
            rows.append((cf, enable, self[f"{cf.slug}_path"]))
        return rows

    def inactive_fields(self) -> set[str]:
        """Fields the page hides for the current choices: their value is not written, so
        a problem in one must not block the save from a place the admin cannot see."""
        data = self.cleaned_data
        method = data.get("auth_method")
        hidden = {field for field, methods in METHOD_FIELDS.items() if method not in methods}
        if not data.get("user_association"):
            hidden |= {"get_user_url", *(field for _output, field, _label, _example in USER_FIELDS)}
        if not data.get("call_journal"):
            hidden |= {"journal_url", "journal_body", "subject", "description"}
        for cf in OPTIONAL_CONTACT_FIELDS:
            if not data.get(f"{cf.slug}_enable"):
                hidden.add(f"{cf.slug}_path")
        return hidden

    def clean(self) -> dict:
        data = super().clean()
        for name in self.inactive_fields():
            self.errors.pop(name, None)
        method = data.get("auth_method")
        spec = v.AUTH_METHODS.get(method or "")
        for name, (rule, reason) in REQUIRED_WHEN.items():
            if _holds(rule, data):
                _require(self, [name], reason.replace("{choice}", spec.label if spec else ""))
        if method == "basic" and not data.get("credential_type"):
            self.add_error("credential_type", "Choose the credential type.")
        _require(self, [f"{cf.slug}_path" for cf in REQUIRED_CONTACT_FIELDS], "(a required contact field)")
        if not any(data.get(f"{cf.slug}_enable") for cf in OPTIONAL_CONTACT_FIELDS if cf.phone):
            self.add_error(None, "Enable and map at least one phone number in Contact Field Mapping.")
        return data


class CustomFieldForm(forms.Form):
    """A field the admin fills in on the integration page (<Parameter Father="CustomFieldList">)."""

    # The name the row had when the page was drawn: a rename keeps the Parameter's other
    # attributes (Key=, hand-written extras) instead of making a new Parameter.
    original = forms.CharField(required=False, widget=forms.HiddenInput)
    editor = forms.ChoiceField(label="Type", choices=EDITOR_TYPES, initial="string")
    name = forms.CharField(max_length=64, widget=forms.TextInput(attrs={"placeholder": "client_id"}))
    title = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"placeholder": "Client ID"}))
    options = forms.CharField(
        label="Dropdown Options",
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"placeholder": "option1,option2"}),
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not v.VARIABLE_NAME.fullmatch(name):
            raise forms.ValidationError(
                "Use letters, digits and _ only, not starting with a digit: the name is used as {{.name}}."
            )
        return name

    def clean(self) -> dict:
        data = super().clean()
        if data.get("editor") == "list" and not (data.get("options") or "").strip():
            self.add_error("options", "A Dropdown List needs its options, separated by commas.")
        return data


class HeaderForm(forms.Form):
    """A header sent with every request (<Parameter Father="PopulateTemplateString" Type="Header">)."""

    original = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"placeholder": "Content-Type"}))
    value = TemplateField(placeholder="application/json")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not v.HEADER_NAME.fullmatch(name):
            raise forms.ValidationError("A header name has no spaces, colons or quotes.")
        return name


class SearchTypeForm(forms.Form):
    """A contact type and the request that searches it (a SyncContactAuto <Request>)."""

    original = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label="Contact Type", max_length=100, widget=forms.TextInput(attrs={"placeholder": "Contacts"})
    )
    url = TemplateField(
        label="Contact Match Query URL",
        required=True,
        placeholder="https://www.api.example.com/crm/v1/Contacts/search?criteria=(Phone:equals:{{.Phone}})",
    )


class CreateTypeForm(forms.Form):
    """A contact type and the request that creates it (a CreateNewContact <Request>)."""

    original = forms.CharField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label="Contact Type", max_length=100, widget=forms.TextInput(attrs={"placeholder": "Contacts"})
    )
    url = TemplateField(
        label="Contact Creation URL (POST)",
        required=True,
        placeholder="https://www.api.example.com/crm/v1/Contacts",
    )
    body = TemplateField(
        label="Contact Creation Request Body",
        rows=5,
        placeholder='{"data": [{"Last_Name": "{{.LastName}}", "First_Name": "{{.FirstName}}", "Phone": "{{.BusinessNumber}}"}]}',
    )
