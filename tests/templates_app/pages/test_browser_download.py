"""Downloading selected templates in a real Chromium."""

import zipfile
from pathlib import Path

import pytest

from templates_app import library

pytestmark = pytest.mark.browser


def select_and_download(page, *names) -> Path:
    page.goto("/integrations/crm/templates/")
    for name in names:
        page.get_by_label(f"Select {name}").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download").click()
    return Path(info.value.path())


def test_downloading_one_template_gives_its_xml(page, realworld_template_path):
    library.save_template(realworld_template_path.read_bytes())
    downloaded = select_and_download(page, "Lovable Helpdesk")
    assert downloaded.read_bytes() == realworld_template_path.read_bytes()


def test_downloading_several_templates_gives_a_zip_of_their_xml(page, template_xml):
    library.save_template(template_xml("alpha", "Alpha CRM"))
    library.save_template(template_xml("beta", "Beta CRM"))
    with zipfile.ZipFile(select_and_download(page, "Alpha CRM", "Beta CRM")) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    assert files == {
        "alpha.xml": template_xml("alpha", "Alpha CRM"),
        "beta.xml": template_xml("beta", "Beta CRM"),
    }
