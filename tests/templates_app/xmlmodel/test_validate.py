"""Validation: each rule of the guide, reported at the line it is about."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from templates_app.xmlmodel import (
    Output,
    Parameter,
    Request,
    Scenario,
    TemplateXMLError,
    load_template,
    parse_template,
    validate_template,
)

from .conftest import col_of, line_of, only_problem_at, problems

Variant = Callable[..., str]


# -- valid templates --------------------------------------------------------------------


def test_realworld_template_validates_clean(zendesk_xml: bytes) -> None:
    assert validate_template(parse_template(zendesk_xml)) == []


def test_template_assembled_from_the_guide_validates_clean(assembled_xml: str) -> None:
    assert problems(assembled_xml) == []


def test_minimal_template_validates_clean(minimal_xml: str) -> None:
    assert problems(minimal_xml) == []


def test_load_template_returns_the_model_of_a_valid_template(zendesk_xml: bytes) -> None:
    assert load_template(zendesk_xml).name == "Lovable Helpdesk"


def test_load_template_raises_all_validation_problems_at_once(variant: Variant) -> None:
    xml = variant(('Provider="crm"', 'Provider="erp"'), ('Method="POST" ResponseType="application/json" '
                   'URLFormat="{{.crm_url}}/api/calls"', 'Method="SEND" URLFormat="{{.crm_url}}/api/calls"'))
    with pytest.raises(TemplateXMLError) as caught:
        load_template(xml)
    assert [p.line for p in caught.value.problems] == [2, line_of(xml, 'Method="SEND"')]
    assert caught.value.template is not None and caught.value.template.provider == "erp"


def test_problems_come_sorted_by_position(variant: Variant) -> None:
    xml = variant(('Method="GET" ResponseType="application/json" URLFormat="{{.crm_url}}/api/users"',
                   'Method="get" URLFormat="{{.crm_url}}/api/users"'), ('Provider="crm"', 'Provider=""'))
    found = problems(xml)
    assert found == sorted(found, key=lambda p: (p.line, p.col))


# -- Information ---------------------------------------------------------------------------


def test_the_root_element_must_be_information(variant: Variant) -> None:
    xml = variant(("<Information ", "<Template "), ("</Information>", "</Template>"))
    problem = only_problem_at(xml, 2, "the root element must be <Information>, not <Template>")
    assert problem.element == "Template"


def test_provider_must_be_crm_or_helpdesk(variant: Variant) -> None:
    xml = variant(('Provider="crm"', 'Provider="CRM"'))
    problem = only_problem_at(xml, 2, '"CRM" is not a provider; write crm or helpdesk')
    assert (problem.col, problem.attribute) == (col_of(xml, 'CRM"'), "Provider")


def test_a_missing_provider_is_reported_at_the_information_element(variant: Variant) -> None:
    only_problem_at(variant(('Provider="crm" ', "")), 2, "Provider is missing")


def test_auth_type_must_be_a_known_method(variant: Variant) -> None:
    xml = variant(('AuthType="basic"', 'AuthType="Basic"'))
    only_problem_at(xml, 2, '"Basic" is not an authentication method; write none, basic, oauth2 or bearertoken (lower case: "basic")')


def test_auth_type_must_match_the_auth_method_parameter(variant: Variant) -> None:
    xml = variant(('AuthType="basic"', 'AuthType="none"'))
    problem = only_problem_at(xml, 2, 'AuthType="none" does not match the AuthMethod scenario, which says "basic" on line 6')
    assert problem.attribute == "AuthType"


def test_max_concurrent_request_must_be_a_positive_integer(variant: Variant) -> None:
    only_problem_at(variant(('MaxConcurrentRequest="5"', 'MaxConcurrentRequest="0"')), 2,
                    '"0" is not a positive whole number of concurrent requests')


def test_feature_flags_must_be_0_or_1(variant: Variant) -> None:
    xml = variant(('CreateNewTicket="0"', 'CreateNewTicket="no"'))
    problem = only_problem_at(xml, 2, '"no" is not a valid switch; write "1" (on) or "0" (off)')
    assert problem.col == col_of(xml, 'no"')


def test_a_feature_switched_on_needs_its_scenario(variant: Variant) -> None:
    xml = variant(('CreateNewTicket="0"', 'CreateNewTicket="1"'), ('Provider="crm"', 'Provider="helpdesk"'))
    only_problem_at(xml, 2, 'the feature is on but there is no <Scenario Id="CreateNewTicket">')


def test_a_feature_switched_off_needs_no_scenario(minimal_xml: str) -> None:
    assert parse_template(minimal_xml).create_new_ticket == "0"
    assert problems(minimal_xml) == []


def test_ticket_creation_is_for_helpdesk_templates(assembled_xml: str) -> None:
    xml = assembled_xml.replace('Provider="helpdesk"', 'Provider="crm"')
    only_problem_at(xml, 3, "ticket creation is for helpdesk templates")


def test_the_auth_method_scenario_is_required(variant: Variant, minimal_xml: str) -> None:
    start, end = minimal_xml.index('    <Scenario Id="AuthMethod"'), minimal_xml.index('    <Scenario Id="UserAssociation"')
    xml = minimal_xml[:start] + minimal_xml[end:]
    only_problem_at(xml, 2, '<Scenario Id="AuthMethod" Type="AUTH"> is missing')


# -- authentication ------------------------------------------------------------------------


def test_the_auth_method_parameter_must_be_a_known_method(variant: Variant) -> None:
    xml = variant(('<Parameter Name="AuthMethod" Value="basic" />', '<Parameter Name="AuthMethod" Value="digest" />'))
    only_problem_at(xml, 6, '"digest" is not an authentication method')


def test_basic_auth_needs_a_base64_encoded_credential(variant: Variant) -> None:
    xml = variant(('Value="{{.api_key}}"', 'Value=""'))
    only_problem_at(xml, 8, "Basic authentication needs a value here")


def test_oauth2_needs_its_endpoints(zendesk_xml: bytes) -> None:
    xml = zendesk_xml.decode().replace(
        '<Parameter Name="TokenEndPoint" Value="https://{{.helpdesk_domain}}.supabase.co/functions/v1/yeastar-auth/oauth/tokens" />',
        '<Parameter Name="TokenEndPoint" />')
    only_problem_at(xml, 11, "OAuth2 authentication needs a value here")


def custom_fields(count: int) -> str:
    return "".join(
        f'        <Parameter Father="CustomFieldList" Name="f{i}" Editor="string" Title="Field {i}" />\n'
        for i in range(count)
    )


@pytest.mark.parametrize(("method", "limit"), [("none", 5), ("basic", 5), ("bearertoken", 10), ("oauth2", 10)])
def test_custom_fields_are_limited_per_auth_method(minimal_xml: str, method: str, limit: int) -> None:
    settings = {
        "none": "", "basic": '        <Parameter Name="Base64EncodedCredential" Value="{{.f0}}" />\n',
        "bearertoken": '        <Parameter Name="TokenEndPoint" Value="https://x/token" />\n',
        "oauth2": '        <Parameter Name="AuthEndPoint" Value="https://x/auth" />\n'
                  '        <Parameter Name="TokenEndPoint" Value="https://x/token" />\n',
    }[method]
    start = minimal_xml.index('        <Parameter Name="AuthMethod"')
    end = minimal_xml.index('        <Parameter Father="PopulateTemplateString"')
    head = minimal_xml[:start].replace('AuthType="basic"', f'AuthType="{method}"')
    body = f'        <Parameter Name="AuthMethod" Value="{method}" />\n{settings}'
    at_limit = head + body + custom_fields(limit) + minimal_xml[end:]
    assert problems(at_limit.replace("{{.crm_url}}", "https://crm")) == []
    over = head + body + custom_fields(limit + 1) + minimal_xml[end:]
    over = over.replace("{{.crm_url}}", "https://crm")
    only_problem_at(over, line_of(over, f'Name="f{limit}"'), f"supports at most {limit} custom fields")


def test_custom_field_editor_must_be_string_password_or_list(variant: Variant) -> None:
    xml = variant(('Name="crm_url" Editor="string"', 'Name="crm_url" Editor="text"'))
    only_problem_at(xml, 10, '"text" is not an editor; write string, password or list')


def test_a_list_custom_field_needs_its_options(variant: Variant) -> None:
    xml = variant(('Name="crm_url" Editor="string"', 'Name="crm_url" Editor="list"'))
    only_problem_at(xml, 10, "a list field needs its options in Value")


def test_a_custom_field_name_must_work_as_a_template_variable(variant: Variant) -> None:
    xml = variant(('Name="crm_url" Editor', 'Name="crm-url" Editor'))
    only_problem_at(xml, 10, '"crm-url" cannot be used as a variable {{.crm-url}}')


def test_at_most_twenty_headers(variant: Variant) -> None:
    headers = "".join(
        f'        <Parameter Father="PopulateTemplateString" Name="X-H{i}" Type="Header" Value="v" />\n' for i in range(20)
    )
    xml = variant(('      </Parameters>\n      <Requests />', headers + '      </Parameters>\n      <Requests />'))
    only_problem_at(xml, line_of(xml, 'Name="X-H19"'), "at most 20 custom headers are supported; this is header 21 of 21")


def test_a_header_type_is_fixed_as_header(variant: Variant) -> None:
    xml = variant(('Name="Accept" Type="Header"', 'Name="Accept" Type="Body"'))
    only_problem_at(xml, 11, 'the Type of a header is fixed as Header, not "Body"')


def test_a_header_name_must_be_an_http_token(variant: Variant) -> None:
    xml = variant(('Name="Accept" Type="Header"', 'Name="Accept: json" Type="Header"'))
    only_problem_at(xml, 11, 'is not a valid HTTP header name')


# -- contacts -------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["ContactsId", "FirstName"])
def test_each_contact_request_must_map_the_required_fields(variant: Variant, field: str) -> None:
    old = {"ContactsId": '<Output Name="ContactsId" Path="data.#.id" />',
           "FirstName": '<Output Name="FirstName" Path="data.#.first_name" />'}[field]
    xml = variant((old, ""))
    only_problem_at(xml, line_of(xml, '<Request Name="Contacts" Method="GET"'), f'must map {field}')


def test_each_contact_request_must_map_a_phone_number(variant: Variant) -> None:
    xml = variant(('<Output Name="BusinessNumber" Path="data.#.phone" />', '<Output Name="Email" Path="data.#.email" />'))
    only_problem_at(xml, line_of(xml, '<Request Name="Contacts" Method="GET"'), "must map at least one phone number")


def test_an_empty_path_does_not_count_as_a_mapping(variant: Variant) -> None:
    xml = variant(('<Output Name="ContactsId" Path="data.#.id" />', '<Output Name="ContactsId" Path="" />'))
    only_problem_at(xml, line_of(xml, '<Request Name="Contacts" Method="GET"'), "must map ContactsId")


def test_a_phone_number_filled_in_by_the_next_request_counts(zendesk_xml: bytes) -> None:
    xml = zendesk_xml.decode().replace('<Output Name="BusinessNumber" Path="users.#.phone" />', "")
    assert problems(xml) == []  # Common's GetIdentities maps MobileNumber etc.


def test_contact_url_type_must_be_a_known_method(variant: Variant) -> None:
    xml = variant(('Value="specify_url_format"', 'Value="url"'))
    only_problem_at(xml, 29, '"url" is not a contact URL type')


def test_specify_url_format_needs_a_url_format(variant: Variant) -> None:
    xml = variant(('Value="{{.crm_url}}/contacts/{{.ContactId}}"', 'Value=""'))
    only_problem_at(xml, 30, "needs a value: the contact popup URL")


def test_retrieve_from_contact_needs_the_contact_field_for_uri(variant: Variant) -> None:
    xml = variant(('Value="specify_url_format"', 'Value="retrieve_from_contact"'))
    only_problem_at(xml, 31, "needs a value: the JSON path of the contact URL")


def test_contacts_id_and_first_name_are_always_enabled(variant: Variant) -> None:
    xml = variant(('<Parameter Name="FirstNameEnable" Value="1" />', '<Parameter Name="FirstNameEnable" Value="0" />'))
    only_problem_at(xml, 33, "FirstName is always retrieved; the value must be 1")


def test_at_least_one_phone_number_must_be_enabled(variant: Variant) -> None:
    xml = variant(('<Parameter Name="BusinessNumberEnable" Value="1" />', '<Parameter Name="BusinessNumberEnable" Value="0" />'))
    only_problem_at(xml, 27, "enable at least one phone number")


def test_enable_flags_must_be_0_or_1(variant: Variant) -> None:
    xml = variant(('<Parameter Name="BusinessNumberEnable" Value="1" />',
                   '<Parameter Name="BusinessNumberEnable" Value="1" /><Parameter Name="CityEnable" Value="true" />'))
    only_problem_at(xml, 34, '"true" is not a valid switch')


def test_a_setting_repeated_with_a_different_value_is_reported(variant: Variant) -> None:
    xml = variant(('<Parameter Name="BusinessNumberEnable" Value="1" />',
                   '<Parameter Name="BusinessNumberEnable" Value="1" />\n<Parameter Name="BusinessNumberEnable" Value="0" />'))
    only_problem_at(xml, 35, 'BusinessNumberEnable is set again with a different value (first on line 34: "1")')


# -- scenario and request names ------------------------------------------------------------------


def test_user_association_needs_its_named_request(variant: Variant) -> None:
    xml = variant(('<Request Name="UserAssociation"', '<Request Name="Users"'))
    only_problem_at(xml, 15, 'needs a <Request Name="UserAssociation">')


def test_user_association_must_map_the_user_id(variant: Variant) -> None:
    xml = variant(('<Output Name="UserUniqueId" Path="users.#.id" />', ""))
    only_problem_at(xml, 18, "must map UserUniqueId")


def test_call_journal_needs_its_named_request(variant: Variant) -> None:
    xml = variant(('<Request Name="CallJournal"', '<Request Name="Journal"'))
    only_problem_at(xml, line_of(xml, '<Scenario Id="CallJournal"'), 'needs a <Request Name="CallJournal">')


def test_create_new_ticket_needs_its_named_request(assembled_xml: str) -> None:
    xml = assembled_xml.replace('<Request Name="CreateNewTicket"', '<Request Name="NewTicket"')
    only_problem_at(xml, line_of(xml, '<Scenario Id="CreateNewTicket"'), 'needs a <Request Name="CreateNewTicket">')


def test_next_must_name_a_request_of_the_common_scenario(zendesk_xml: bytes) -> None:
    xml = zendesk_xml.decode().replace('<Outputs Next="GetIdentities">', '<Outputs Next="GetIdentity">', 1)
    problem = only_problem_at(xml, 54, 'Next="GetIdentity" must name a request of the Common scenario')
    assert (problem.element, problem.attribute, problem.col) == ("Outputs", "Next", col_of(xml, 'GetIdentity"'))


def test_next_needs_a_common_scenario(variant: Variant) -> None:
    xml = variant(('<Request Name="Contacts" Method="GET" ResponseType="application/json" URLFormat="{{.crm_url}}/api/contacts?phone={{UrlEncode .Phone}}">\n          <Outputs>',
                   '<Request Name="Contacts" Method="GET" ResponseType="application/json" URLFormat="{{.crm_url}}/api/contacts?phone={{UrlEncode .Phone}}">\n          <Outputs Next="More">'))
    only_problem_at(xml, 38, 'there is no <Scenario Id="Common">')


def test_scenario_ids_must_be_unique(variant: Variant) -> None:
    xml = variant(('<Scenario Id="CreateNewContact"', '<Scenario Id="UserAssociation"'), ('CreateNewContact="1"', 'CreateNewContact="0"'))
    problem = only_problem_at(xml, line_of(xml, '<Scenario Id="UserAssociation"', 2),
                              'another scenario with Id="UserAssociation" comes first on line 15')
    assert problem.attribute == "Id"


def test_request_names_must_be_unique_within_a_scenario(assembled_xml: str) -> None:
    xml = assembled_xml.replace('<Request Name="UpdateTicket"', '<Request Name="CreateNewTicket"')
    only_problem_at(xml, line_of(xml, '<Request Name="CreateNewTicket"', 2),
                    'another request in this scenario is named "CreateNewTicket"')


def test_the_same_request_name_in_two_scenarios_is_fine(minimal_xml: str) -> None:
    assert minimal_xml.count('<Request Name="Contacts"') == 2
    assert problems(minimal_xml) == []


def test_method_must_be_an_http_method(variant: Variant) -> None:
    xml = variant(('<Request Name="CallJournal" Method="POST"', '<Request Name="CallJournal" Method="post"'))
    only_problem_at(xml, line_of(xml, 'Method="post"'), '"post" is not an HTTP method; write GET, POST, PUT, PATCH or DELETE (upper case: "POST")')


def test_a_request_needs_a_url(variant: Variant) -> None:
    xml = variant((' URLFormat="{{.crm_url}}/api/calls"', ""))
    only_problem_at(xml, line_of(xml, '<Request Name="CallJournal"'), "the request has no URL")


def test_scenario_type_is_fixed_for_known_scenarios(variant: Variant) -> None:
    xml = variant(('<Scenario Id="AuthMethod" Type="AUTH">', '<Scenario Id="AuthMethod" Type="REST">'))
    only_problem_at(xml, 4, "the Type of this scenario is fixed as AUTH")


def test_a_body_parameter_is_named_data(variant: Variant) -> None:
    xml = variant(('<Parameter Name="Data" Type="Body" Value="{&quot;subject', '<Parameter Name="Body" Type="Body" Value="{&quot;subject'))
    only_problem_at(xml, line_of(xml, 'Name="Body"'), "the body parameter's Name is fixed as Data")


def test_output_type_is_fixed_as_string(variant: Variant) -> None:
    xml = variant(('<Output Name="Email" Path="users.#.email" />', '<Output Name="Email" Path="users.#.email" Type="int" />'))
    only_problem_at(xml, line_of(xml, 'Type="int"'), 'the Type of an output is fixed as string, not "int"')


# -- Go templates and GJSON paths ------------------------------------------------------------------


def test_a_broken_template_is_reported_where_it_breaks_in_the_file(variant: Variant) -> None:
    xml = variant(('URLFormat="{{.crm_url}}/api/users"', 'URLFormat="{{.crm_url}}/api/users/{{if .x}}"'))
    line = line_of(xml, "{{if .x}}")
    problem = only_problem_at(xml, line, "the {{ }} template does not parse")
    assert problem.attribute == "URLFormat"
    assert col_of(xml, "/api/users/") < problem.col <= len(xml.splitlines()[line - 1])


def test_template_error_columns_account_for_character_references(variant: Variant) -> None:
    # The error is after five &quot; references: each is one character of the value
    # but six of the file.
    xml = variant(('Value="{&quot;subject&quot;:&quot;{{.Subject}}&quot;,&quot;contact',
                   'Value="{&quot;subject&quot;:&quot;{{.Subject}}&quot;,&quot;{{.Oops ) }}contact'))
    problem = only_problem_at(xml, line_of(xml, "{{.Oops"), "the {{ }} template does not parse")
    assert col_of(xml, "{{.Oops") <= problem.col <= col_of(xml, "}}contact")


def test_template_errors_on_a_later_template_line_stay_on_the_attributes_line(variant: Variant) -> None:
    xml = variant(('Value="{&quot;subject&quot;:', 'Value="{&#10;&quot;subject&quot;:&#10;{{ .Bad ( }}'))
    problem = only_problem_at(xml, line_of(xml, "{{ .Bad"), "the {{ }} template does not parse")
    assert problem.col >= col_of(xml, "{{ .Bad")


def test_a_template_spread_over_lines_of_the_file_is_located_on_its_line(variant: Variant) -> None:
    xml = variant(('Value="{{.Time}} {{.Call_Log_Status}} from', 'Value="{{.Time}}\n  {{if .Call_Log_Status}} from'))
    only_problem_at(xml, line_of(xml, "{{if .Call_Log_Status}}"), "the {{ }} template does not parse")


def test_unknown_functions_are_template_errors(variant: Variant) -> None:
    xml = variant(('{{UrlEncode .Phone}}', '{{UrlEscape .Phone}}'))
    only_problem_at(xml, line_of(xml, "{{UrlEscape"), "the {{ }} template does not parse")


def test_the_guides_functions_parse(variant: Variant) -> None:
    xml = variant(('Value="Extension Call"',
                   'Value="{{ TimeFormat .StartTimeUnix &quot;yyyy-MM-dd&quot; &quot;1&quot; }} {{ ToMillis .StartTimeUnix }} '
                   '{{ Capitalize .x }} {{ UrlEncode .y }} {{ if .z }}z{{ else }}-{{ end }}"'))
    assert problems(xml) == []


def test_output_paths_with_actions_and_alternatives_are_valid(assembled_xml: str) -> None:
    assert 'Path="data.#(phone==&quot;{{.Phone}}&quot;)#.street,data.#(mobile==&quot;{{.Phone}}&quot;)#.street"' in assembled_xml
    assert problems(assembled_xml) == []


def test_an_invalid_output_path_is_reported_at_its_column(variant: Variant) -> None:
    xml = variant(('Path="data.#.phone"', 'Path="data.#(phone==1"'))
    problem = only_problem_at(xml, line_of(xml, 'Path="data.#(phone==1"'), '"data.#(phone==1" is not a valid GJSON path')
    assert problem.col == col_of(xml, "#(phone==1")
    assert problem.attribute == "Path"


def test_each_alternative_of_an_output_path_is_checked(variant: Variant) -> None:
    xml = variant(('Path="data.#.phone"', 'Path="data.#.phone, data..mobile"'))
    problem = only_problem_at(xml, line_of(xml, "data..mobile"), '"data..mobile" is not a valid GJSON path')
    assert problem.col == col_of(xml, "..mobile")


def test_actions_in_an_output_path_are_stood_in_for_before_the_path_check(variant: Variant) -> None:
    xml = variant(('Path="data.#.phone"', 'Path="data.#(phone==&quot;{{.Phone}}&quot;)#.phone,{{.key}}.phone"'))
    assert problems(xml) == []


def test_the_contact_field_for_uri_is_checked_as_a_gjson_path(variant: Variant) -> None:
    xml = variant(('Value="specify_url_format"', 'Value="retrieve_from_contact"'),
                  ('<Parameter Name="ContactFieldForUri" />', '<Parameter Name="ContactFieldForUri" Value="data.#(url" />'))
    only_problem_at(xml, line_of(xml, 'Value="data.#(url"'), "is not a valid GJSON path")


def test_an_empty_alternative_in_an_output_path_is_reported(variant: Variant) -> None:
    xml = variant(('Path="data.#.phone"', 'Path="data.#.phone,"'))
    problem = only_problem_at(xml, line_of(xml, 'Path="data.#.phone,"'), "an empty alternative between commas")
    assert problem.col == col_of(xml, '," />') + 1


def test_an_output_path_with_a_broken_template_reports_the_template(variant: Variant) -> None:
    xml = variant(('Path="data.#.phone"', 'Path="data.#(phone=={{.Phone)"'))
    only_problem_at(xml, line_of(xml, "{{.Phone)"), "the {{ }} template does not parse")


# -- structure -------------------------------------------------------------------------------------


def test_a_parameter_outside_its_wrapper_is_reported(variant: Variant) -> None:
    xml = variant(('      <Requests />\n', '      <Requests />\n      <Parameter Name="Scope" Value="x" />\n'))
    only_problem_at(xml, line_of(xml, '<Parameter Name="Scope"'), "<Parameter> is not read here (inside <Scenario Id=\"AuthMethod\">); put it inside <Parameters>")


def test_a_second_wrapper_is_reported(variant: Variant) -> None:
    xml = variant(('      <Requests />\n', '      <Requests />\n      <Requests />\n'))
    only_problem_at(xml, line_of(xml, "<Requests />", 2), "a second <Requests> in <Scenario Id=\"AuthMethod\"> is ignored")


def test_a_misspelled_element_gets_a_suggestion(variant: Variant) -> None:
    xml = variant(('<Outputs />\n        </Request>\n      </Requests>\n    </Scenario>\n    <Scenario Id="CallJournal"',
                   '<Outptus />\n        </Request>\n      </Requests>\n    </Scenario>\n    <Scenario Id="CallJournal"'))
    only_problem_at(xml, line_of(xml, "<Outptus />"), "unknown element <Outptus>; did you mean <Outputs>?")


def test_a_misspelled_attribute_gets_a_suggestion(variant: Variant) -> None:
    xml = variant(('URLFormat="{{.crm_url}}/api/calls"', 'URLFormt="{{.crm_url}}/api/calls"'))
    found = problems(xml)
    assert [p.line for p in found] == [line_of(xml, "URLFormt")] * 2
    assert any("unknown attribute URLFormt; did you mean URLFormat?" in p.message for p in found)


def test_unknown_elements_and_attributes_are_accepted(zendesk_xml: bytes) -> None:
    xml = zendesk_xml.decode().replace("<Responses />", '<Responses Vendor="x"><Item/></Responses>')
    xml = xml.replace('<Request Name="GetIdentities"', '<Request Cache="60" Name="GetIdentities"')
    assert problems(xml) == []


# -- models built in code ---------------------------------------------------------------------------


def test_a_node_added_in_code_is_reported_at_its_parent(zendesk_xml: bytes) -> None:
    tpl = parse_template(zendesk_xml)
    scenario = tpl.scenario("CallJournal")
    scenario.requests.append(Request(name="Extra", method="FETCH", url_format="https://x"))
    [problem] = validate_template(tpl)
    assert problem.line == scenario.src.line
    assert '"FETCH" is not an HTTP method' in problem.message


def test_a_template_built_in_code_validates() -> None:
    tpl = parse_template(
        '<Information Provider="crm" Name="n" AuthType="none" MaxConcurrentRequest="1"><Scenarios/></Information>'
    )
    tpl.scenarios.append(Scenario(id="AuthMethod", type="AUTH", parameters=[Parameter(name="AuthMethod", value="none")]))
    tpl.scenarios.append(Scenario(
        id="SyncContactAuto", type="REST",
        parameters=[Parameter(name=n, value=val) for n, val in (
            ("ContactUrlType", "retrieve_from_contact"), ("ContactFieldForUri", "data.#.url"),
            ("ContactsIdEnable", "1"), ("FirstNameEnable", "1"), ("MobileNumberEnable", "1"))],
        requests=[Request(name="Contacts", method="GET", url_format="https://x?q={{.Phone}}", outputs=[
            Output(name="ContactsId", path="data.#.id"), Output(name="FirstName", path="data.#.n"),
            Output(name="MobileNumber", path="data.#.m")])],
    ))
    assert validate_template(tpl) == []
