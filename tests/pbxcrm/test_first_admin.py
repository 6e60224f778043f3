"""`manage.py create_first_admin`, which bin/run calls on every start."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_it_creates_admin_with_a_generated_password_printed_once(capsys, monkeypatch):
    monkeypatch.delenv("PBXCRM_ADMIN_PASSWORD", raising=False)
    call_command("create_first_admin")
    password = capsys.readouterr().out.split("admin / ", 1)[1].split()[0]
    assert get_user_model().objects.get(username="admin").check_password(password)


def test_it_uses_pbxcrm_admin_password_when_set(monkeypatch):
    monkeypatch.setenv("PBXCRM_ADMIN_PASSWORD", "from-the-environment")
    call_command("create_first_admin")
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("from-the-environment")


def test_later_runs_change_nothing_and_print_nothing(capsys, monkeypatch):
    monkeypatch.setenv("PBXCRM_ADMIN_PASSWORD", "first")
    call_command("create_first_admin")
    capsys.readouterr()
    monkeypatch.setenv("PBXCRM_ADMIN_PASSWORD", "second")
    call_command("create_first_admin")
    assert capsys.readouterr().out == ""
    assert get_user_model().objects.get().check_password("first")
