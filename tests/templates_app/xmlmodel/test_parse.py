"""Parsing: the model read from XML, and every way XML can be refused."""

from __future__ import annotations

import codecs

import pytest

from templates_app.xmlmodel import (
    MAX_TEMPLATE_BYTES,
    IntegrationTemplate,
    TemplateXMLError,
    parse_template,
)
from templates_app.xmlmodel import parse as parse_module

from .conftest import col_of, line_of, replace_once, syntax_problem

# -- the real-world template ---------------------------------------------------------


def test_realworld_template_reads_its_information_attributes(zendesk_xml: bytes) -> None:
    tpl = parse_template(zendesk_xml)
    assert (tpl.provider, tpl.name, tpl.key, tpl.auth_type) == ("helpdesk", "Lovable Helpdesk", "lovable_helpdesk", "oauth2")
    assert tpl.max_concurrent_requests == 10
    assert tpl.flag("CreateNewTicket") and tpl.flag("UserAssociation")


def test_realworld_template_keeps_its_scenarios_in_order(zendesk_xml: bytes) -> None:
    tpl = parse_template(zendesk_xml)
    assert [s.id for s in tpl.scenarios] == [
        "AuthMethod", "SyncContactAuto", "SearchContact", "UserAssociation",
        "CreateNewContact", "CreateNewTicket", "CallJournal", "Common",
    ]


def test_auth_method_view_reads_every_auth_parameter(zendesk_xml: bytes) -> None:
    auth = parse_template(zendesk_xml).auth_method_scenario
    assert auth is not None
    assert auth.auth_method == "oauth2"
    assert auth.token_type == "Bearer"
    assert auth.auth_end_point.endswith("redirect_uri={{UrlEncode .callback_url}}")
    assert "&client_secret=" in auth.auth_end_point  # &amp; read as &
    assert auth.scope == "read write"
    assert auth.credential_type is None  # written without a Value
    assert [f.name for f in auth.custom_fields] == ["helpdesk_domain", "client_id", "client_secret", "callback_url", "app_url"]
    assert auth.custom_fields[1].editor == "password" and auth.custom_fields[1].key == "client_id"
    assert [(h.name, h.type, h.value) for h in auth.headers] == [
        ("Content-Type", "Header", "application/json"), ("Accept", "Header", "application/json"),
    ]
    assert auth.token_invalid == "invalid_token"
    assert auth.no_need_refresh_access_token


def test_contact_view_reads_url_settings_and_enable_flags(zendesk_xml: bytes) -> None:
    sync = parse_template(zendesk_xml).sync_contact_auto_scenario
    assert sync is not None
    assert sync.contact_url_type == "specify_url_format"
    assert sync.url_format.startswith("https://helpdesk.bernsergsolutions.com/yeastar?popup=helpdesk&phone=")
    assert sync.enabled("ContactsId") and sync.enabled("OtherNumber")
    assert not sync.enabled("City")
    assert len(sync.flags) == 21 and sync.flags["City"] is None


def test_requests_read_method_url_body_outputs_and_next(zendesk_xml: bytes) -> None:
    tpl = parse_template(zendesk_xml)
    contacts = tpl.sync_contact_auto_scenario.request("contacts")
    assert (contacts.method, contacts.response_type, contacts.next) == ("GET", "application/json", "GetIdentities")
    assert [(o.name, o.path) for o in contacts.outputs][:3] == [
        ("ContactsId", "users.#.id"), ("FirstName", "users.#.name"), ("BusinessNumber", "users.#.phone"),
    ]
    ticket = tpl.create_new_ticket_scenario.main_request
    assert ticket.body.value.startswith('{"ticket":{"status":"new"')
    assert tpl.common_scenario.request("GetIdentities").outputs[0].path == 'identities.#(type=="phone_number")#|1.value'


def test_journal_views_read_subject_and_description(zendesk_xml: bytes) -> None:
    tpl = parse_template(zendesk_xml)
    ticket, journal = tpl.create_new_ticket_scenario, tpl.call_journal_scenario
    assert ticket.enable_subject == "1" and ticket.subject.startswith("{{.Communication_Type}}")
    assert journal.enable_play_call_recording == "1" and journal.play_call_recording == "0"
    assert journal.subject is None


