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


def changed_lines(old: str, new: str) -> tuple[list[str], list[str]]:
    """(removed, added) lines, as the version history shows them."""
    import difflib

    removed, added = [], []
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0):
        if line.startswith("-") and not line.startswith("---"):
            removed.append(line[1:])
        elif line.startswith("+") and not line.startswith("+++"):
            added.append(line[1:])
    return removed, added


def edit_post(template, **changes) -> dict:
    post = initial_to_post(mapping.to_initial(parse_template(template.xml)))
    post.update(changes)
    return post


@pytest.mark.parametrize("path", valid_templates(), ids=lambda p: p.name)
def test_changing_only_the_remark_changes_exactly_one_line(client_logged_in, path):
    template = library.save_template(path.read_bytes())
    before = template.xml
    response = client_logged_in.post(reverse("templates_app:edit", args=[template.pk]),
                                     edit_post(template, remark="Edited & checked <once>"))
    assert response.status_code == 302, response.content.decode()[:500]
    template.refresh_from_db()
    removed, added = changed_lines(before, template.xml)
    assert len(removed) == 1 and len(added) == 1
    assert "Edited &amp; checked &lt;once>" in added[0]
    assert parse_template(template.xml).remark == "Edited & checked <once>"
    assert template.versions.count() == 1


HAND_WRITTEN = FIXTURES / "hand-written-crm.xml"  # 4-space indents, <X></X>, &gt;, quotes


def test_a_field_edit_changes_only_the_lines_of_that_field(client_logged_in):
    template = library.save_template(HAND_WRITTEN.read_bytes())
    before = template.xml
    post = edit_post(template, name="Renamed CRM", base64_credential="{{.api_key}}:x")
    client_logged_in.post(reverse("templates_app:edit", args=[template.pk]), post)
    template.refresh_from_db()
    removed, added = changed_lines(before, template.xml)
    assert len(removed) == len(added) == 2
    assert 'Name="Renamed CRM"' in added[0]
    assert added[1] == '                <Parameter Name="Base64EncodedCredential" Value="{{.api_key}}:x" />'


def test_a_custom_field_added_in_the_form_rewrites_only_its_list(client_logged_in):
    template = library.save_template(HAND_WRITTEN.read_bytes())
    before = template.xml
    post = edit_post(template)
    total = int(post["fields-TOTAL_FORMS"])
    post.update({f"fields-{total}-editor": "string", f"fields-{total}-name": "region",
                 f"fields-{total}-title": "Region", "fields-TOTAL_FORMS": str(total + 1)})
    client_logged_in.post(reverse("templates_app:edit", args=[template.pk]), post)
    template.refresh_from_db()
    removed, added = changed_lines(before, template.xml)
    assert any('Name="region"' in line for line in added)
    # The list holding the custom fields is written anew; the rest keeps its bytes.
    assert all(line.startswith("                <Parameter") for line in removed)
    assert template.xml.count("></Output>") == before.count("></Output>")
    assert "<Scenarios><!-- written by hand -->" in template.xml
