"""The integration page: settings, Save connects, status, Disconnect, Test lookup."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import reverse

from integrations import connecting
from integrations.models import Integration
from tests.integrations.crm_server import PASSWORD, CrmServer, contact
from tests.integrations.crm_templates import crm_template, settings_for


@pytest.fixture
def crm() -> Iterator[CrmServer]:
    with CrmServer() as server:
        server.state.contacts = [contact(3, "+442071838750")]
        yield server


@pytest.fixture
def template(db):
    return connecting.install_template(crm_template("basic"))


def page(template) -> str:
    return reverse("integrations:integration", args=[template.pk])


def test_the_page_shows_one_field_per_custom_field(client_logged_in, template):
    content = client_logged_in.get(page(template)).content.decode()
    assert re.search(r'<input type="text" name="username"', content)
    assert re.search(r'<input type="password" name="password"', content)
    assert re.search(r'<input type="text" name="crm_url"', content)


def test_saving_good_settings_connects(client_logged_in, template, crm):
    response = client_logged_in.post(page(template), settings_for("basic", crm.url), follow=True)
    assert "Connected to “Local CRM”" in response.content.decode()
    assert Integration.objects.get().status == Integration.Status.CONNECTED


def test_saving_wrong_settings_shows_the_crms_reason(client_logged_in, template, crm):
    response = client_logged_in.post(page(template), {**settings_for("basic", crm.url), "password": "nope"}, follow=True)
    content = response.content.decode()
    assert "Not connected" in content and "HTTP 401" in content and 'data-status="error"' in content


def test_a_stored_password_is_never_sent_back_to_the_browser(client_logged_in, template, crm):
    client_logged_in.post(page(template), settings_for("basic", crm.url))
    content = client_logged_in.get(page(template)).content.decode()
    assert PASSWORD not in content and "(unchanged)" in content


def test_saving_with_the_password_left_empty_keeps_it(client_logged_in, template, crm):
    client_logged_in.post(page(template), settings_for("basic", crm.url))
    client_logged_in.post(page(template), {**settings_for("basic", crm.url), "password": ""})
    assert Integration.objects.get().settings["password"] == PASSWORD


def test_a_missing_required_field_is_refused(client_logged_in, template):
    response = client_logged_in.post(page(template), {"crm_url": "http://x", "username": "u"})
    assert response.status_code == 400 and not Integration.objects.exists()


def test_disconnect_keeps_the_settings(client_logged_in, template, crm):
    client_logged_in.post(page(template), settings_for("basic", crm.url))
    client_logged_in.post(reverse("integrations:disconnect", args=[template.pk]))
    integration = Integration.objects.get()
    assert integration.status == Integration.Status.DISCONNECTED and integration.settings["password"] == PASSWORD


def test_test_lookup_shows_requests_answers_and_contacts_with_secrets_masked(client_logged_in, template, crm):
    client_logged_in.post(page(template), settings_for("basic", crm.url))
    response = client_logged_in.post(reverse("integrations:try_lookup", args=[template.pk]), {"number": "+442071838750"})
    content = response.content.decode()
    assert "1 contact for +442071838750" in content and f"{crm.url}/crm/tab/Contacts/c3" in content
    assert "HTTP 200" in content and "Basic ••••••" in content and PASSWORD not in content


def test_the_crm_list_shows_the_real_status(client_logged_in, template, crm):
    client_logged_in.post(page(template), {**settings_for("basic", crm.url), "password": "nope"})
    content = client_logged_in.get(reverse("integrations:crm")).content.decode()
    assert "Error · active" in content and "Integrated" not in content
