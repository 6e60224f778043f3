"""python manage.py rotate_secrets_key: a new key first, every stored secret re-encrypted."""

from __future__ import annotations

from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from integrations.models import Integration
from pbxcrm import encryption


class Command(BaseCommand):
    help = (
        "Put a new secrets key first in <data>/secrets_key, re-encrypt every stored secret with it, "
        "and (--drop-old) forget the older keys."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--drop-old", action="store_true", help="remove the older keys once nothing needs them")

    def handle(self, *args: object, drop_old: bool, **options: object) -> None:
        if settings.SECRETS_KEY:
            raise CommandError(
                "PBXCRM_SECRETS_KEY is set: put a new key (Fernet.generate_key()) first in it, restart, and run "
                "this command again with the variable holding both keys; then remove the old one."
            )
        path = encryption.key_file(Path(settings.DATA_DIR))
        keys = encryption.read_keys(Path(settings.DATA_DIR))
        path.write_text("\n".join([Fernet.generate_key().decode(), *(k.decode() for k in keys)]) + "\n")
        encryption.reset_keys()
        count = 0
        with transaction.atomic():
            for integration in Integration.objects.select_for_update():
                integration.settings_sealed = encryption.rotate(integration.settings_sealed)
                integration.credentials_sealed = encryption.rotate(integration.credentials_sealed)
                integration.save(update_fields=["settings_sealed", "credentials_sealed"])
                count += 1
        if drop_old:
            path.write_text(path.read_text().splitlines()[0] + "\n")
            encryption.reset_keys()
        self.stdout.write(f"Re-encrypted the secrets of {count} integration{'s' if count != 1 else ''} with a new key.")
