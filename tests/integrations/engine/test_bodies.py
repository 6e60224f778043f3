"""Create and journal requests: JSON bodies stay valid whatever the values hold."""

from __future__ import annotations

import json

from integrations.engine.jsonbody import escaped_scope, is_json_body, json_string_content

HARD_NAME = 'Ann "Red" O\'Neil\\'


def test_a_name_with_quotes_and_a_backslash_still_makes_valid_json(make_engine, crm):
    engine = make_engine("basic")
    engine.run("CreateNewContact", "Contacts", {"FirstName": HARD_NAME, "LastName": "Line\nTwo", "BusinessNumber": "+1"})
    sent = json.loads(crm.state.received[-1].body)
    assert sent["data"][0]["First_Name"] == HARD_NAME and sent["data"][0]["Last_Name"] == "Line\nTwo"


def test_creating_a_contact_gives_back_its_id(make_engine, crm):
    records = make_engine("basic").run("CreateNewContact", "Contacts", {"FirstName": "Zed", "BusinessNumber": "+1"})
    assert records == [{"ContactsId": "new-1"}] and crm.state.created[0]["First_Name"] == "Zed"


def test_a_journal_body_carries_numbers_unquoted(make_engine, crm):
    variables = {"Subject": "Extension Call", "Description": "a\tb", "Communication_Type": "Inbound",
                 "Talk_Duration_Sec": "62", "ContactId": "c1", "CallerName": HARD_NAME}
    assert make_engine("basic").run("CallJournal", "CallJournal", variables) == [{"JournalId": "call-1"}]
    assert crm.state.calls == [{"Subject": "Extension Call", "Description": "a\tb", "Call_Type": "Inbound",
                                "Call_Duration_in_seconds": 62, "Who_Id": "c1", "Caller": HARD_NAME}]


def test_only_bodies_that_are_json_are_escaped():
    assert is_json_body('  {"a": 1}') and is_json_body("[1]") and not is_json_body("a={{.x}}")


def test_escaping_reaches_nested_values_and_leaves_numbers():
    assert escaped_scope({"a": 'x"', "b": [{"c": "\\"}], "n": 1.0}) == {"a": 'x\\"', "b": [{"c": "\\\\"}], "n": 1.0}


def test_control_characters_become_json_escapes():
    assert json_string_content("\x01\n") == "\\u0001\\n"


def test_values_needing_no_escape_pass_unchanged_and_the_rest_as_json_would_write_them():
    for value in ("plain", "é ü 中文 \u2028", "", 'say "hi"', "back\\slash", "tab\tnew\nline", "\x7f\x1f"):
        assert json_string_content(value) == json.dumps(value, ensure_ascii=False)[1:-1]
