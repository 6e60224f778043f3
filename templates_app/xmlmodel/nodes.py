"""The template model: typed dataclasses for the elements the guide describes.

Every attribute is kept as the text written (``None`` when absent, ``""`` when written
empty), because a template must survive an edit byte-for-byte in meaning: a flag
written "yes" is shown and reported, not silently turned into False. Typed readings
(``flag()``, the scenario views) sit on top.

What the model does not know is kept, not dropped: unknown attributes in
``other_attributes`` (in written order), unknown child elements, comments and
processing instructions in ``other_children`` (as ``Unknown`` trees). Wrapper elements
(``<Scenarios>``, ``<Parameters>``, ``<Requests>``, ``<Outputs>``) are ``Group``s; a
group is ``None`` when the file did not have that wrapper, so serializing does not add
elements nobody wrote.

Equality ignores where things came from (``src``): parse -> serialize -> parse gives an
equal model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from . import vocabulary as v
from .positions import NOWHERE, Src
from .scenarios import (
    AuthMethodScenario,
    CommonScenario,
    ContactScenario,
    CreateNewContactScenario,
    GetGlobalInfoScenario,
    JournalScenario,
    UserAssociationScenario,
)

COMMENT = "#comment"
PROCESSING_INSTRUCTION = "#pi"


@dataclass(slots=True, kw_only=True)
class Unknown:
    """An element, comment (tag ``#comment``) or processing instruction (tag ``#pi``,
    ``text`` = "target data") the model does not interpret, kept verbatim."""

    tag: str
    attributes: dict[str, str] = field(default_factory=dict)
    children: list[Unknown] = field(default_factory=list)
    text: str = ""  # text content (whitespace-only text is layout and not kept)
    tail: str = ""  # text after it inside its parent
    src: Src = field(default=NOWHERE, compare=False, repr=False)


@dataclass(slots=True, kw_only=True)
class Node:
    """What every modelled element has besides its known attributes."""

    other_attributes: dict[str, str] = field(default_factory=dict)
    other_children: list[Unknown] = field(default_factory=list)
    text: str = ""
    tail: str = ""
    src: Src = field(default=NOWHERE, compare=False, repr=False)

    # (XML attribute name, field name), in the order a new element writes them.
    XML_ATTRIBUTES: ClassVar[tuple[tuple[str, str], ...]] = ()
    TAG: ClassVar[str] = ""

    def xml_attributes(self) -> dict[str, str]:
        """Known attributes that are present, by XML name, in canonical order."""
        found = {}
        for xml_name, attr in self.XML_ATTRIBUTES:
            value = getattr(self, attr)
            if value is not None:
                found[xml_name] = value
        return found


@dataclass(slots=True, kw_only=True)
class Group(Node):
    """A wrapper element (``<Scenarios>``, ``<Parameters>``, ``<Requests>``, ``<Outputs>``)."""


@dataclass(slots=True, kw_only=True)
class Output(Node):
    """``<Output Name= Path= Type=>``: a variable extracted from a response by a GJSON path."""

    name: str | None = None
    path: str | None = None
    type: str | None = None

    TAG: ClassVar[str] = "Output"
    XML_ATTRIBUTES: ClassVar[tuple[tuple[str, str], ...]] = (("Name", "name"), ("Path", "path"), ("Type", "type"))


@dataclass(slots=True, kw_only=True)
class Parameter(Node):
    """``<Parameter>``: a scenario setting, a custom field, a header or a request body.

    ``father`` groups parameters (CustomFieldList, PopulateTemplateString, TokenErrorMap,
    AuthOption, CustomScenarioParameter...); ``key`` is the ``Key=`` of custom fields.
    """

    father: str | None = None
    name: str | None = None
    type: str | None = None
    value: str | None = None
    editor: str | None = None
    title: str | None = None
    key: str | None = None
    description: str | None = None

    TAG: ClassVar[str] = "Parameter"
    XML_ATTRIBUTES: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Father", "father"), ("Name", "name"), ("Type", "type"), ("Value", "value"),
        ("Editor", "editor"), ("Title", "title"), ("Key", "key"), ("Description", "description"),
    )


@dataclass(slots=True, kw_only=True)
class Request(Node):
    """``<Request>``: one HTTP call.

    The guide writes the address as ``URLFormat`` everywhere except its overview
    example, which writes ``URL``; both are read, and the one written is kept
    (``address`` gives whichever is set). ``next`` is the ``Next=`` of its
    ``<Outputs>``: a request of the Common scenario run after this one.
    """

    name: str | None = None
    method: str | None = None
    weight: str | None = None
    response_type: str | None = None
    request_encoding: str | None = None
    url_format: str | None = None
    url: str | None = None
    parameters: list[Parameter] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    next: str | None = None
    parameters_group: Group | None = field(default_factory=Group)
    outputs_group: Group | None = field(default_factory=Group)

    TAG: ClassVar[str] = "Request"
    XML_ATTRIBUTES: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Name", "name"), ("Method", "method"), ("Weight", "weight"), ("ResponseType", "response_type"),
        ("RequestEncoding", "request_encoding"), ("URLFormat", "url_format"), ("URL", "url"),
    )

    @property
    def address(self) -> str | None:
        """The request URL template, from ``URLFormat`` or else ``URL``."""
        return self.url_format if self.url_format is not None else self.url

    @property
    def body(self) -> Parameter | None:
        """The ``<Parameter Type="Body">`` holding the request body, if any."""
        return next((p for p in self.parameters if p.type == v.BODY_TYPE), None)

    def output(self, name: str) -> Output | None:
        return next((o for o in self.outputs if o.name == name), None)


@dataclass(slots=True, kw_only=True)
class Scenario(Node):
    """``<Scenario Id= Type=>`` with its parameters and requests."""

    id: str | None = None
    type: str | None = None
    parameters: list[Parameter] = field(default_factory=list)
    requests: list[Request] = field(default_factory=list)
    parameters_group: Group | None = field(default_factory=Group)
    requests_group: Group | None = field(default_factory=Group)

    TAG: ClassVar[str] = "Scenario"
    XML_ATTRIBUTES: ClassVar[tuple[tuple[str, str], ...]] = (("Id", "id"), ("Type", "type"))

    def param(self, name: str) -> Parameter | None:
        """The first plain (Father-less) parameter called ``name``."""
        return next((p for p in self.parameters if p.name == name and not p.father), None)

    def value(self, name: str) -> str | None:
        """The Value of plain parameter ``name`` (None when absent or without Value)."""
        p = self.param(name)
        return p.value if p is not None else None

    def set_value(self, name: str, value: str | None) -> None:
        """Set plain parameter ``name`` (appending it when missing); None removes it."""
        p = self.param(name)
        if value is None:
            if p is not None:
                self.parameters.remove(p)
        elif p is None:
            self.parameters.append(Parameter(name=name, value=value))
        else:
            p.value = value

    def children_of(self, father: str) -> list[Parameter]:
        """Parameters grouped under ``Father=father``, in order."""
        return [p for p in self.parameters if p.father == father]

    def request(self, name: str) -> Request | None:
        return next((r for r in self.requests if r.name == name), None)


@dataclass(slots=True, kw_only=True)
class IntegrationTemplate(Node):
    """The ``<Information>`` root: template properties and scenarios, in order.

    ``root_tag`` is the root element's name as written (validation insists on
    Information); ``leading``/``trailing`` hold comments and processing instructions
    around the root.
    """

    root_tag: str = v.ROOT_TAG
    provider: str | None = None
    name: str | None = None
    key: str | None = None
    logo: str | None = None
    remark: str | None = None
    version: str | None = None
    auth_type: str | None = None
    max_concurrent_request: str | None = None
    user_association: str | None = None
    call_journal: str | None = None
    create_new_contact: str | None = None
    create_new_ticket: str | None = None
    scenarios: list[Scenario] = field(default_factory=list)
    scenarios_group: Group | None = field(default_factory=Group)
    leading: list[Unknown] = field(default_factory=list)
    trailing: list[Unknown] = field(default_factory=list)

    TAG: ClassVar[str] = v.ROOT_TAG
    XML_ATTRIBUTES: ClassVar[tuple[tuple[str, str], ...]] = (
        ("Provider", "provider"), ("Name", "name"), ("Key", "key"), ("Logo", "logo"), ("Remark", "remark"),
        ("Version", "version"), ("AuthType", "auth_type"), ("MaxConcurrentRequest", "max_concurrent_request"),
        ("UserAssociation", "user_association"), ("CallJournal", "call_journal"),
        ("CreateNewContact", "create_new_contact"), ("CreateNewTicket", "create_new_ticket"),
    )

    def scenario(self, scenario_id: str) -> Scenario | None:
        """The first scenario with this Id."""
        return next((s for s in self.scenarios if s.id == scenario_id), None)

    def flag(self, attribute: str) -> bool:
        """Whether feature attribute (e.g. "CallJournal") is "1"."""
        attr = dict(self.XML_ATTRIBUTES).get(attribute)
        return attr is not None and getattr(self, attr) == "1"

    @property
    def max_concurrent_requests(self) -> int | None:
        """MaxConcurrentRequest as a number (None when absent or not a number)."""
        text = (self.max_concurrent_request or "").strip()
        return int(text) if text.isascii() and text.isdecimal() else None

    # Typed views of the known scenarios (None when the template lacks the scenario).
    def _view(self, scenario_id: str, kind: type):
        s = self.scenario(scenario_id)
        return kind(s) if s is not None else None

    @property
    def auth_method_scenario(self) -> AuthMethodScenario | None:
        return self._view(v.AUTH_METHOD, AuthMethodScenario)

    @property
    def user_association_scenario(self) -> UserAssociationScenario | None:
        return self._view(v.USER_ASSOCIATION, UserAssociationScenario)

    @property
    def sync_contact_auto_scenario(self) -> ContactScenario | None:
        return self._view(v.SYNC_CONTACT_AUTO, ContactScenario)

    @property
    def search_contact_scenario(self) -> ContactScenario | None:
        return self._view(v.SEARCH_CONTACT, ContactScenario)

    @property
    def create_new_contact_scenario(self) -> CreateNewContactScenario | None:
        return self._view(v.CREATE_NEW_CONTACT, CreateNewContactScenario)

    @property
    def create_new_ticket_scenario(self) -> JournalScenario | None:
        return self._view(v.CREATE_NEW_TICKET, JournalScenario)

    @property
    def call_journal_scenario(self) -> JournalScenario | None:
        return self._view(v.CALL_JOURNAL, JournalScenario)

    @property
    def common_scenario(self) -> CommonScenario | None:
        return self._view(v.COMMON, CommonScenario)

    @property
    def get_global_info_scenario(self) -> GetGlobalInfoScenario | None:
        return self._view(v.GET_GLOBAL_INFO, GetGlobalInfoScenario)