def test_parameters_the_model_does_not_know_are_still_read(zendesk_xml: bytes) -> None:
    ticket = parse_template(zendesk_xml).scenario("CreateNewTicket")
    assert ticket.value("NeedSyncContact") == "1"
    assert [p.name for p in ticket.children_of("CustomScenarioParameter")] == ["DepartmentId"]


def test_every_element_records_its_source_line(zendesk_xml: bytes) -> None:
    tpl = parse_template(zendesk_xml)
    text = zendesk_xml.decode()
    assert tpl.src.line == 2
    assert tpl.scenario("Common").src.line == line_of(text, '<Scenario Id="Common"')
    assert tpl.scenario("Common").requests[0].outputs[-1].src.line == line_of(text, 'Name="OtherNumber" Path="identities')


def test_the_overview_examples_url_attribute_is_read_as_the_request_address() -> None:
    xml = '<Information><Scenarios><Scenario Id="1" Type="REST"><Requests>' \
          '<Request Name="R" Method="GET" URL="https://api.example.com/getuser"/></Requests></Scenario></Scenarios></Information>'
    request = parse_template(xml).scenarios[0].requests[0]
    assert (request.url, request.url_format, request.address) == ("https://api.example.com/getuser", None, "https://api.example.com/getuser")


def test_a_view_setting_writes_the_parameter(zendesk_xml: bytes) -> None:
    tpl = parse_template(zendesk_xml)
    tpl.call_journal_scenario.subject = "Call {{.Time}}"
    assert tpl.scenario("CallJournal").value("Subject") == "Call {{.Time}}"
    tpl.auth_method_scenario.token_type = None
    assert tpl.scenario("AuthMethod").param("TokenType") is None


def test_newlines_inside_an_attribute_value_are_read_as_spaces_like_xml_says() -> None:
    tpl = parse_template('<Information Name="a\nb&#10;c"/>')
    assert tpl.name == "a b\nc"


# -- the malformed real-world template -------------------------------------------------


def test_malformed_template_is_refused_at_the_bare_ampersand_on_line_10(malformed_xml: bytes) -> None:
    problem = syntax_problem(malformed_xml)
    text = malformed_xml.decode()
    assert problem.line == 10
    assert problem.col == col_of(text, "&client_secret")
    assert problem.message == 'in <Parameter> attribute Value: a bare "&" is not allowed in XML; write & as &amp;'
    assert (problem.element, problem.attribute) == ("Parameter", "Value")
    assert str(problem).startswith(f"10:{problem.col}: in <Parameter> attribute Value")


# -- size -----------------------------------------------------------------------------


def test_a_template_over_1_mb_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the parser must not run")

    monkeypatch.setattr(parse_module.etree, "fromstring", no_parsing)
    data = b"<Information>" + b" " * MAX_TEMPLATE_BYTES + b"</Information>"
    problem = syntax_problem(data)
    assert (problem.line, problem.col) == (1, 1)
    assert "less than 1 MB (at most 1,048,575 bytes)" in problem.message


