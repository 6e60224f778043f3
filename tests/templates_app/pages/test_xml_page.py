"""The XML view: the stored XML with line numbers, editable with the same validation."""

from django.urls import reverse

from templates_app import library


def xml_url(template):
    return reverse("templates_app:xml", args=[template.pk])


def test_the_xml_view_shows_the_stored_xml_with_line_numbers(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme"))
    content = client_logged_in.get(xml_url(template)).content.decode()
    assert "Key=&quot;acme&quot;" in content
    assert f'id="L{template.xml.count(chr(10)) + 1}"' in content


def test_saving_valid_xml_updates_the_template(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme", version="1.0.0"))
    client_logged_in.post(xml_url(template), {"xml": template_xml("acme", version="1.0.1")})
    template.refresh_from_db()
    assert template.version == "1.0.1"


def test_saving_xml_with_a_syntax_error_lists_it_by_line_and_highlights_the_line(
    client_logged_in, template_xml, malformed_template_path
):
    template = library.save_template(template_xml("acme"))
    response = client_logged_in.post(xml_url(template), {"xml": malformed_template_path.read_text()})
    content = response.content.decode()
    assert response.status_code == 400
    assert "Line 10, column" in content
    assert '<li id="L10" class="error-line">' in content


def test_saving_xml_with_a_syntax_error_keeps_the_stored_xml(
    client_logged_in, template_xml, malformed_template_path
):
    template = library.save_template(template_xml("acme"))
    client_logged_in.post(xml_url(template), {"xml": malformed_template_path.read_text()})
    template.refresh_from_db()
    assert template.xml == template_xml("acme")


def test_the_live_check_reports_problems_without_saving(
    client_logged_in, template_xml, malformed_template_path
):
    template = library.save_template(template_xml("acme"))
    url = reverse("templates_app:xml_check", args=[template.pk])
    response = client_logged_in.post(
        url, {"xml": malformed_template_path.read_text()}, HTTP_HX_REQUEST="true"
    )
    assert b"Line 10, column" in response.content
    template.refresh_from_db()
    assert template.xml == template_xml("acme")


def test_the_live_check_says_valid_xml_is_valid(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme"))
    url = reverse("templates_app:xml_check", args=[template.pk])
    assert b"The XML is valid." in client_logged_in.post(url, {"xml": template_xml("acme")}).content


def test_the_live_check_says_what_is_wrong_without_speaking_of_a_save(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme"))
    response = client_logged_in.post(reverse("templates_app:xml_check", args=[template.pk]), {"xml": "<Information>"})
    content = response.content.decode()
    assert "problem in the XML." in content and "nothing was saved" not in content


def test_a_refused_save_says_nothing_was_saved(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme"))
    response = client_logged_in.post(xml_url(template), {"xml": "<Information>"})
    assert "nothing was saved" in response.content.decode()
