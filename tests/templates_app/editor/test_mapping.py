"""mapping.py: form data ⇄ template model, applied onto the template it was drawn from."""

from __future__ import annotations

import pytest

from templates_app.editor import mapping
from templates_app.editor.forms import DEFAULT_DESCRIPTION, DEFAULT_SUBJECT
from templates_app.editor.formsets import EditorForms
from templates_app.xmlmodel import parse_template, serialize_template, validate_template

from .conftest import build_form_data, initial_to_post


def _apply_post(tpl, post):
    editor = EditorForms(post)
    assert editor.is_valid(), (
        editor.form.errors,
        [fs.errors for fs in editor.formsets],
        [fs.non_form_errors() for fs in editor.formsets],
    )
    return mapping.apply_form(tpl, editor.cleaned())


def _edit(xml: str, **changes):
    """Parse, draw the form, change some posted values, apply, and re-parse the result."""
    tpl = parse_template(xml)
    post = initial_to_post(mapping.to_initial(tpl))
    for key, value in changes.items():
        if value is None:
            post.pop(key, None)
        else:
            post[key] = value
    return parse_template(serialize_template(_apply_post(tpl, post)))


@pytest.fixture
def realworld(realworld_xml):
    return parse_template(realworld_xml)


def test_an_unchanged_form_writes_back_the_template_it_was_drawn_from(realworld_xml, realworld):
    before = serialize_template(realworld)
    after = _edit(realworld_xml)
    assert serialize_template(after) == before


def test_the_common_scenario_survives_an_edit(realworld_xml):
    after = _edit(realworld_xml, remark="edited in the form")
    common = after.scenario("Common")
    assert common is not None
    assert [r.name for r in common.requests] == ["GetIdentities"]
    assert len(common.requests[0].outputs) == 8


def test_token_error_map_and_auth_option_survive_an_edit(realworld_xml):
    after = _edit(realworld_xml, remark="edited")
    auth = after.scenario("AuthMethod")
    assert [p.value for p in auth.children_of("TokenErrorMap")] == ["invalid_token"]
    assert [p.name for p in auth.children_of("AuthOption")] == ["NoNeedRefreshAccessToken"]
    assert auth.value("TokenType") == "Bearer"


def test_outputs_next_survives_an_edit_of_the_contact_path(realworld_xml):
    after = _edit(realworld_xml, first_name_path="users.#.display_name")
    request = after.scenario("SyncContactAuto").requests[0]
    assert request.next == "GetIdentities"
    assert request.output("FirstName").path == "users.#.display_name"


def test_renaming_a_contact_type_keeps_its_request_and_next(realworld_xml):
    after = _edit(realworld_xml, **{"search-0-name": "people"})
    request = after.scenario("SyncContactAuto").requests[0]
    assert request.name == "people"
    assert request.next == "GetIdentities"


def test_scenarios_the_form_does_not_show_survive_an_edit(realworld_xml):
    after = _edit(realworld_xml, name="Renamed Helpdesk")
    assert after.name == "Renamed Helpdesk"
    assert after.scenario("SearchContact").requests[0].next == "GetIdentities"
    ticket = after.scenario("CreateNewTicket")
    assert [r.name for r in ticket.requests] == ["CreateNewTicket", "UpdateTicket"]
    assert after.create_new_ticket == "1"


def test_journal_extras_survive_an_edit_of_the_journal_url(realworld_xml):
    after = _edit(realworld_xml, journal_url="https://x.example.com/{{.TicketId}}")
    journal = after.scenario("CallJournal")
    assert journal.requests[0].method == "PUT"
    assert journal.value("NeedSyncContact") == "1"
    assert journal.requests[0].address == "https://x.example.com/{{.TicketId}}"


def test_custom_field_keys_survive_a_title_change(realworld_xml):
    after = _edit(realworld_xml, **{"fields-0-title": "Your helpdesk domain"})
    field = after.scenario("AuthMethod").children_of("CustomFieldList")[0]
    assert (field.name, field.title, field.key) == (
        "helpdesk_domain",
        "Your helpdesk domain",
        "helpdesk_domain",
    )


def test_a_removed_custom_field_is_the_only_parameter_that_goes(realworld_xml, realworld):
    after = _edit(realworld_xml, **{"fields-4-DELETE": "on"})
    names = [p.name for p in after.scenario("AuthMethod").parameters]
    before = [p.name for p in realworld.scenario("AuthMethod").parameters]
    assert names == [n for n in before if n != "app_url"]


def test_an_edit_of_one_field_changes_only_that_attribute(realworld_xml, realworld):
    after = _edit(realworld_xml, remark="A new remark")
    realworld.remark = "A new remark"
    assert serialize_template(after) == serialize_template(realworld)


def test_switching_call_journal_off_keeps_its_scenario_for_later(realworld_xml):
    after = _edit(realworld_xml, call_journal=None)
    assert after.call_journal == "0"
    assert after.scenario("CallJournal").requests[0].method == "PUT"