def test_text_over_1_mb_in_utf8_is_refused_even_when_shorter_in_characters() -> None:
    text = "<Information Name='" + "é" * (MAX_TEMPLATE_BYTES // 2) + "'/>"
    assert len(text) < MAX_TEMPLATE_BYTES
    assert "at most" in syntax_problem(text).message


def test_a_template_of_exactly_the_limit_is_accepted(minimal_xml: str) -> None:
    padding = MAX_TEMPLATE_BYTES - len(minimal_xml.encode()) - len("<!---->\n")
    xml = minimal_xml + "<!--" + "x" * padding + "-->\n"
    assert len(xml.encode()) == MAX_TEMPLATE_BYTES
    assert parse_template(xml).name == "Minimal CRM"


def test_a_template_of_exactly_1_mb_is_refused_as_the_guide_says(minimal_xml: str) -> None:
    padding = 1_048_576 - len(minimal_xml.encode()) - len("<!---->\n")
    xml = minimal_xml + "<!--" + "x" * padding + "-->\n"
    assert len(xml.encode()) == 1_048_576
    assert "less than 1 MB" in syntax_problem(xml.encode()).message


# -- DTDs and entities ------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Information Name="&lol3;"/>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Information [<!ENTITY passwd SYSTEM "file:///etc/passwd">]>
<Information Name="x" Remark="&passwd;"><Scenarios/></Information>
"""


def test_a_billion_laughs_doctype_is_refused_with_its_position(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_module.etree, "fromstring", lambda *a, **k: pytest.fail("parser ran"))
    problem = syntax_problem(BILLION_LAUGHS)
    assert (problem.line, problem.col) == (2, 1)
    assert "<!DOCTYPE …> declarations are not allowed" in problem.message


def test_an_external_entity_is_refused_and_the_file_is_never_read() -> None:
    with pytest.raises(TemplateXMLError) as caught:
        parse_template(EXTERNAL_ENTITY)
    assert "root:" not in str(caught.value)  # nothing from /etc/passwd leaked into the message
    assert caught.value.problems[0].line == 2
    assert caught.value.template is None


def test_an_entity_reference_without_a_doctype_is_an_unknown_entity() -> None:
    problem = syntax_problem('<Information Remark="&passwd;"/>')
    assert 'unknown entity "&passwd;"' in problem.message
    assert problem.col == col_of('<Information Remark="&passwd;"/>', "&passwd")


def test_a_doctype_written_inside_a_comment_is_just_a_comment() -> None:
    tpl = parse_template("<!-- <!DOCTYPE x> --><Information/>")
    assert tpl.leading[0].text == " <!DOCTYPE x> "


# -- syntax errors, told in words ---------------------------------------------------------

SYNTAX_CASES = [
    # (xml, expected line, column of this needle (or a number), message fragment)
    ('<Information>\n  <Scenarios Id="a<b"/>\n</Information>', 2, "<b", 'in <Scenarios> attribute Id: a bare "<" is not allowed'),
    ("<Information>\n  <Scenarios>\n</Information>", 3, "</Information>", "closing tag </Information> does not match the open element <Scenarios> from line 2"),
    ("<Information>\n  <Scenarios>\n", 2, "<Scenarios>", "element <Scenarios> is never closed; add </Scenarios>"),
    ("<Information>\n  <Scenarios></Scenario>\n</Information>", 2, "</Scenario>", "closing tag </Scenario> does not match"),
    ('<Information>\n  <Scenario Id=AuthMethod/>\n</Information>', 2, "AuthMethod", 'in <Scenario> attribute Id: the value must be in quotes; write Id="…"'),
    ('<Information Name="a" Name="b"/>', 1, 'Name="b"', "in <Information> attribute Name: the attribute is written twice"),
    ("", 1, 1, "the template is empty"),
    ("   \n", 2, 1, "expected the <Information …> root element"),
    ('<Information>\n<Parameter Value="{"a":1}"/>\n</Information>', 2, '"a', 'in <Parameter> attribute Value: a bare " ends this value too early; inside a value quoted with " write " as &quot;'),
    ("<Information/>\n<Information/>", 2, 1, "there is content after the root element has ended"),
    ("<Information>\x01</Information>", 1, "\x01", "character U+0001 is not allowed"),
    ('<Information Name="x', 1, '"x', "in <Information> attribute Name: this value is never closed"),
    ("<Information><!-- open </Information>", 1, "<!--", "this comment is never closed"),
    ("<Information>a & b</Information>", 1, "&", 'in the text of <Information>: a bare "&" is not allowed in XML; write & as &amp;'),
    ('<Information Name="&nbsp;"/>', 1, "&", "HTML entity"),
    ("\n<?xml version='1.0'?><Information/>", 2, "<?xml", "must be the very first thing"),
    ("<x:Information/>", 1, 1, 'the prefix "x:"'),
]


@pytest.mark.parametrize(("xml", "line", "where", "fragment"), SYNTAX_CASES)
def test_syntax_errors_are_located_and_explained(xml: str, line: int, where: str | int, fragment: str) -> None:
    problem = syntax_problem(xml)
    col = where if isinstance(where, int) else col_of(xml, where)
    assert (problem.line, problem.col) == (line, col), str(problem)
    assert fragment in problem.message, str(problem)


def test_every_syntax_problem_has_a_line_and_column_from_1() -> None:
    for xml, *_ in SYNTAX_CASES:
        problem = syntax_problem(xml)
        assert problem.line >= 1 and problem.col >= 1


def test_columns_count_characters_not_bytes() -> None:
    xml = '<Information Name="ééé&x"/>'
    assert syntax_problem(xml).col == col_of(xml, "&")
    assert syntax_problem(xml.encode("utf-8")).col == col_of(xml, "&")


def test_crlf_line_endings_keep_lines_and_columns() -> None:
    xml = '<Information>\r\n  <Scenarios Id="a&b"/>\r\n</Information>'
    problem = syntax_problem(xml)
    assert (problem.line, problem.col) == (2, col_of(xml.replace("\r\n", "\n"), "&"))


# -- XML version and encodings ---------------------------------------------------------------


def test_an_xml_1_1_declaration_is_accepted() -> None:
    tpl = parse_template('<?xml version="1.1" encoding="UTF-8"?>\n<Information Name="x"/>')
    assert tpl.name == "x"


def test_errors_after_an_xml_1_1_declaration_keep_their_column() -> None:
    xml = '<?xml version="1.1"?><Information Name="a&b"/>'
    assert syntax_problem(xml).col == col_of(xml, "&")


def test_a_latin_1_file_is_decoded_by_its_declaration() -> None:
    data = '<?xml version="1.0" encoding="ISO-8859-1"?><Information Name="Café"/>'.encode("latin-1")
    assert parse_template(data).name == "Café"


def test_a_utf_16_file_with_a_bom_is_read() -> None:
    data = codecs.BOM_UTF16_LE + '<?xml version="1.0" encoding="UTF-16"?><Information Name="Ü"/>'.encode("utf-16-le")
    assert parse_template(data).name == "Ü"


def test_a_utf_8_bom_is_ignored_and_does_not_shift_columns() -> None:
    problem = syntax_problem(codecs.BOM_UTF8 + b'<Information Name="a&b"/>')
    assert problem.col == col_of('<Information Name="a&b"/>', "&")


def test_bytes_that_are_not_utf_8_are_refused_with_their_position() -> None:
    problem = syntax_problem(b'<Information>\n  <Scenarios Id="caf\xe9"/>\n</Information>')
    assert (problem.line, problem.col) == (2, len('  <Scenarios Id="caf') + 1)
    assert "not valid UTF-8" in problem.message and "0xE9" in problem.message


def test_an_unknown_declared_encoding_is_refused() -> None:
    problem = syntax_problem(b'<?xml version="1.0" encoding="klingon"?><Information/>')
    assert 'unknown encoding "klingon"' in problem.message


@pytest.mark.parametrize("encoding", ["base64", "idna", "utf-7", "punycode", "utf-32", "rot13", "cp037"])
def test_python_codecs_that_are_no_xml_encoding_are_refused_by_name(encoding: str) -> None:
    data = f'<?xml version="1.0" encoding="{encoding}"?><Information Name="x"/>'.encode()
    problem = syntax_problem(data)
    assert f'unsupported encoding "{encoding}"' in problem.message
    assert (problem.line, problem.col) == (1, data.index(encoding.encode()) + 1)


@pytest.mark.parametrize("encoding", ["UTF-8", "US-ASCII", "ISO-8859-15", "windows-1250", "Windows-1258", "latin1"])
def test_the_encodings_xml_files_are_written_in_are_read(encoding: str) -> None:
    data = f'<?xml version="1.0" encoding="{encoding}"?><Information Name="Abc"/>'.encode()
    assert parse_template(data).name == "Abc"


def test_a_megabyte_declared_as_punycode_is_refused_without_decoding_it() -> None:
    # Decoding this as punycode took 48 s: the name alone must refuse it.
    data = b'<?xml version="1.0" encoding="punycode"?>' + b"a" * (1_048_000 - 60) + b"<Information/>"
    assert 'unsupported encoding "punycode"' in syntax_problem(data).message


def test_a_lone_surrogate_in_text_input_is_refused_with_its_position() -> None:
    problem = syntax_problem('<Information Name="\ud800"/>')
    assert (problem.line, problem.col) == (1, 20) and "U+D800" in problem.message


def test_parse_refuses_things_that_are_not_text() -> None:
    with pytest.raises(TypeError):
        parse_template(12)  # type: ignore[arg-type]


def test_parse_does_not_validate() -> None:
    assert isinstance(parse_template("<Anything/>"), IntegrationTemplate)


def test_a_second_wrapper_is_kept_as_unknown_not_merged(minimal_xml: str) -> None:
    xml = replace_once(minimal_xml, "      <Requests />\n", "      <Requests />\n      <Requests />\n")
    auth = parse_template(xml).scenario("AuthMethod")
    assert [u.tag for u in auth.other_children] == ["Requests"]
