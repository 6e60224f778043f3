"""Typed views of the scenarios the guide describes.

A view wraps a ``Scenario`` and reads (and writes) its parameters by the names the
guide gives them, e.g. ``tpl.auth_method_scenario.token_end_point``. Views hold no
data of their own, so the model's equality and serialization only ever see the
``Scenario`` underneath.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import vocabulary as v

if TYPE_CHECKING:
    from .nodes import Output, Parameter, Request, Scenario


class _Setting:
    """A plain parameter of the scenario, read and written by its Name."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, view: ScenarioView | None, owner: type) -> str | None:
        if view is None:
            return self  # type: ignore[return-value]
        return view.scenario.value(self.name)

    def __set__(self, view: ScenarioView, value: str | None) -> None:
        view.scenario.set_value(self.name, value)


class ScenarioView:
    """Base of the typed views: the scenario and its plain lookups."""

    __slots__ = ("scenario",)

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario

    @property
    def requests(self) -> list[Request]:
        return self.scenario.requests

    @property
    def parameters(self) -> list[Parameter]:
        return self.scenario.parameters

    def request(self, name: str) -> Request | None:
        return self.scenario.request(name)

    def value(self, name: str) -> str | None:
        return self.scenario.value(name)


class AuthMethodScenario(ScenarioView):
    """``<Scenario Id="AuthMethod" Type="AUTH">``."""

    __slots__ = ()

    auth_method = _Setting("AuthMethod")
    auth_end_point = _Setting("AuthEndPoint")
    token_end_point = _Setting("TokenEndPoint")
    additional_query_string = _Setting("AdditionalQueryString")
    scope = _Setting("Scope")
    credential_type = _Setting("CredentialType")
    base64_encoded_credential = _Setting("Base64EncodedCredential")
    token_refresh_interval = _Setting("TokenRefreshInterval")
    token_type = _Setting("TokenType")

    @property
    def custom_fields(self) -> list[Parameter]:
        """``Father="CustomFieldList"``: inputs shown to the admin (Name, Editor, Title, Value, Key)."""
        return self.scenario.children_of(v.CUSTOM_FIELD_LIST)

    @property
    def headers(self) -> list[Parameter]:
        """``Father="PopulateTemplateString"``: HTTP headers (Name, Type="Header", Value, Description)."""
        return self.scenario.children_of(v.POPULATE_TEMPLATE_STRING)

    @property
    def token_error_map(self) -> list[Parameter]:
        """``Father="TokenErrorMap"``: how to recognise a token error in a response."""
        return self.scenario.children_of(v.TOKEN_ERROR_MAP)

    @property
    def token_invalid(self) -> str | None:
        """The response text that marks the token as invalid (TokenErrorMap TokenInvalid)."""
        return next((p.value for p in self.token_error_map if p.name == "TokenInvalid"), None)

    @property
    def auth_options(self) -> dict[str, str | None]:
        """``Father="AuthOption"`` settings by Name, e.g. NoNeedRefreshAccessToken."""
        return {p.name or "": p.value for p in self.scenario.children_of(v.AUTH_OPTION)}

    @property
    def no_need_refresh_access_token(self) -> bool:
        return self.auth_options.get("NoNeedRefreshAccessToken") == "1"


class UserAssociationScenario(ScenarioView):
    """``<Scenario Id="UserAssociation">``: one request, named UserAssociation."""

    __slots__ = ()

    @property
    def user_request(self) -> Request | None:
        return self.request(v.USER_ASSOCIATION)


class ContactScenario(ScenarioView):
    """``SyncContactAuto`` (and ``SearchContact``): one request per contact type."""

    __slots__ = ()

    contact_url_type = _Setting("ContactUrlType")
    url_format = _Setting("URLFormat")
    contact_field_for_uri = _Setting("ContactFieldForUri")

    @property
    def contact_requests(self) -> list[Request]:
        return self.scenario.requests

    @property
    def flags(self) -> dict[str, str | None]:
        """The 21 ``<Field>Enable`` settings by field name (None when not written)."""
        return {f: self.scenario.value(f + "Enable") for f in v.CONTACT_FIELDS}

    def enabled(self, contact_field: str) -> bool:
        """Whether ``<contact_field>Enable`` is "1"."""
        return self.scenario.value(contact_field + "Enable") == "1"

    def set_enabled(self, contact_field: str, on: bool) -> None:
        self.scenario.set_value(contact_field + "Enable", "1" if on else "0")


class CreateNewContactScenario(ScenarioView):
    """``<Scenario Id="CreateNewContact">``: one POST request per contact type."""

    __slots__ = ()

    @property
    def contact_requests(self) -> list[Request]:
        return self.scenario.requests


class JournalScenario(ScenarioView):
    """``CallJournal`` and ``CreateNewTicket``: subject/description defaults and one
    request named like the scenario."""

    __slots__ = ()

    enable_subject = _Setting("EnableSubject")
    subject = _Setting("Subject")
    enable_description = _Setting("EnableDescription")
    description = _Setting("Description")
    enable_play_call_recording = _Setting("EnablePlayCallRecording")
    play_call_recording = _Setting("PlayCallRecording")

    @property
    def main_request(self) -> Request | None:
        """The request named after the scenario (CallJournal / CreateNewTicket)."""
        return self.request(self.scenario.id or "")


class CommonScenario(ScenarioView):
    """``<Scenario Id="Common">``: requests run through ``<Outputs Next="...">``."""

    __slots__ = ()


class GetGlobalInfoScenario(ScenarioView):
    """``<Scenario Id="GetGlobalInfo">``: requests whose Outputs become global variables."""

    __slots__ = ()

    @property
    def variables(self) -> list[Output]:
        return [o for r in self.scenario.requests for o in r.outputs]
