"""Create the portal's first administrator, once."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Create the superuser 'admin' when no user exists yet, with PBXCRM_ADMIN_PASSWORD "
        "or a generated password printed once. Does nothing on later runs."
    )

    def handle(self, *args: object, **options: object) -> None:
        users = get_user_model()
        if users.objects.exists():
            return
        password = os.environ.get("PBXCRM_ADMIN_PASSWORD", "")
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        users.objects.create_superuser("admin", "", password)
        if generated:
            self.stdout.write(
                f"Created the first admin. Sign in as: admin / {password}\n"
                "(shown only this once; change it after signing in)"
            )
        else:
            self.stdout.write("Created the first admin 'admin' with PBXCRM_ADMIN_PASSWORD.")
