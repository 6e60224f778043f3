"""Uploading templates in a real Chromium."""

import pytest
from playwright.sync_api import expect

from templates_app import library
from templates_app.models import CrmTemplate

pytestmark = pytest.mark.browser


def open_upload(page):
    page.goto("/integrations/crm/templates/")
    page.get_by_role("link", name="Upload", exact=True).click()


def test_uploading_the_real_world_template_lists_it(page, realworld_template_path):
    open_upload(page)
    page.set_input_files("input[name=file]", realworld_template_path)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#templates")).to_contain_text("Lovable Helpdesk")
    page.get_by_role("link", name="CRM", exact=True).click()
    expect(page.locator("#crm-list")).to_contain_text("Lovable Helpdesk")


def test_uploading_the_malformed_template_shows_its_line_10_error(page, malformed_template_path):
    open_upload(page)
    page.set_input_files("input[name=file]", malformed_template_path)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#problems .problem").first).to_contain_text("Line 10, column")
    assert CrmTemplate.objects.count() == 0


def test_an_eleventh_upload_is_refused(page, template_xml):
    for n in range(library.MAX_TEMPLATES):
        library.save_template(template_xml(f"crm{n}"))
    page.goto("/integrations/crm/templates/upload/")
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "crm10.xml", "mimeType": "text/xml", "buffer": template_xml("crm10").encode()}],
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("You already have 10 custom templates")
    assert CrmTemplate.objects.count() == library.MAX_TEMPLATES


def test_a_1_1_mb_file_is_refused(page, template_xml):
    big = template_xml("big").encode() + b"<!--" + b"x" * int(1.1 * 1024 * 1024) + b"-->"
    open_upload(page)
    page.set_input_files(
        "input[name=file]", files=[{"name": "big.xml", "mimeType": "text/xml", "buffer": big}]
    )
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("template files must be less than 1 MB")
    assert CrmTemplate.objects.count() == 0
