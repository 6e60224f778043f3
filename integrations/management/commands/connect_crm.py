"""python manage.py connect_crm TEMPLATE.xml --set NAME=VALUE …: a scripted set-up."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from integrations import connecting
from integrations.models import Integration
from templates_app.xmlmodel import TemplateXMLError


class Command(BaseCommand):
    help = (
        "Install the template if it is new, make it the active integration with these settings, "
        "connect (except OAuth2, which needs the browser) and print the status."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("template", type=Path)
        parser.add_argument("--set", dest="values", action="append", default=[], metavar="NAME=VALUE")

    def handle(self, *args: object, template: Path, values: list[str], **options: object) -> None:
        settings = {}
        for pair in values:
            name, sep, value = pair.partition("=")
            if not sep or not name:
                raise CommandError(f"--set {pair!r}: write NAME=VALUE")
            settings[name] = value
        try:
            stored = connecting.install_template(template.read_bytes())
        except TemplateXMLError as err:
            first = err.problems[0]
            raise CommandError(f"{template}: line {first.line}, column {first.col}: {first.message}") from None
        except OSError as err:
            raise CommandError(f"{template}: {err.strerror}") from None
        integration = connecting.activate(stored, settings)
        if stored.auth_type == "oauth2" and not integration.credentials.access_token:
            self.stdout.write(f"{stored.name}: active; OAuth2 needs the browser: open the integration page and Save.")
            return
        integration = connecting.connect(integration)
        line = f"{stored.name}: {integration.get_status_display()}"
        if integration.status_detail:
            line += f" — {integration.status_detail}"
        self.stdout.write(line)
        if integration.status != Integration.Status.CONNECTED:
            raise CommandError(line)
