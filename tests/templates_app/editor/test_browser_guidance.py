"""What the Add/Edit form tells the admin before and after a save, in headless Chromium:
required fields, the error banner, unsaved changes, the sticky Save bar."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


def marker_shown(page, field_id: str) -> bool:
    return page.locator(f'label[for="{field_id}"] .req').is_visible()


def test_oauth2_marks_its_endpoints_required_and_none_does_not(page, live_server):
    page.goto(reverse("templates_app:add"))
    page.select_option("#id_auth_method", "oauth2")
    assert marker_shown(page, "id_auth_endpoint") and marker_shown(page, "id_token_endpoint")
    assert not marker_shown(page, "id_scope")
    assert page.get_attribute("#id_auth_endpoint", "aria-required") == "true"
    page.select_option("#id_auth_method", "bearertoken")
    assert marker_shown(page, "id_token_endpoint")
    assert page.get_attribute("#id_auth_endpoint", "aria-required") == "false"


def test_an_oauth2_endpoint_left_empty_says_it_is_required_until_filled(page, live_server):
    page.goto(reverse("templates_app:add"))
    page.select_option("#id_auth_method", "oauth2")
    page.focus("#id_auth_endpoint")
    page.focus("#id_token_endpoint")  # leaves the Authorization Endpoint empty
    note = page.locator(".ed-field:has(#id_auth_endpoint) [data-required-note]")
    assert note.inner_text() == "Required for OAuth2 authentication."
    page.fill("#id_auth_endpoint", "https://crm.example.com/oauth/auth")
    assert not note.is_visible()


def test_a_field_required_by_a_switch_is_marked_only_while_the_switch_is_on(page, live_server):
    page.goto(reverse("templates_app:add"))
    assert not marker_shown(page, "id_journal_url")
    page.check("#id_call_journal", force=True)
    assert marker_shown(page, "id_journal_url")


def test_a_refused_save_lists_every_problem_with_a_link_to_its_field(page, live_server):
    page.goto(reverse("templates_app:add"))
    page.select_option("#id_auth_method", "oauth2")
    page.click("#template-editor button[type=submit]")
    banner = page.locator("#save-errors")
    banner.wait_for()
    links = {a.inner_text(): a.get_attribute("href") for a in banner.locator("a").all()}
    assert links["Authorization Endpoint: Required for OAuth2 authentication."] == "#id_auth_endpoint"
    assert links["Token Endpoint: Required for OAuth2 authentication."] == "#id_token_endpoint"
    assert links["CRM Name: This field is required."] == "#id_name"
    assert "Enable and map at least one phone number in Contact Field Mapping." in banner.inner_text()


def test_a_banner_link_opens_the_fields_section_and_focuses_it(page, live_server):
    page.goto(reverse("templates_app:add"))
    page.select_option("#id_auth_method", "oauth2")
    page.click("#template-editor button[type=submit]")
    page.locator("#save-errors").wait_for()
    page.evaluate("document.getElementById('section-auth').open = false")
    page.click('#save-errors a[href="#id_token_endpoint"]')
    assert page.evaluate("document.getElementById('section-auth').open")
    assert page.evaluate("document.activeElement.id") == "id_token_endpoint"
    assert page.locator("#id_token_endpoint").is_visible()


def test_cancel_with_unsaved_changes_asks_and_stays_when_the_admin_says_no(page, live_server):
    page.goto(reverse("templates_app:add"))
    page.fill("#id_name", "Half done")
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.click("[data-cancel]")
    assert asked == ["Leave without saving? Your changes to this template will be lost."]
    assert page.url.endswith(reverse("templates_app:add"))
    assert page.input_value("#id_name") == "Half done"


def test_cancel_with_unsaved_changes_leaves_once_the_admin_agrees(page, live_server):
    page.goto(reverse("templates_app:add"))
    page.fill("#id_name", "Half done")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    page.click("[data-cancel]")
    page.wait_for_url("**" + reverse("templates_app:list"))
    assert dialogs == ["confirm"]  # and no second "leave site?" from beforeunload


def test_cancel_without_changes_leaves_without_asking(page, live_server):
    page.goto(reverse("templates_app:add"))
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.click("[data-cancel]")
    page.wait_for_url("**" + reverse("templates_app:list"))
    assert dialogs == []


def test_closing_the_tab_with_unsaved_changes_asks(page, live_server):
    page.goto(reverse("templates_app:add"))
    page.fill("#id_name", "Half done")
    page.click("h1")  # a page only asks on unload after the user interacted with it
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]


def test_the_save_bar_does_not_cover_the_field_being_edited(page, live_server):
    page.set_viewport_size({"width": 1000, "height": 600})
    page.goto(reverse("templates_app:add"))
    bar = page.locator(".ed-actions")
    field = page.locator("#id_url_format")
    # Scroll so that the field sits right under the sticky bar, then edit it.
    top = page.evaluate("document.getElementById('id_url_format').getBoundingClientRect().top")
    page.evaluate(f"window.scrollBy(0, {top} - (window.innerHeight - 30))")
    assert field.bounding_box()["y"] + 10 > bar.bounding_box()["y"]  # covered now
    field.focus()
    assert field.bounding_box()["y"] + field.bounding_box()["height"] <= bar.bounding_box()["y"]


# -- switching authentication method -----------------------------------------------------


def live_field_names(page) -> list[str]:
    return page.evaluate("""Array.from(document.querySelectorAll('[data-formset="fields"] [data-rows] > [data-row]'))
        .filter(row => !row.hidden).map(row => row.querySelector('[name$="-name"]').value)""")


def test_fields_suggested_for_basic_are_shown_as_new(page, live_server):
    page.goto(reverse("templates_app:add"))
    page.select_option("#id_auth_method", "basic")
    assert live_field_names(page) == ["username", "password"]
    tags = page.locator('[data-formset="fields"] [data-row]:not([hidden]) [data-suggested-tag]')
    assert tags.all_inner_texts() == ["New · suggested for Basic"] * 2


def test_switching_away_from_basic_offers_to_remove_its_fields(page, live_server):
    page.goto(reverse("templates_app:add"))
    page.select_option("#id_auth_method", "basic")
    page.select_option("#id_auth_method", "oauth2")
    offer = page.locator("#method-fields-offer")
    assert offer.inner_text().startswith("These custom fields were for Basic: username, password.")
    offer.get_by_role("button", name="Remove them").click()
    assert live_field_names(page) == []
    assert not offer.is_visible()


def test_fields_kept_after_switching_stay_and_new_rows_come_after_them(page, live_server):
    page.goto(reverse("templates_app:add"))
    page.select_option("#id_auth_method", "basic")
    page.select_option("#id_auth_method", "bearertoken")
    page.locator("#method-fields-offer").get_by_role("button", name="Keep them").click()
    page.click('[data-formset="fields"] [data-add-row]')
    assert live_field_names(page) == ["username", "password", ""]
    assert page.locator("[data-suggested-tag]:visible").count() == 0  # kept: the admin's now


def test_switching_method_on_an_edited_template_offers_the_fields_its_old_settings_used(page, live_server, template_xml):
    from templates_app.library import save_template

    template = save_template(template_xml())  # OAuth2, its endpoints built from custom fields
    page.goto(reverse("templates_app:edit", args=[template.pk]))
    before = live_field_names(page)
    page.select_option("#id_auth_method", "none")
    offer = page.locator("#method-fields-offer")
    assert offer.inner_text().startswith("These custom fields were for OAuth2: ")
    named = offer.locator("strong").inner_text().split(", ")
    # client_id and client_secret only build the endpoints; the helpdesk's domain is in
    # every request's URL too, and app_url in no OAuth2 setting: neither is offered.
    assert {"client_id", "client_secret"} <= set(named)
    assert "app_url" not in named and "helpdesk_domain" not in named
    assert live_field_names(page) == before  # nothing dropped without asking


def test_switching_back_before_answering_withdraws_the_offer(page, live_server):
    page.goto(reverse("templates_app:add"))
    page.select_option("#id_auth_method", "basic")
    page.select_option("#id_auth_method", "oauth2")
    page.select_option("#id_auth_method", "basic")
    assert not page.locator("#method-fields-offer").is_visible()
    assert live_field_names(page) == ["username", "password"]
