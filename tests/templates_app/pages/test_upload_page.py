"""Template Management › Upload, through Django's test client."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from templates_app import library
from templates_app.models import CrmTemplate

URL = reverse("templates_app:upload")


def upload(client, content: bytes, **extra):
    return client.post(URL, {"file": SimpleUploadedFile("template.xml", content, "text/xml"), **extra})


def test_the_upload_page_shows_the_form(client_logged_in):
    response = client_logged_in.get(URL)
    assert response.status_code == 200
    assert b'type="file" name="file"' in response.content


def test_a_valid_upload_is_saved_and_listed(client_logged_in, realworld_template_path):
    response = upload(client_logged_in, realworld_template_path.read_bytes())
    assert response.status_code == 302 and response["Location"] == reverse("templates_app:list")
    assert CrmTemplate.objects.get().name == "Lovable Helpdesk"


def test_an_invalid_upload_lists_each_error_with_line_and_column(client_logged_in, malformed_template_path):
    response = upload(client_logged_in, malformed_template_path.read_bytes())
    assert response.status_code == 400
    assert b"Line 10, column" in response.content


def test_an_invalid_upload_saves_nothing(client_logged_in, malformed_template_path):
    upload(client_logged_in, malformed_template_path.read_bytes())
    assert CrmTemplate.objects.count() == 0


def test_a_file_of_1_mb_or_more_is_refused_before_parsing(client_logged_in, template_xml):
    big = template_xml("big").encode() + b"<!--" + b"x" * (1024 * 1024) + b"-->"
    response = upload(client_logged_in, big)
    assert response.status_code == 400
    assert b"must be less than 1 MB" in response.content
    assert CrmTemplate.objects.count() == 0


def test_the_eleventh_upload_is_refused_with_a_clear_message(client_logged_in, template_xml):
    for n in range(library.MAX_TEMPLATES):
        library.save_template(template_xml(f"crm{n}"))
    response = upload(client_logged_in, template_xml("crm10").encode())
    assert response.status_code == 400
    assert b"You already have 10 custom templates" in response.content
    assert CrmTemplate.objects.count() == library.MAX_TEMPLATES


def test_an_upload_may_carry_a_logo(client_logged_in, template_xml, png_logo):
    logo = SimpleUploadedFile("logo.png", png_logo, "image/png")
    upload(client_logged_in, template_xml("acme").encode(), logo=logo)
    template = CrmTemplate.objects.get()
    assert (
        client_logged_in.get(reverse("templates_app:logo", args=[template.pk]))["Content-Type"] == "image/png"
    )


def test_an_upload_with_a_fake_logo_is_refused(client_logged_in, template_xml):
    logo = SimpleUploadedFile("logo.png", b"GIF89a not really", "image/png")
    response = upload(client_logged_in, template_xml("acme").encode(), logo=logo)
    assert response.status_code == 400 and CrmTemplate.objects.count() == 0


def test_an_upload_with_a_decompression_bomb_logo_is_refused_with_its_size(client_logged_in, template_xml, png_bomb):
    logo = SimpleUploadedFile("logo.png", png_bomb, "image/png")
    response = upload(client_logged_in, template_xml("acme").encode(), logo=logo)
    assert response.status_code == 400 and "at most 4096 × 4096" in response.content.decode()
    assert CrmTemplate.objects.count() == 0


def test_an_uploaded_logo_is_stored_as_the_portals_own_png(client_logged_in, template_xml, png_logo):
    logo = SimpleUploadedFile("logo.png", png_logo + b"<html>trailing</html>", "image/png")
    upload(client_logged_in, template_xml("acme").encode(), logo=logo)
    served = client_logged_in.get(reverse("templates_app:logo", args=[CrmTemplate.objects.get().pk]))
    assert served.content.startswith(b"\x89PNG") and b"<html>" not in served.content


@pytest.mark.django_db
def test_uploading_requires_a_csrf_token(admin_user, realworld_template_path):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = upload(client, realworld_template_path.read_bytes())
    assert response.status_code == 403 and CrmTemplate.objects.count() == 0


def test_a_failed_upload_names_the_file_and_asks_to_choose_it_again(client_logged_in, malformed_template_path):
    response = client_logged_in.post(URL, {"file": SimpleUploadedFile("zoho-crm.xml", malformed_template_path.read_bytes(),
                                                                      "text/xml")})
    content = response.content.decode()
    assert "“zoho-crm.xml” was not uploaded." in content and "choose the file again" in content
