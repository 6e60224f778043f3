"""Downloading templates: one as its .xml, several as a .zip."""

import io
import re
import zipfile

import pytest
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


def saved_name(header: str) -> tuple[str, str]:
    """(the ASCII filename, the RFC 5987 filename* decoded) of a Content-Disposition."""
    from urllib.parse import unquote

    assert header.startswith("attachment; ")
    plain = re.search(r'filename="([^"]*)"', header).group(1)
    star = re.search(r"filename\*=UTF-8''([^;]*)", header)
    return plain, unquote(star.group(1)) if star else plain


@pytest.mark.parametrize(("key", "ascii_name"), [("xssé", "xsse.xml"), ("客户", "download.xml"), ("café_crm", "cafe_crm.xml")])
def test_a_key_with_non_ascii_letters_downloads_under_its_own_name(client_logged_in, template_xml, key, ascii_name):
    template = library.save_template(template_xml(key))
    header = client_logged_in.get(URL, {"ids": [template.pk]})["Content-Disposition"]
    assert header.isascii() and "=?utf-8?" not in header
    assert saved_name(header) == (ascii_name, f"{key}.xml")


def test_several_non_ascii_templates_download_as_a_zip_keeping_their_names(client_logged_in, template_xml):
    ids = [library.save_template(template_xml(key)).pk for key in ("xssé", "客户")]
    response = client_logged_in.get(URL, {"ids": ids})
    assert response["Content-Disposition"] == 'attachment; filename="crm-templates.zip"'
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == sorted(["xssé.xml", "客户.xml"])
