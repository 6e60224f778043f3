"""The editor in a real headless Chromium (the portal's `page` fixture, signed in)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from templates_app.models import CrmTemplate
from templates_app.xmlmodel import parse_template

pytestmark = pytest.mark.browser

METHOD_INPUTS = {
    "none": {},
    "basic": {"#id_base64_credential": "{{.username}}:{{.password}}"},
    "oauth2": {
        "#id_auth_endpoint": "https://crm.example.com/oauth/auth?client_id={{.client_id}}",
        "#id_token_endpoint": "https://crm.example.com/oauth/token",
    },
    "bearertoken": {
        "#id_token_endpoint": "https://crm.example.com/oauth/token?grant_type=client_credentials"
    },
}


def _add_row(page, prefix: str) -> None:
    page.click(f'[data-formset="{prefix}"] [data-add-row]')


@pytest.mark.parametrize("method", ["none", "basic", "oauth2", "bearertoken"])
def test_a_template_added_through_the_form_is_listed(page, live_server, method):
    page.goto(reverse("templates_app:add"))
    page.fill("#id_name", f"Browser CRM {method}")
    page.select_option("#id_auth_method", method)
    for selector, value in METHOD_INPUTS[method].items():
        page.fill(selector, value)
    if method == "basic":
        # Choosing Basic suggests the credential fields of the default credential type.
        assert page.input_value("#id_fields-1-name") == "password"
    else:
        _add_row(page, "fields")
        page.fill("#id_fields-0-name", "api_key")
        page.fill("#id_fields-0-title", "API Key")
    _add_row(page, "search")
    page.fill("#id_search-0-name", "Contacts")
    page.fill("#id_search-0-url", "https://crm.example.com/contacts?phone={{.Phone}}")
    page.fill("#id_url_format", "https://crm.example.com/{{.ContactId}}")
    page.fill("#id_contacts_id_path", "data.#.id")
    page.fill("#id_first_name_path", "data.#.first_name")
    page.check("#id_business_number_enable", force=True)
    page.fill("#id_business_number_path", "data.#.phone")
    page.click("#template-editor button[type=submit]")
    page.wait_for_url("**/edit/**")

    page.goto(reverse("templates_app:list"))
    assert page.get_by_text(f"Browser CRM {method}").first.is_visible()
    assert CrmTemplate.objects.get().auth_type == method


def test_only_the_chosen_methods_settings_are_shown(page, live_server):
    page.goto(reverse("templates_app:add"))
    page.select_option("#id_auth_method", "oauth2")
    assert page.is_visible("#id_auth_endpoint")
    assert not page.is_visible("#id_base64_credential")
    page.select_option("#id_auth_method", "basic")
    assert page.is_visible("#id_base64_credential")
    assert not page.is_visible("#id_auth_endpoint")


def test_editing_an_uploaded_template_keeps_its_extras_in_the_downloaded_xml(
    page, live_server, realworld_xml, download_selected
):
    from templates_app.library import save_template

    template = save_template(realworld_xml)
    page.goto(reverse("templates_app:edit", args=[template.pk]))
    assert page.is_visible("text=Scenario Common (1 request: GetIdentities)")
    page.fill("#id_remark", "Edited in Chromium")
    page.click("#template-editor button[type=submit]")
    page.wait_for_url("**saved=1")

    tpl = parse_template(download_selected("Lovable Helpdesk").read_bytes())
    assert tpl.remark == "Edited in Chromium"
    assert tpl.scenario("Common").requests[0].name == "GetIdentities"
    assert tpl.scenario("AuthMethod").children_of("TokenErrorMap")[0].value == "invalid_token"
    assert tpl.scenario("AuthMethod").children_of("AuthOption")[0].name == "NoNeedRefreshAccessToken"
    assert tpl.scenario("SyncContactAuto").requests[0].next == "GetIdentities"
    assert tpl.scenario("CreateNewTicket").request("UpdateTicket") is not None


def test_a_broken_url_shows_its_error_while_typing(page, live_server):
    page.goto(reverse("templates_app:add"))
    _add_row(page, "search")
    page.locator("#id_search-0-url").press_sequentially("https://x/{{.a", delay=10)
    error = page.locator("[data-row]:has(#id_search-0-url) .field-check .error")
    error.wait_for()
    assert "column" in error.inner_text()
    assert page.url.endswith(reverse("templates_app:add"))
