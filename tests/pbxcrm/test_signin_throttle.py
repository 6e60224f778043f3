"""Failed sign-ins are throttled per account and per address (django-axes)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.conftest import ADMIN_PASSWORD

LOGIN = reverse("login")
LIMIT = settings.AXES_FAILURE_LIMIT

pytestmark = pytest.mark.django_db


def sign_in(client, username: str, password: str, address: str = "10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, times: int, username: str = "admin", address: str = "10.1.1.1") -> list[int]:
    """Sign in with a wrong password ``times`` times; the statuses answered."""
    return [sign_in(client, username, "wrong password", address).status_code for _ in range(times)]


def test_the_limit_is_five_failures_by_default():
    assert LIMIT == 5


def test_failures_are_answered_normally_until_the_limit_is_reached(client, admin_user):
    assert fail(client, LIMIT + 1) == [200] * (LIMIT - 1) + [429, 429]


def test_the_right_password_after_the_limit_of_failures_is_refused(client, admin_user):
    fail(client, LIMIT)
    response = sign_in(client, "admin", ADMIN_PASSWORD)
    assert response.status_code == 429 and "Sign-in paused" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_password_before_the_limit_signs_in_and_resets_the_count(client, admin_user):
    fail(client, LIMIT - 1)
    assert sign_in(client, "admin", ADMIN_PASSWORD).status_code == 302
    client.logout()
    fail(client, LIMIT - 1)
    assert sign_in(client, "admin", ADMIN_PASSWORD).status_code == 302


def test_an_account_under_attack_is_paused_from_every_address(client, admin_user):
    for n in range(LIMIT):
        fail(client, 1, address=f"10.2.0.{n}")
    assert sign_in(client, "admin", ADMIN_PASSWORD, address="10.9.9.9").status_code == 429


def test_an_address_guessing_many_accounts_is_paused_for_every_account(client, admin_user):
    for n in range(LIMIT):
        fail(client, 1, username=f"guess{n}")
    assert sign_in(client, "admin", ADMIN_PASSWORD).status_code == 429


def test_other_accounts_from_other_addresses_are_not_affected(client, admin_user, django_user_model):
    django_user_model.objects.create_user("agent", password="agent-password-1")
    fail(client, LIMIT)
    assert sign_in(client, "agent", "agent-password-1", address="10.3.3.3").status_code == 302


def test_the_pause_ends_after_the_cool_off_time(client, admin_user):
    fail(client, LIMIT)
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert sign_in(client, "admin", ADMIN_PASSWORD).status_code == 302


def test_axes_reset_lifts_the_pause_at_once(client, admin_user):
    fail(client, LIMIT)
    call_command("axes_reset", verbosity=0)
    assert sign_in(client, "admin", ADMIN_PASSWORD).status_code == 302
