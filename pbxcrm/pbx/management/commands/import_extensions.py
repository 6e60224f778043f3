"""python manage.py import_extensions FILE.csv: what the Extensions › Import page does."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pbxcrm.pbx.extensions import import_csv


class Command(BaseCommand):
    help = "Import extensions from a CSV file (Number, First Name, Last Name, Email); all rows or none."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: object, file: Path, **options: object) -> None:
        try:
            data = file.read_bytes()
        except OSError as err:
            raise CommandError(f"{file}: {err.strerror}") from None
        report = import_csv(data)
        if not report.ok:
            lines = "\n".join(f"{file}:{line}: {problem}" for line, problem in report.problems)
            raise CommandError(f"nothing was imported:\n{lines}")
        self.stdout.write(f"Imported {report.created} new and updated {report.updated} extensions.")
