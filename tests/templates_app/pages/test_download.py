"""Downloading templates: one as its .xml, several as a .zip."""

import io
import zipfile

from django.urls import reverse

from templates_app import library

URL = reverse("templates_app:download")


def test_one_selected_template_downloads_as_its_xml(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme"))
    response = client_logged_in.get(URL, {"ids": [template.pk]})
    assert response["Content-Disposition"] == 'attachment; filename="acme.xml"'
    assert response.content.decode() == template.xml


def test_several_selected_templates_download_as_a_zip_of_their_xml(client_logged_in, template_xml):
    a, b = library.save_template(template_xml("a")), library.save_template(template_xml("b"))
    response = client_logged_in.get(URL, {"ids": [a.pk, b.pk]})
    assert response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert {n: archive.read(n).decode() for n in archive.namelist()} == {"a.xml": a.xml, "b.xml": b.xml}


def test_downloading_nothing_selected_returns_to_the_list_with_a_message(client_logged_in):
    response = client_logged_in.get(URL, follow=True)
    assert b"Select the templates to download first." in response.content
