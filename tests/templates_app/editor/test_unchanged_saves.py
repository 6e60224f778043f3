"""A save that changes nothing adds no version and keeps "Updated" (issue 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from templates_app import library
from templates_app.editor import mapping
from templates_app.xmlmodel import TemplateXMLError, load_template, parse_template
from tests.shared import REALWORLD

from .conftest import initial_to_post

FIXTURES = Path(__file__).resolve().parents[1] / "xmlmodel" / "fixtures"


def valid_templates() -> list[Path]:
    found = []
    for path in sorted(REALWORLD.glob("*.xml")) + sorted(FIXTURES.glob("*.xml")):
        try:
            load_template(path.read_bytes())
        except TemplateXMLError:
            continue  # the malformed real-world file, and fixtures that are fragments
        found.append(path)
    return found


@pytest.mark.parametrize("path", valid_templates(), ids=lambda p: p.name)
def test_saving_the_edit_form_unchanged_adds_no_version(client_logged_in, path):
    template = library.save_template(path.read_bytes())
    before = (template.xml, template.updated, template.revision)
    post = initial_to_post(mapping.to_initial(parse_template(template.xml)))
    response = client_logged_in.post(reverse("templates_app:edit", args=[template.pk]), post)
    assert response.status_code == 302, response.content.decode()[:500]
    template.refresh_from_db()
    assert (template.xml, template.updated, template.revision) == before
    assert not template.versions.exists()


def test_saving_the_xml_page_unchanged_adds_no_version(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme"))
    updated = template.updated
    client_logged_in.post(reverse("templates_app:xml", args=[template.pk]), {"xml": template.xml})
    template.refresh_from_db()
    assert template.updated == updated and not template.versions.exists()


def test_a_layout_change_on_the_xml_page_is_a_change(client_logged_in, template_xml):
    template = library.save_template(template_xml("acme"))
    client_logged_in.post(reverse("templates_app:xml", args=[template.pk]), {"xml": template.xml + "\n<!-- note -->"})
    template.refresh_from_db()
    assert template.versions.count() == 1
