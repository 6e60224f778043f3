"""The Users section: sync queued, automatic association previewed then saved, manual association."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse

from integrations import connecting
from integrations.models import Association, Integration
from integrations.users import sync_users
from pbxcrm.pbx.models import Extension
from tests.integrations.crm_server import CrmServer
from tests.integrations.crm_templates import crm_template, settings_for


@pytest.fixture
def integration(db) -> Iterator[Integration]:
    with CrmServer() as crm:
        crm.state.users = [{"id": f"u{i}", "first_name": f"F{i}", "last_name": "L", "email": f"user{i}@example.com"}
                           for i in range(3)]
        integration = connecting.activate(connecting.install_template(crm_template("basic")),
                                          settings_for("basic", crm.url))
        sync_users(integration)
        yield integration


def url(name: str, integration: Integration, *more) -> str:
    return reverse(f"integrations:{name}", args=[integration.template.pk, *more])


def test_the_page_lists_the_synced_crm_users(client_logged_in, integration):
    content = client_logged_in.get(url("integration", integration)).content.decode()
    assert content.count("data-crm-user=") == 3 and "3 CRM users synced" in content


def test_sync_is_queued_and_the_progress_polls_while_it_waits(client_logged_in, integration):
    response = client_logged_in.post(url("sync_users", integration), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert 'data-state="queued"' in content and 'hx-trigger="every 1s"' in content


def test_associate_automatically_previews_then_saves(client_logged_in, integration):
    Extension.objects.create(number="1001", email="USER1@example.com")
    preview = client_logged_in.get(url("associate_auto", integration)).content.decode()
    assert "1001" in preview and not Association.objects.exists()
    client_logged_in.post(url("associate_auto", integration))
    assert Association.objects.get().crm_user.crm_id == "u1"


def test_conflicts_are_listed_and_not_associated(client_logged_in, integration):
    Extension.objects.create(number="1001", email="user1@example.com")
    Extension.objects.create(number="1002", email="user1@example.com")
    content = client_logged_in.get(url("associate_auto", integration)).content.decode()
    assert "1 conflict" in content and "1001, 1002" in content
    client_logged_in.post(url("associate_auto", integration))
    assert not Association.objects.exists()


def test_associate_manually_picks_several_extensions(client_logged_in, integration):
    a, b = Extension.objects.create(number="2001"), Extension.objects.create(number="2002")
    user = integration.crm_users.get(crm_id="u0")
    client_logged_in.post(url("associate_manual", integration, user.pk), {"extensions": [a.pk, b.pk]})
    assert sorted(Association.objects.values_list("extension__number", flat=True)) == ["2001", "2002"]
    content = client_logged_in.get(url("integration", integration)).content.decode()
    assert "2001, 2002" in content
