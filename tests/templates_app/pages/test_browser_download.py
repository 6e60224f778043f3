"""Downloading selected templates in a real Chromium."""

import zipfile

import pytest

from templates_app import library

pytestmark = pytest.mark.browser


def test_downloading_one_template_gives_its_xml(download_selected, realworld_template_path):
    library.save_template(realworld_template_path.read_bytes())
    downloaded = download_selected("Lovable Helpdesk")
    assert downloaded.read_bytes() == realworld_template_path.read_bytes()


def test_downloading_several_templates_gives_a_zip_of_their_xml(download_selected, template_xml):
    library.save_template(template_xml("alpha", "Alpha CRM"))
    library.save_template(template_xml("beta", "Beta CRM"))
    with zipfile.ZipFile(download_selected("Alpha CRM", "Beta CRM")) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    assert files == {
        "alpha.xml": template_xml("alpha", "Alpha CRM"),
        "beta.xml": template_xml("beta", "Beta CRM"),
    }


@pytest.mark.parametrize("key", ["xssé", "客户"])
def test_a_template_with_a_non_ascii_key_is_saved_under_its_name(page, template_xml, key):
    library.save_template(template_xml(key, name="Unicode CRM"))
    page.goto("/integrations/crm/templates/")
    page.get_by_label("Select Unicode CRM").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download").click()
    assert info.value.suggested_filename == f"{key}.xml"