def test_disabling_a_contact_field_removes_its_output_and_clears_its_switch(realworld_xml):
    after = _edit(realworld_xml, remark_enable=None)
    sync = after.scenario("SyncContactAuto")
    assert sync.value("RemarkEnable") == "0"
    assert sync.requests[0].output("Remark") is None


def test_a_path_unchanged_in_the_form_keeps_each_contact_types_own_value():
    tpl = mapping.new_template()
    post = build_form_data(
        search=[
            {"name": "Contacts", "url": "https://crm/contacts?p={{.Phone}}"},
            {"name": "Leads", "url": "https://crm/leads?p={{.Phone}}"},
        ]
    )
    tpl = _apply_post(tpl, post)
    tpl.scenario("SyncContactAuto").requests[1].output("FirstName").path = "leads.#.name"
    after = _edit(serialize_template(tpl), contacts_id_path="data.#.uid")
    leads = after.scenario("SyncContactAuto").requests[1]
    assert leads.output("FirstName").path == "leads.#.name"
    assert leads.output("ContactsId").path == "data.#.uid"


@pytest.mark.parametrize("method", ["none", "basic", "oauth2", "bearertoken"])
def test_a_new_template_from_the_form_validates(method):
    tpl = _apply_post(mapping.new_template(), build_form_data(method))
    reparsed = parse_template(serialize_template(tpl))
    assert validate_template(reparsed) == []
    assert reparsed.auth_type == method
    assert reparsed.scenario("AuthMethod").value("AuthMethod") == method


def test_a_new_template_writes_the_guides_journal_defaults():
    post = build_form_data(
        call_journal="on", journal_url="https://crm/calls", journal_body='{"s": "{{.Subject}}"}'
    )
    tpl = _apply_post(mapping.new_template(), post)
    journal = tpl.scenario("CallJournal")
    assert journal.value("Subject") == DEFAULT_SUBJECT
    assert journal.value("Description") == DEFAULT_DESCRIPTION
    assert journal.requests[0].method == "POST"
    assert journal.requests[0].body.value == '{"s": "{{.Subject}}"}'


def test_headers_become_populate_template_string_parameters():
    tpl = _apply_post(
        mapping.new_template(), build_form_data(headers=[{"name": "X-Client", "value": "{{.id}}"}])
    )
    (header,) = tpl.scenario("AuthMethod").children_of("PopulateTemplateString")
    assert (header.name, header.type, header.value) == ("X-Client", "Header", "{{.id}}")


def test_dropdown_options_are_written_comma_separated():
    tpl = _apply_post(mapping.new_template(), build_form_data("bearertoken"))
    region = tpl.scenario("AuthMethod").children_of("CustomFieldList")[1]
    assert (region.editor, region.value) == ("list", "eu,us")


def test_a_blank_token_refresh_time_writes_no_interval():
    tpl = _apply_post(mapping.new_template(), build_form_data("bearertoken", token_refresh_minutes=""))
    assert not tpl.scenario("AuthMethod").value("TokenRefreshInterval")


def test_a_zero_token_refresh_time_is_written_as_zero():
    tpl = _apply_post(mapping.new_template(), build_form_data("bearertoken", token_refresh_minutes="0"))
    assert tpl.scenario("AuthMethod").value("TokenRefreshInterval") == "0"


def test_the_kept_panel_names_what_the_form_does_not_show(realworld):
    kept = "\n".join(mapping.kept_parts(realworld))
    assert "Scenario Common (1 request: GetIdentities)" in kept
    assert "TokenErrorMap TokenInvalid" in kept
    assert "AuthOption NoNeedRefreshAccessToken" in kept
    assert "Outputs Next=GetIdentities" in kept
    assert "Scenario SearchContact" in kept
    assert "Scenario CreateNewTicket" in kept


def test_a_new_template_has_nothing_to_keep():
    assert mapping.kept_parts(mapping.new_template()) == []


@pytest.fixture
def xml_with_unknowns(realworld_xml):
    """The real-world template plus an unknown attribute and an unknown element."""
    xml = realworld_xml.replace(
        '<Request Name="contacts" Method="GET"', '<Request Name="contacts" Method="GET" Retry="3"', 1
    )
    return xml.replace(
        '<Scenario Id="SyncContactAuto" Type="REST">',
        '<Scenario Id="SyncContactAuto" Type="REST">\n      <Cache Seconds="60" />',
        1,
    )


def test_unknown_elements_and_attributes_survive_an_edit(xml_with_unknowns):
    after = _edit(xml_with_unknowns, first_name_path="users.#.given_name")
    sync = after.scenario("SyncContactAuto")
    assert sync.requests[0].other_attributes == {"Retry": "3"}
    assert [(c.tag, c.attributes) for c in sync.other_children if c.tag == "Cache"] == [
        ("Cache", {"Seconds": "60"})
    ]


def test_the_kept_panel_names_unknown_elements_and_attributes(xml_with_unknowns):
    kept = "\n".join(mapping.kept_parts(parse_template(xml_with_unknowns)))
    assert 'SyncContactAuto request contacts: attribute Retry="3"' in kept
    assert "Scenario SyncContactAuto: element <Cache>" in kept
