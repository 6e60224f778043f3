"""User association: CRM users synced, matched by email (with conflicts), or by hand."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from integrations import connecting
from integrations.models import Association, CrmUser, Integration
from integrations.users import apply_matches, associate, crm_user_for, match_by_email, sync_users
from pbxcrm.pbx.models import Extension
from tests.integrations.crm_server import CrmServer
from tests.integrations.crm_templates import crm_template, settings_for

pytestmark = pytest.mark.django_db


def crm_users(n: int) -> list[dict]:
    return [{"id": f"u{i}", "first_name": f"F{i}", "last_name": "L", "email": f"user{i}@example.com"} for i in range(n)]


@pytest.fixture
def crm() -> Iterator[CrmServer]:
    with CrmServer() as server:
        server.state.users = crm_users(5)
        yield server


@pytest.fixture
def integration(crm) -> Integration:
    return connecting.activate(connecting.install_template(crm_template("basic")), settings_for("basic", crm.url))


def test_a_sync_reads_every_user_and_records_the_progress(integration, crm):
    crm.state.users = crm_users(5000)
    assert sync_users(integration) == 5000
    integration.refresh_from_db()
    assert CrmUser.objects.count() == 5000
    assert (integration.users_sync_state, integration.users_sync_count) == ("done", 5000)


def test_a_second_sync_updates_rows_and_drops_users_the_crm_no_longer_lists(integration, crm):
    sync_users(integration)
    crm.state.users = [{**crm.state.users[0], "email": "changed@example.com"}]
    sync_users(integration)
    assert list(CrmUser.objects.values_list("crm_id", "email")) == [("u0", "changed@example.com")]


def test_a_failed_sync_says_why_and_keeps_the_users_it_had(integration, crm):
    sync_users(integration)
    integration.settings = {**integration.settings, "password": "wrong"}
    integration.save()
    with pytest.raises(Exception):  # noqa: B017 - the CRM's refusal
        sync_users(integration)
    integration.refresh_from_db()
    assert integration.users_sync_state == "failed" and "401" in integration.users_sync_detail
    assert CrmUser.objects.count() == 5


def test_emails_match_trimmed_and_without_case(integration):
    sync_users(integration)
    Extension.objects.create(number="1001", email="  USER1@Example.com ")
    plan = match_by_email(integration)
    assert [(u.crm_id, e.number) for u, e in plan.matches] == [("u1", "1001")] and not plan.conflicts


def test_two_crm_users_with_one_email_are_a_conflict_not_a_guess(integration, crm):
    crm.state.users = crm_users(2) + [{"id": "dup", "first_name": "D", "last_name": "U", "email": "user1@example.com"}]
    sync_users(integration)
    Extension.objects.create(number="1001", email="user1@example.com")
    plan = match_by_email(integration)
    assert plan.matches == [] and [c.email for c in plan.conflicts] == ["user1@example.com"]
    assert sorted(u.crm_id for u in plan.conflicts[0].crm_users) == ["dup", "u1"]


def test_applying_the_matches_associates_and_nothing_before(integration):
    sync_users(integration)
    Extension.objects.create(number="1002", email="user2@example.com")
    plan = match_by_email(integration)
    assert not Association.objects.exists()
    assert apply_matches(plan) == 1
    assert crm_user_for(integration, Extension.objects.get()).crm_id == "u2"


def test_a_crm_user_may_have_several_extensions_and_an_extension_one_user(integration):
    sync_users(integration)
    a, b = Extension.objects.create(number="1001"), Extension.objects.create(number="1002")
    u0, u1 = CrmUser.objects.get(crm_id="u0"), CrmUser.objects.get(crm_id="u1")
    associate(u0, [a, b])
    associate(u1, [b])
    assert crm_user_for(integration, a) == u0 and crm_user_for(integration, b) == u1
    associate(u0, [])
    assert crm_user_for(integration, a) is None
