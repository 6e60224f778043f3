"""Secrets at rest: the key is generated once, private, and can be rotated."""

from __future__ import annotations

import io
import stat

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command

from integrations.models import Integration
from pbxcrm import encryption
from templates_app import library


@pytest.fixture
def data_dir(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    settings.SECRETS_KEY = ""
    encryption.reset_keys()
    yield tmp_path
    encryption.reset_keys()


def test_the_key_is_generated_once_with_mode_600(data_dir):
    token = encryption.encrypt("s3cret")
    path = encryption.key_file(data_dir)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(path.read_text().split()) == 1
    encryption.reset_keys()
    assert encryption.decrypt(token) == "s3cret"


def test_a_key_from_the_environment_is_used_and_no_file_is_written(data_dir, settings):
    settings.SECRETS_KEY = Fernet.generate_key().decode()
    encryption.reset_keys()
    assert Fernet(settings.SECRETS_KEY.encode()).decrypt(encryption.encrypt("x").encode()) == b"x"
    assert not encryption.key_file(data_dir).exists()


def test_a_secret_no_key_opens_is_a_clear_error(data_dir):
    with pytest.raises(encryption.SecretsKeyError, match="cannot be opened"):
        encryption.decrypt(Fernet(Fernet.generate_key()).encrypt(b"x").decode())


@pytest.mark.django_db
def test_rotation_re_encrypts_every_secret_under_a_new_key(data_dir, template_xml):
    integration = Integration.objects.create(template=library.save_template(template_xml("acme")), applied_xml="<x/>")
    integration.settings = {"password": "pw-123456"}
    integration.save()
    old_key = encryption.key_file(data_dir).read_text().split()[0]
    call_command("rotate_secrets_key", "--drop-old", stdout=io.StringIO())
    integration.refresh_from_db()
    assert encryption.key_file(data_dir).read_text().split() != [old_key]
    assert integration.settings == {"password": "pw-123456"}
    with pytest.raises(Exception):  # noqa: B017 - the old key alone can no longer open it
        Fernet(old_key.encode()).decrypt(integration.settings_sealed.encode())
