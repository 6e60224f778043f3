"""Looking a number up: every contact type in order, records zipped, popup URLs, Next, globals."""

from __future__ import annotations

import base64

import pytest

from tests.integrations.crm_server import API_KEY, PASSWORD, USERNAME


@pytest.mark.parametrize("auth", ["none", "basic", "bearertoken"])
def test_a_known_number_finds_its_contacts_with_each_auth_method(make_engine, auth):
    engine = make_engine(auth)
    engine.connect()
    found = engine.lookup("+14155550100")
    assert [(c.fields["ContactsId"], c.fields["LastName"]) for c in found] == [("c1", "Last1"), ("c2", "Twin")]


def test_each_contact_gets_its_popup_url(make_engine, crm):
    found = make_engine("basic").lookup("+14155550100")
    assert [c.popup_url for c in found] == [f"{crm.url}/crm/tab/Contacts/c1", f"{crm.url}/crm/tab/Contacts/c2"]


def test_a_nested_path_fills_each_record(make_engine):
    assert [c.fields["Company"] for c in make_engine("basic").lookup("+14155550100")] == ["Acme", "Acme"]


def test_the_second_contact_type_is_tried_when_the_first_finds_nothing(make_engine):
    found = make_engine("basic").lookup("+4930123456")
    assert [(c.contact_type, c.fields["FirstName"]) for c in found] == [("Leads", "Leo")]


def test_an_unknown_number_finds_nothing_after_a_204(make_engine, exchanges):
    assert make_engine("basic").lookup("+15550000000") == []
    assert [e.status for e in exchanges] == [204, 204]


def test_number_forms_are_tried_in_order_until_one_matches(make_engine, exchanges):
    found = make_engine("basic").lookup(["4155550100", "+14155550100"], types=["Contacts"])
    assert len(found) == 2 and [e.status for e in exchanges] == [204, 200]


def test_next_runs_the_common_request_per_record_and_fills_its_outputs(make_engine, crm):
    found = make_engine("basic", next_request=True).lookup("+442071838750")
    assert found[0].fields["MobileNumber"] == "+447700900123" and found[0].fields["HomeNumber"] == "+442071838751"
    assert [r.path for r in crm.state.received][-1] == "/crm/v2/contacts/c3/identities"


def test_get_global_info_outputs_join_later_scopes(make_engine, crm):
    engine = make_engine("basic", global_info=True)
    engine.connect()
    assert engine.globals == {"OrgId": "org-42", "OrgDomain": "acme"}
    assert engine.lookup("+442071838750")[0].popup_url == f"{crm.url}/crm/org-42/tab/Contacts/c3"


def test_basic_auth_sends_the_rendered_credential(make_engine, crm):
    make_engine("basic").lookup("+442071838750")
    expected = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
    assert crm.state.received[0].headers["Authorization"] == f"Basic {expected}"


def test_the_templates_custom_headers_are_sent(make_engine, crm):
    make_engine("basic").lookup("+442071838750")
    assert crm.state.received[0].headers["Accept"] == "application/json"


def test_none_auth_puts_the_api_key_where_the_template_says(make_engine, crm):
    make_engine("none").lookup("+442071838750")
    assert "Authorization" not in crm.state.received[0].headers
    assert crm.state.received[0].query["api_key"] == [API_KEY]
