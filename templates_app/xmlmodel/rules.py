"""The rules of the guide's XML reference, checked on a parsed template.

Each rule reports a Problem at the attribute (or element) it is about, saying what is
wrong and what to write instead. Rules only judge what the guide states; where it is
silent or inconsistent the choice is noted here and in docs/template-format.md.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from . import vocabulary as v
from .errors import Problem
from .expressions import path_errors, template_error
from .limits import MAX_CUSTOM_FIELDS, MAX_HEADERS
from .nodes import IntegrationTemplate, Node, Output, Parameter, Request, Scenario, Unknown
from .positions import Src

_FLAG_VALUES = ("0", "1")

# Which children each container reads; anything else is kept as an unknown element.
_READS = {
    "Information": ("Scenarios",), "Scenarios": ("Scenario",), "Scenario": ("Parameters", "Requests"),
    "Parameters": ("Parameter",), "Requests": ("Request",), "Request": ("Parameters", "Outputs"),
    "Outputs": ("Output",), "Parameter": (), "Output": (),
}
_WRAPPER_OF = {"Scenario": "Scenarios", "Parameter": "Parameters", "Request": "Requests", "Output": "Outputs"}


def validate_template(tpl: IntegrationTemplate) -> list[Problem]:
    """Every rule the template breaks, sorted by position (empty list: valid)."""
    checker = _Checker(tpl)
    checker.run()
    return sorted(checker.problems, key=lambda p: (p.line, p.col))


def _describe(node: Node | Unknown, tag: str = "") -> str:
    if isinstance(node, Unknown):
        return f"<{node.tag}>"
    tag = tag or node.TAG
    if isinstance(node, IntegrationTemplate):
        return f"<{node.root_tag or tag}>"
    if isinstance(node, Scenario) and node.id:
        return f'<Scenario Id="{node.id}">'
    if isinstance(node, Parameter) and node.name is not None:
        father = f'Father="{node.father}" ' if node.father else ""
        return f'<Parameter {father}Name="{node.name}">'
    if isinstance(node, (Request, Output)) and node.name:
        return f'<{tag} Name="{node.name}">'
    return f"<{tag}>"


def _blank(value: str | None) -> bool:
    return not value or value.isspace()


def _whole(value: str) -> bool:
    """A whole number written with ASCII digits (str.isdigit also accepts "²")."""
    value = value.strip()
    return value.isascii() and value.isdecimal()


class _Checker:
    def __init__(self, tpl: IntegrationTemplate) -> None:
        self.tpl = tpl
        self.problems: list[Problem] = []
        self._parents: dict[int, Node | Unknown] | None = None

    # -- reporting ------------------------------------------------------------------

    def report(self, node: Node | Unknown, message: str, attribute: str = "", index: int = 0, tag: str = "") -> None:
        """Record a problem about ``node`` (its ``attribute``, at character ``index`` of the value)."""
        where = f"in {_describe(node, tag)}" + (f" attribute {attribute}" if attribute else "")
        line, col = self._position(node, attribute, index)
        element = node.tag if isinstance(node, Unknown) else (tag or node.TAG)
        if isinstance(node, IntegrationTemplate):
            element = node.root_tag or element
        self.problems.append(Problem(line, col, f"{where}: {message}", element=element, attribute=attribute))

    def _position(self, node: Node | Unknown, attribute: str, index: int) -> tuple[int, int]:
        src: Src = node.src
        if src.known:
            if attribute:
                found = src.attribute_position(attribute, index)
                if found is not None:
                    return found
            return src.position()
        # A node added in code has no place in the file: point at its nearest ancestor that has.
        parents = self._parent_map()
        current: object = node
        while (parent := parents.get(id(current))) is not None:
            if parent.src.known:
                return parent.src.position()
            current = parent
        return (0, 0)

    def _parent_map(self) -> dict[int, Node | Unknown]:
        """id(child) -> parent for every node (built only when a node lacks a position)."""
        if self._parents is None:
            parents: dict[int, Node | Unknown] = {}

            def walk(node: Node | Unknown) -> None:
                if isinstance(node, Unknown):
                    children: list = list(node.children)
                else:
                    children = list(node.other_children)
                    for name in ("scenarios", "parameters", "requests", "outputs"):
                        children.extend(getattr(node, name, ()))
                    for name in ("scenarios_group", "parameters_group", "requests_group", "outputs_group"):
                        group = getattr(node, name, None)
                        if group is not None:
                            children.append(group)
                for child in children:
                    parents[id(child)] = node
                    walk(child)

            walk(self.tpl)
            self._parents = parents
        return self._parents

    def line_of(self, node: Node) -> str:
        line = node.src.line
        return f" on line {line}" if line else ""

    # -- generic value checks ---------------------------------------------------------

    def flag(self, node: Node, attribute: str, value: str | None) -> None:
        if value is not None and value not in _FLAG_VALUES:
            self.report(node, f'"{value}" is not a valid switch; write "1" (on) or "0" (off)', attribute)

    def template_text(self, node: Node, attribute: str, value: str | None) -> bool:
        """Check a Go-template value; False when it does not parse."""
        if value is None or "{{" not in value:
            return True
        error = template_error(value)
        if error is None:
            return True
        index, message = error
        self.report(node, f"the {{{{ }}}} template does not parse: {message}", attribute, index)
        return False

    def gjson_path(self, node: Node, attribute: str, value: str | None) -> None:
        if _blank(value) or not self.template_text(node, attribute, value):
            return
        for index, message in path_errors(value):  # type: ignore[arg-type]
            self.report(node, message, attribute, index)

    def unknown_names(self, node: Node, tag: str) -> None:
        """Misplaced model elements and near-miss spellings among kept unknown parts."""
        if not node.other_children and not node.other_attributes:
            return  # the common case, kept cheap: this runs for every element
        reads = _READS.get(tag, ())
        for extra in node.other_children:
            if extra.tag.startswith("#"):
                continue
            if extra.tag in reads:
                self.report(extra, f"a second <{extra.tag}> in {_describe(node, tag)} is ignored; "
                                   f"merge its content into the first one")
            elif extra.tag in _WRAPPER_OF:
                # An item outside its wrapper is silently ignored by the PBX. (A wrapper
                # elsewhere, like the top-level <Parameters/> of exported templates, is
                # harmless and kept without comment.)
                wrapper = _WRAPPER_OF[extra.tag]
                hint = f"put it inside <{wrapper}>" if wrapper != tag else "move it where it belongs"
                self.report(extra, f"<{extra.tag}> is not read here (inside {_describe(node, tag)}); {hint}")
            else:
                close = difflib.get_close_matches(extra.tag, reads, n=1, cutoff=0.8)
                if close:
                    self.report(extra, f"unknown element <{extra.tag}>; did you mean <{close[0]}>?")
        known = [name for name, _ in node.XML_ATTRIBUTES] + (["Next"] if tag == "Outputs" else [])
        for name in node.other_attributes:
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
            if close:
                self.report(node, f"unknown attribute {name}; did you mean {close[0]}?", name, tag=tag)

    # -- the template -----------------------------------------------------------------

    def run(self) -> None:
        tpl = self.tpl
        self.information()
        self.unknown_names(tpl, "Information")
        if tpl.scenarios_group is not None:
            self.unknown_names(tpl.scenarios_group, "Scenarios")
        seen: dict[str, Scenario] = {}
        for s in tpl.scenarios:
            if s.id:
                if s.id in seen:
                    self.report(s, f'another scenario with Id="{s.id}" comes first{self.line_of(seen[s.id])}; '
                                   "scenario Ids must be unique", "Id")
                else:
                    seen[s.id] = s
            self.scenario(s)
        self.required_scenarios()
        auth = tpl.scenario(v.AUTH_METHOD)
        if auth is not None:
            self.auth_method(auth)
        for scenario_id in (v.SYNC_CONTACT_AUTO, v.SEARCH_CONTACT):
            s = tpl.scenario(scenario_id)
            if s is not None:
                self.contact_scenario(s)
        self.named_request(v.USER_ASSOCIATION)
        self.named_request(v.CREATE_NEW_TICKET)
        self.named_request(v.CALL_JOURNAL)
        ua = tpl.scenario(v.USER_ASSOCIATION)
        if ua is not None and (request := ua.request(v.USER_ASSOCIATION)) is not None:
            self.require_outputs(request, ("UserUniqueId",), "the CRM user's unique ID")
        new_contact = tpl.scenario(v.CREATE_NEW_CONTACT)
        if new_contact is not None and not new_contact.requests:
            self.report(new_contact, "has no request; add one <Request> per contact type that can be created "
                                     '(its Name is the contact type, e.g. Name="Contacts")')
        for scenario_id in (v.CREATE_NEW_TICKET, v.CALL_JOURNAL):
            s = tpl.scenario(scenario_id)
            if s is not None:
                for name in v.JOURNAL_FLAGS:
                    p = s.param(name)
                    if p is not None:
                        self.flag(p, "Value", p.value)
        self.next_links()

    def information(self) -> None:
        tpl = self.tpl
        if tpl.root_tag != v.ROOT_TAG:
            self.report(tpl, f"the root element must be <{v.ROOT_TAG}>, not <{tpl.root_tag}>")
        if tpl.provider is None:
            self.report(tpl, 'Provider is missing; write Provider="crm" or Provider="helpdesk"')
        elif tpl.provider not in v.PROVIDERS:
            self.report(tpl, f'"{tpl.provider}" is not a provider; write crm or helpdesk', "Provider")
        if _blank(tpl.name):
            self.report(tpl, "the template needs a name (shown in the CRM list)", "Name" if tpl.name is not None else "")
        if tpl.auth_type is None:
            self.report(tpl, 'AuthType is missing; write AuthType="none", "basic", "oauth2" or "bearertoken"')
        elif tpl.auth_type not in v.AUTH_TYPES:
            hint = f' (lower case: "{tpl.auth_type.lower()}")' if tpl.auth_type.lower() in v.AUTH_TYPES else ""
            self.report(tpl, f'"{tpl.auth_type}" is not an authentication method; write none, basic, oauth2 '
                             f"or bearertoken{hint}", "AuthType")
        mcr = tpl.max_concurrent_request
        if mcr is None:
            self.report(tpl, 'MaxConcurrentRequest is missing; write the most HTTP requests the CRM accepts at '
                             'once, e.g. MaxConcurrentRequest="10"')
        elif not (_whole(mcr) and int(mcr) > 0):
            self.report(tpl, f'"{mcr}" is not a positive whole number of concurrent requests (e.g. "10")',
                        "MaxConcurrentRequest")
        for attribute, scenario_id in v.FEATURE_SCENARIOS.items():
            value = getattr(tpl, dict(tpl.XML_ATTRIBUTES)[attribute])
            self.flag(tpl, attribute, value)
            if value == "1" and tpl.scenario(scenario_id) is None:
                self.report(tpl, f'the feature is on but there is no <Scenario Id="{scenario_id}">; add the '
                                 f'scenario or write {attribute}="0"', attribute)
        if tpl.create_new_ticket == "1" and tpl.provider == "crm":
            self.report(tpl, 'ticket creation is for helpdesk templates; write Provider="helpdesk" or '
                             'CreateNewTicket="0"', "CreateNewTicket")

    def required_scenarios(self) -> None:
        tpl = self.tpl
        if tpl.scenario(v.AUTH_METHOD) is None:
            self.report(tpl, '<Scenario Id="AuthMethod" Type="AUTH"> is missing; every template needs one, with '
                             '<Parameter Name="AuthMethod" Value="…"/> naming its authentication method')
        if tpl.scenario(v.SYNC_CONTACT_AUTO) is None:
            self.report(tpl, '<Scenario Id="SyncContactAuto" Type="REST"> is missing; every template needs the '
                             "contact search it describes")

    # -- scenarios ------------------------------------------------------------------

    def scenario(self, s: Scenario) -> None:
        if _blank(s.id):
            self.report(s, 'the scenario has no Id; write e.g. Id="CallJournal"', "Id" if s.id is not None else "")
        expected = "AUTH" if s.id == v.AUTH_METHOD else "REST"
        known = s.id in (v.AUTH_METHOD, v.USER_ASSOCIATION, v.SYNC_CONTACT_AUTO, v.SEARCH_CONTACT,
                         v.CREATE_NEW_CONTACT, v.CREATE_NEW_TICKET, v.CALL_JOURNAL, v.COMMON, v.GET_GLOBAL_INFO)
        if s.type is None:
            self.report(s, f'Type is missing; write Type="{expected}"')
        elif known and s.type != expected:
            self.report(s, f'the Type of this scenario is fixed as {expected}, not "{s.type}"', "Type")
        elif not known and s.type not in v.SCENARIO_TYPES:
            self.report(s, f'"{s.type}" is not a scenario type; write REST (or AUTH for AuthMethod)', "Type")
        self.unknown_names(s, "Scenario")
        for group, tag in ((s.parameters_group, "Parameters"), (s.requests_group, "Requests")):
            if group is not None:
                self.unknown_names(group, tag)
        plain: dict[str, Parameter] = {}
        for p in s.parameters:
            self.parameter(p)
            if p.name and not p.father:
                first = plain.setdefault(p.name, p)
                if first is not p and first.value != p.value:
                    self.report(p, f'{p.name} is set again with a different value (first{self.line_of(first)}: '
                                   f'"{first.value}"); keep one', "Value")
        names: dict[str, Request] = {}
        for r in s.requests:
            if r.name:
                if r.name in names:
                    self.report(r, f'another request in this scenario is named "{r.name}"{self.line_of(names[r.name])}; '
                                   "request names must be unique within a scenario", "Name")
                else:
                    names[r.name] = r
            self.request(r)

    def named_request(self, scenario_id: str) -> None:
        s = self.tpl.scenario(scenario_id)
        if s is not None and s.request(scenario_id) is None:
            self.report(s, f'needs a <Request Name="{scenario_id}">; the name of this request is fixed')

    def auth_method(self, s: Scenario) -> None:
        tpl = self.tpl
        method_param = s.param("AuthMethod")
        method = method_param.value if method_param is not None else None
        if method_param is None:
            self.report(s, 'has no <Parameter Name="AuthMethod" Value="…"/>; add it with the same value as the '
                           "template's AuthType")
        elif method not in v.AUTH_TYPES:
            self.report(method_param, f'"{method}" is not an authentication method; write none, basic, oauth2 '
                                      "or bearertoken", "Value")
        elif tpl.auth_type in v.AUTH_TYPES and tpl.auth_type != method:
            self.report(tpl, f'AuthType="{tpl.auth_type}" does not match the AuthMethod scenario, which says '
                             f'"{method}"{self.line_of(method_param)}; they must be the same', "AuthType")
        spec = v.AUTH_METHODS.get(method or "")
        if spec is not None:
            self.required_settings(s, spec.required, spec.label)
        if method == "basic":
            credential = s.param("CredentialType")
            if credential is not None and not _blank(credential.value) and credential.value not in v.CREDENTIAL_TYPES:
                self.report(credential, f'"{credential.value}" is not a credential type; write username_password '
                                        "or api_key", "Value")
        interval = s.param("TokenRefreshInterval")
        if interval is not None and not _blank(interval.value) and not _whole(interval.value):  # type: ignore[arg-type]
            self.report(interval, f'"{interval.value}" is not a number of minutes; write a whole number '
                                  "(0: never refresh; leave empty for every 25 minutes)", "Value")
        self.custom_fields(s, method if method in v.AUTH_METHODS else tpl.auth_type)
        self.headers(s)
        for option in s.children_of(v.AUTH_OPTION):
            if option.name == "NoNeedRefreshAccessToken":
                self.flag(option, "Value", option.value)

    def required_settings(self, s: Scenario, names: Iterable[str], what: str) -> None:
        for name in names:
            p = s.param(name)
            if p is None:
                self.report(s, f'{what} authentication needs <Parameter Name="{name}" Value="…"/>')
            elif _blank(p.value):
                self.report(p, f"{what} authentication needs a value here", "Value")

    def custom_fields(self, s: Scenario, method: str | None) -> None:
        fields = s.children_of(v.CUSTOM_FIELD_LIST)
        limit = MAX_CUSTOM_FIELDS.get(method or "")
        if limit is not None and len(fields) > limit:
            self.report(fields[limit], f"{v.AUTH_METHODS[method].label} authentication supports at most {limit} custom fields; this is "
                                       f"field {limit + 1} of {len(fields)} — remove some")
        names: dict[str, Parameter] = {}
        for f in fields:
            if _blank(f.name):
                self.report(f, 'a custom field needs a Name (its variable, used as {{.Name}})', "Name" if f.name is not None else "")
            elif not v.VARIABLE_NAME.fullmatch(f.name):  # type: ignore[arg-type]
                self.report(f, f'"{f.name}" cannot be used as a variable {{{{.{f.name}}}}}; use letters, digits '
                               "and _ only, starting with a letter", "Name")
            elif f.name in names:
                self.report(f, f'another custom field is named "{f.name}"{self.line_of(names[f.name])}; names '
                               "must be unique", "Name")
            else:
                names[f.name] = f  # type: ignore[index]
            if f.editor is None:
                self.report(f, 'Editor is missing; write Editor="string", "password" or "list"')
            elif f.editor not in v.EDITORS:
                self.report(f, f'"{f.editor}" is not an editor; write string, password or list', "Editor")
            elif f.editor == "list" and _blank(f.value):
                self.report(f, 'a list field needs its options in Value, separated by commas (e.g. "eu,us")',
                            "Value" if f.value is not None else "")
            if _blank(f.title):
                self.report(f, "a custom field needs a Title (shown above its input)", "Title" if f.title is not None else "")

    def headers(self, s: Scenario) -> None:
        headers = s.children_of(v.POPULATE_TEMPLATE_STRING)
        counted = [h for h in headers if h.type == v.HEADER_TYPE]
        if len(counted) > MAX_HEADERS:
            self.report(counted[MAX_HEADERS], f"at most {MAX_HEADERS} custom headers are supported; this is header "
                                              f"{MAX_HEADERS + 1} of {len(counted)} — remove some")
        for h in headers:
            if h.type != v.HEADER_TYPE:
                self.report(h, f'the Type of a header is fixed as Header, not "{h.type}"' if h.type is not None
                            else 'Type is missing; write Type="Header"', "Type" if h.type is not None else "")
            if _blank(h.name):
                self.report(h, "a header needs a Name (e.g. Accept)", "Name" if h.name is not None else "")
            elif not v.HEADER_NAME.fullmatch(h.name):  # type: ignore[arg-type]
                self.report(h, f'"{h.name}" is not a valid HTTP header name (no spaces or ":"; e.g. X-Api-Key)', "Name")

    def contact_scenario(self, s: Scenario) -> None:
        sync = s.id == v.SYNC_CONTACT_AUTO
        url_type = s.param("ContactUrlType")
        if url_type is None:
            if sync:
                self.report(s, 'has no <Parameter Name="ContactUrlType" Value="…"/>; write specify_url_format or '
                               "retrieve_from_contact")
        elif url_type.value not in v.CONTACT_URL_TYPES:
            self.report(url_type, f'"{url_type.value}" is not a contact URL type; write specify_url_format or '
                                  "retrieve_from_contact", "Value")
        elif url_type.value == "specify_url_format":
            self.companion(s, "URLFormat", "the contact popup URL, e.g. {{.crm_url}}/contacts/{{.ContactId}}")
        else:
            self.companion(s, "ContactFieldForUri", "the JSON path of the contact URL, e.g. data.#.contactUrl")
            field = s.param("ContactFieldForUri")
            if field is not None:
                self.gjson_path(field, "Value", field.value)
        for name in v.CONTACT_FIELDS:
            p = s.param(name + "Enable")
            if p is not None:
                self.flag(p, "Value", p.value)
        if sync:
            for name in v.REQUIRED_CONTACT_FIELDS:
                p = s.param(name + "Enable")
                if p is None:
                    self.report(s, f'needs <Parameter Name="{name}Enable" Value="1"/>: {name} is always retrieved')
                elif p.value in _FLAG_VALUES and p.value != "1":
                    self.report(p, f"{name} is always retrieved; the value must be 1", "Value")
            if not any(s.value(f + "Enable") == "1" for f in v.PHONE_FIELDS):
                self.report(s, 'enable at least one phone number, e.g. <Parameter Name="BusinessNumberEnable" '
                               'Value="1"/>')
            if not s.requests:
                self.report(s, "has no request; add one <Request> per contact type to search (its Name is the "
                               'contact type, e.g. Name="Contacts")')
        for r in s.requests:
            self.require_outputs(r, v.REQUIRED_CONTACT_FIELDS, "the contact's")
            outputs = self.outputs_with_next(r)
            if not any(o.name in v.PHONE_FIELDS and not _blank(o.path) for o in outputs):
                self.report(r, "must map at least one phone number: an <Output> named BusinessNumber, MobileNumber, "
                               "HomeNumber, OtherNumber… with a non-empty Path")

    def companion(self, s: Scenario, name: str, what: str) -> None:
        p = s.param(name)
        if p is None:
            self.report(s, f'needs <Parameter Name="{name}" Value="…"/>: {what}')
        elif _blank(p.value):
            self.report(p, f"needs a value: {what}", "Value")

    def outputs_with_next(self, r: Request) -> list[Output]:
        """The request's outputs plus those its Next request (in Common) fills in."""
        outputs = list(r.outputs)
        common = self.tpl.scenario(v.COMMON)
        if r.next and common is not None and (follow := common.request(r.next)) is not None:
            outputs.extend(follow.outputs)
        return outputs

    def require_outputs(self, r: Request, names: Iterable[str], what: str) -> None:
        outputs = self.outputs_with_next(r)
        for name in names:
            if not any(o.name == name and not _blank(o.path) for o in outputs):
                self.report(r, f'must map {name} ({what}): add <Output Name="{name}" Path="…"/> with the JSON path '
                               "of that field in the answer")

    def next_links(self) -> None:
        common = self.tpl.scenario(v.COMMON)
        for s in self.tpl.scenarios:
            for r in s.requests:
                if r.next is None:
                    continue
                group = r.outputs_group or r
                tag = "Outputs" if r.outputs_group is not None else "Request"
                target = common.request(r.next) if common is not None and r.next else None
                if target is None:
                    where = "the Common scenario has no request of that name" if common is not None else \
                        'there is no <Scenario Id="Common">'
                    self.report(group, f'Next="{r.next}" must name a request of the Common scenario, but {where}; '
                                       "add it or fix the name", "Next", tag=tag)
                elif s is common:
                    seen = {id(r)}
                    while target is not None and target.next:
                        if id(target) in seen:
                            self.report(group, f'Next="{r.next}" leads back to this request; the chain never ends',
                                        "Next", tag=tag)
                            break
                        seen.add(id(target))
                        target = common.request(target.next)

    # -- requests, parameters, outputs -------------------------------------------------

    def request(self, r: Request) -> None:
        if _blank(r.name):
            self.report(r, "the request needs a Name", "Name" if r.name is not None else "")
        if r.method is None:
            self.report(r, 'Method is missing; write Method="GET" (or POST, PUT, PATCH, DELETE)')
        elif r.method not in v.HTTP_METHODS:
            hint = f' (upper case: "{r.method.upper()}")' if r.method.upper() in v.HTTP_METHODS else ""
            self.report(r, f'"{r.method}" is not an HTTP method; write GET, POST, PUT, PATCH or DELETE{hint}', "Method")
        if r.url_format is None and r.url is None:
            self.report(r, 'the request has no URL; write it as URLFormat="https://…"')
        elif r.url_format is not None and r.url is not None:
            self.report(r, "the request has both URLFormat and URL; keep only URLFormat", "URL")
        attribute = "URLFormat" if r.url_format is not None else "URL"
        address = r.address
        if address is not None and _blank(address):
            self.report(r, "the request URL is empty", attribute)
        self.template_text(r, attribute, address)
        if r.weight is not None and not _blank(r.weight) and not _whole(r.weight):
            self.report(r, f'"{r.weight}" is not a weight; write a whole number such as 0', "Weight")
        self.unknown_names(r, "Request")
        for group, tag in ((r.parameters_group, "Parameters"), (r.outputs_group, "Outputs")):
            if group is not None:
                self.unknown_names(group, tag)
        bodies = 0
        for p in r.parameters:
            self.parameter(p)
            if p.type == v.BODY_TYPE:
                bodies += 1
                if p.name != v.BODY_NAME:
                    self.report(p, f'the body parameter\'s Name is fixed as Data, not "{p.name}"', "Name")
                if bodies == 2:
                    self.report(p, 'a request has one body; merge the <Parameter Type="Body"> elements', "Type")
        names: dict[str, Output] = {}
        for o in r.outputs:
            self.output(o)
            if o.name:
                if o.name in names:
                    self.report(o, f'the request already has an output named "{o.name}"{self.line_of(names[o.name])}; '
                                   "keep one", "Name")
                else:
                    names[o.name] = o

    def parameter(self, p: Parameter) -> None:
        self.unknown_names(p, "Parameter")
        if _blank(p.name):
            self.report(p, 'the parameter needs a Name (e.g. Name="Data")', "Name" if p.name is not None else "")
        self.template_text(p, "Value", p.value)

    def output(self, o: Output) -> None:
        self.unknown_names(o, "Output")
        if _blank(o.name):
            self.report(o, "the output needs a Name: the variable it fills", "Name" if o.name is not None else "")
        if o.type not in (None, "", "string"):
            self.report(o, f'the Type of an output is fixed as string, not "{o.type}"', "Type")
        self.gjson_path(o, "Path", o.path)

