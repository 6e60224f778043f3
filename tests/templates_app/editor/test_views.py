"""The Add / Edit pages and the live check, through Django's test client."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from templates_app.models import CrmTemplate
from templates_app.xmlmodel import load_template, parse_template

from .conftest import build_form_data, initial_to_post

ADD = reverse("templates_app:add")
CHECK = reverse("templates_app:check_field")

pytestmark = pytest.mark.django_db


def _edit_post(client, template, **changes):
    from templates_app.editor import mapping

    post = initial_to_post(mapping.to_initial(parse_template(template.xml)))
    post.update(changes)
    return client.post(reverse("templates_app:edit", args=[template.pk]), post)


def _png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (150, 150), "navy").save(buffer, "PNG")
    buffer.seek(0)
    buffer.name = "logo.png"
    return buffer


def test_the_add_page_shows_every_section_of_the_guide(client_logged_in):
    page = client_logged_in.get(ADD).content.decode()
    for heading in (
        "General",
        "User Association",
        "Authentication Method",
        "Headers",
        "Synchronize Contacts Automatically",
        "Create New Contact",
        "Call Journal",
    ):
        assert f"<h2>{heading}</h2>" in page


@pytest.mark.parametrize("method", ["none", "basic", "oauth2", "bearertoken"])
def test_adding_a_template_stores_xml_that_parses_and_validates(client_logged_in, method):
    response = client_logged_in.post(ADD, build_form_data(method))
    template = CrmTemplate.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("templates_app:edit", args=[template.pk])
    tpl = load_template(template.xml)
    assert (tpl.auth_type, template.auth_type) == (method, method)


def test_two_templates_with_the_same_name_get_different_keys(client_logged_in):
    client_logged_in.post(ADD, build_form_data(name="Same CRM"))
    client_logged_in.post(ADD, build_form_data(name="Same CRM"))
    assert sorted(CrmTemplate.objects.values_list("key", flat=True)) == ["same_crm", "same_crm_2"]


def test_adding_a_template_with_a_logo_stores_the_logo(client_logged_in):
    client_logged_in.post(ADD, {**build_form_data(), "logo": _png()})
    template = CrmTemplate.objects.get()
    assert template.logo_content_type == "image/png"
    assert load_template(template.xml).logo == "logo.png"


def test_a_logo_that_is_not_an_image_is_refused_on_the_logo_field(client_logged_in):
    fake = io.BytesIO(b"not a png at all")
    fake.name = "logo.png"
    response = client_logged_in.post(ADD, {**build_form_data(), "logo": fake})
    assert response.status_code == 200
    assert response.context["editor"].form.errors["logo"]
    assert not CrmTemplate.objects.exists()


def test_a_decompression_bomb_logo_is_a_logo_field_error(client_logged_in, png_bomb):
    bomb = io.BytesIO(png_bomb)
    bomb.name = "logo.png"
    response = client_logged_in.post(ADD, {**build_form_data(), "logo": bomb})
    assert response.status_code == 200
    assert "at most 4096 × 4096" in response.context["editor"].form.errors["logo"][0]
    assert not CrmTemplate.objects.exists()


def test_a_broken_url_template_is_a_field_error_with_its_column(client_logged_in):
    post = build_form_data(**{"search-0-url": "https://x/{{.a"})
    response = client_logged_in.post(ADD, post)
    errors = response.context["editor"].search_types.forms[0].errors["url"]
    assert errors[0].startswith("column ")
    assert not CrmTemplate.objects.exists()


def test_a_broken_mapping_path_is_a_field_error_with_its_column(client_logged_in):
    response = client_logged_in.post(ADD, build_form_data(contacts_id_path="data.#("))
    assert response.context["editor"].form.errors["contacts_id_path"][0].startswith("column ")


def test_a_sixth_custom_field_for_basic_authentication_is_refused(client_logged_in):
    fields = [{"editor": "string", "name": f"f{i}", "title": f"F{i}"} for i in range(6)]
    response = client_logged_in.post(ADD, build_form_data("basic", fields=fields))
    assert "up to 5 custom fields" in str(response.context["editor"].custom_fields.non_form_errors())
    assert not CrmTemplate.objects.exists()


def test_ten_custom_fields_for_bearer_token_are_accepted(client_logged_in):
    fields = [{"editor": "string", "name": f"f{i}", "title": f"F{i}"} for i in range(10)]
    client_logged_in.post(ADD, build_form_data("bearertoken", fields=fields))
    assert CrmTemplate.objects.count() == 1


def test_a_twenty_first_header_is_refused(client_logged_in):
    headers = [{"name": f"X-H{i}", "value": "v"} for i in range(21)]
    response = client_logged_in.post(ADD, build_form_data(headers=headers))
    assert "up to 20 custom headers" in str(response.context["editor"].headers.non_form_errors())


def test_a_template_without_a_phone_mapping_is_refused(client_logged_in):
    response = client_logged_in.post(ADD, build_form_data(business_number_enable=None))
    assert "at least one phone number" in str(response.context["editor"].form.non_field_errors())


def test_the_eleventh_template_is_refused_with_the_libraries_message(client_logged_in):
    for index in range(10):
        client_logged_in.post(ADD, build_form_data(name=f"CRM {index}"))
    response = client_logged_in.post(ADD, build_form_data(name="CRM 11"), follow=True)
    assert CrmTemplate.objects.count() == 10
    assert "You already have 10 custom templates" in response.content.decode()


def test_editing_the_realworld_template_keeps_its_extras(client_logged_in, realworld_template):
    response = _edit_post(client_logged_in, realworld_template, remark="Edited through the form")
    assert response.status_code == 302
    realworld_template.refresh_from_db()
    tpl = parse_template(realworld_template.xml)
    assert tpl.remark == "Edited through the form"
    assert tpl.scenario("Common").requests[0].name == "GetIdentities"
    assert tpl.scenario("AuthMethod").children_of("TokenErrorMap")
    assert tpl.scenario("SyncContactAuto").requests[0].next == "GetIdentities"


def test_the_edit_page_lists_the_parts_it_keeps_as_written(client_logged_in, realworld_template):
    page = client_logged_in.get(reverse("templates_app:edit", args=[realworld_template.pk])).content.decode()
    assert "Scenario Common (1 request: GetIdentities) — kept as written; edit in the XML view" in page


def test_after_saving_a_template_in_use_the_page_offers_to_apply_it(client_logged_in, realworld_template):
    from integrations.models import Integration

    Integration.objects.create(template=realworld_template, applied_xml=realworld_template.xml)
    response = _edit_post(client_logged_in, realworld_template, remark="changed")
    page = client_logged_in.get(response["Location"]).content.decode()
    assert reverse("integrations:apply", args=[realworld_template.pk]) in page
    assert "Apply to current integration" in page


def test_the_live_check_reports_a_broken_url_under_its_field(client_logged_in):
    response = client_logged_in.post(
        CHECK, {"search-0-url": "https://x/{{.a"}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="search-0-url"
    )
    assert 'class="error"' in response.content.decode()
    assert "column" in response.content.decode()


def test_the_live_check_answers_nothing_for_a_good_path(client_logged_in):
    response = client_logged_in.post(
        CHECK,
        {"first_name_path": "data.#.name"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="first_name_path",
    )
    assert response.content.decode().strip() == ""


def test_the_live_check_refuses_a_field_it_does_not_know(client_logged_in):
    response = client_logged_in.post(
        CHECK, {"name": "x"}, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="name"
    )
    assert response.status_code == 400


def test_a_broken_field_of_a_switched_off_section_does_not_block_the_save(client_logged_in):
    post = build_form_data(
        journal_url="https://x/{{.a", **{"create-TOTAL_FORMS": "1", "create-0-name": "Leads"}
    )
    response = client_logged_in.post(ADD, post)
    assert response.status_code == 302
    assert load_template(CrmTemplate.objects.get().xml).scenario("CallJournal") is None


def test_a_setting_of_another_auth_method_is_not_written(client_logged_in):
    post = build_form_data("none", auth_endpoint="https://x/{{.a")
    client_logged_in.post(ADD, post)
    assert load_template(CrmTemplate.objects.get().xml).scenario("AuthMethod").value("AuthEndPoint") == ""


def test_at_ten_templates_the_add_page_refuses_at_the_door(client_logged_in, template_xml):
    from templates_app import library

    for n in range(library.MAX_TEMPLATES):
        library.save_template(template_xml(f"crm{n}"))
    response = client_logged_in.get(ADD, follow=True)
    content = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("templates_app:list")
    assert "You already have 10 custom templates" in content and 'id="template-editor"' not in content
