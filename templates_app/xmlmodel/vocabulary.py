"""The names the guide's XML reference defines: the one place that says them.

The validator, the Add/Edit form, its mapping onto the model and (next) the request
engine all read this module; none keeps its own list of methods, fields or patterns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ROOT_TAG = "Information"

PROVIDERS = ("crm", "helpdesk")
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

# The AuthMethod scenario's plain parameters that belong to one method or another, in
# the order the guide's example writes them (after AuthMethod itself).
AUTH_SETTINGS = (
    "AuthEndPoint", "TokenEndPoint", "AdditionalQueryString", "Scope",
    "CredentialType", "Base64EncodedCredential", "TokenRefreshInterval",
)


@dataclass(frozen=True)
class AuthMethodSpec:
    """One authentication method as the guide's reference describes it."""

    name: str  # the AuthType / AuthMethod value
    label: str  # as the PBX's pages name it
    max_custom_fields: int
    settings: tuple[str, ...]  # the AUTH_SETTINGS that apply to it
    required: tuple[str, ...]  # of those, the ones that must have a value


# Custom fields: the guide says None "Supports up to 5 custom fields", Basic "up to 5
# fields", Bearer Token "up to 10 fields". For OAuth2 it gives no number; 10, the largest
# limit it states anywhere, refuses no template the PBX could accept.
AUTH_METHODS: dict[str, AuthMethodSpec] = {
    spec.name: spec
    for spec in (
        AuthMethodSpec("none", "None", 5, (), ()),
        AuthMethodSpec("basic", "Basic", 5, ("CredentialType", "Base64EncodedCredential"), ("Base64EncodedCredential",)),
        AuthMethodSpec(
            "oauth2", "OAuth2", 10, ("AuthEndPoint", "TokenEndPoint", "AdditionalQueryString", "Scope"),
            ("AuthEndPoint", "TokenEndPoint"),
        ),
        AuthMethodSpec("bearertoken", "Bearer Token", 10, ("TokenEndPoint", "TokenRefreshInterval"), ("TokenEndPoint",)),
    )
}
AUTH_TYPES = tuple(AUTH_METHODS)


def methods_using(setting: str) -> frozenset[str]:
    """The authentication methods a setting of AUTH_SETTINGS belongs to."""
    return frozenset(spec.name for spec in AUTH_METHODS.values() if setting in spec.settings)


# Choices with the labels the guide's pages use.
CREDENTIAL_TYPE_LABELS = {"username_password": "Username and Password", "api_key": "API Key"}
CREDENTIAL_TYPES = tuple(CREDENTIAL_TYPE_LABELS)
EDITOR_LABELS = {"string": "Text Input", "password": "Password Input", "list": "Dropdown List"}
EDITORS = tuple(EDITOR_LABELS)
CONTACT_URL_TYPE_LABELS = {
    "specify_url_format": "Specify URL Format",
    "retrieve_from_contact": "Retrieve from Contact Fields",
}
CONTACT_URL_TYPES = tuple(CONTACT_URL_TYPE_LABELS)

# A custom field's Name becomes a template variable ({{.name}}), so it must be a name
# Go's field syntax can reach.
VARIABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A header name is an HTTP token (RFC 9110).
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")

# Scenario Ids the guide describes (SearchContact is not in the guide's reference but
# every real-world export has it, shaped like SyncContactAuto).
AUTH_METHOD = "AuthMethod"
USER_ASSOCIATION = "UserAssociation"
SYNC_CONTACT_AUTO = "SyncContactAuto"
SEARCH_CONTACT = "SearchContact"
CREATE_NEW_CONTACT = "CreateNewContact"
CREATE_NEW_TICKET = "CreateNewTicket"
CALL_JOURNAL = "CallJournal"
COMMON = "Common"
GET_GLOBAL_INFO = "GetGlobalInfo"

SCENARIO_TYPES = ("AUTH", "REST")

# Information attribute -> the scenario that must exist when it is "1".
FEATURE_SCENARIOS = {
    "UserAssociation": USER_ASSOCIATION,
    "CallJournal": CALL_JOURNAL,
    "CreateNewContact": CREATE_NEW_CONTACT,
    "CreateNewTicket": CREATE_NEW_TICKET,
}

# Parameter "Father" values of the AuthMethod scenario.
CUSTOM_FIELD_LIST = "CustomFieldList"
POPULATE_TEMPLATE_STRING = "PopulateTemplateString"
TOKEN_ERROR_MAP = "TokenErrorMap"
AUTH_OPTION = "AuthOption"




@dataclass(frozen=True)
class ContactField:
    """One PBX contact field of SyncContactAuto's Contact Field Mapping."""

    output: str  # the <Output Name> in contact requests
    label: str  # as the guide's page names it
    example: str  # a GJSON path shown as the field's placeholder
    phone: bool = False
    required: bool = False  # the guide: Contact ID and First Name are required

    @property
    def enable(self) -> str:
        """The SyncContactAuto <Parameter Name> that switches the field on."""
        return f"{self.output}Enable"

    @property
    def slug(self) -> str:
        """A form field stem: "BusinessNumber2" → "business_number_2"."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.output).lower().replace("_number2", "_number_2")


# In the guide's order.
CONTACT_MAPPING = (
    ContactField("ContactsId", "Contact ID", "data.#.id", required=True),
    ContactField("FirstName", "First Name", "data.#.first_name", required=True),
    ContactField("LastName", "Last Name", "data.#.last_name"),
    ContactField("Company", "Company", "data.#.company"),
    ContactField("Email", "Email", "data.#.email"),
    ContactField("BusinessNumber", "Business Number", "data.#.phone", phone=True),
    ContactField("BusinessNumber2", "Business Number 2", "data.#.phone2", phone=True),
    ContactField("BusinessFaxNumber", "Business Fax", "data.#.fax", phone=True),
    ContactField("MobileNumber", "Mobile Number", "data.#.mobile", phone=True),
    ContactField("MobileNumber2", "Mobile Number 2", "data.#.mobile2", phone=True),
    ContactField("HomeNumber", "Home Number", "data.#.home_phone", phone=True),
    ContactField("HomeNumber2", "Home Number 2", "data.#.home_phone2", phone=True),
    ContactField("HomeFaxNumber", "Home Fax", "data.#.home_fax", phone=True),
    ContactField("OtherNumber", "Other Number", "data.#.other_phone", phone=True),
    ContactField("ZipCode", "Zip Code", "data.#.zip"),
    ContactField("Street", "Street", "data.#.street"),
    ContactField("City", "City", "data.#.city"),
    ContactField("State", "State/Province", "data.#.state"),
    ContactField("Country", "Country", "data.#.country"),
    ContactField("Remark", "Remark", "data.#.description"),
    ContactField("CustomValue", "Custom Value", "data.#.module"),
)
CONTACT_FIELDS = tuple(cf.output for cf in CONTACT_MAPPING)
PHONE_FIELDS = tuple(cf.output for cf in CONTACT_MAPPING if cf.phone)
REQUIRED_CONTACT_FIELDS = tuple(cf.output for cf in CONTACT_MAPPING if cf.required)

# Journal-like scenarios (CreateNewTicket, CallJournal): their 0/1 settings.
JOURNAL_FLAGS = ("EnableSubject", "EnableDescription", "EnablePlayCallRecording", "PlayCallRecording")

BODY_TYPE = "Body"
BODY_NAME = "Data"
HEADER_TYPE = "Header"
