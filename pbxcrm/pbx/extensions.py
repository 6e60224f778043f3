"""Extensions in bulk: the CSV import the page and ``import_extensions`` share.

A file is checked whole before anything is saved: every bad row is reported by its
line number with the reason, and then nothing is imported, so a second try after
fixing the file cannot leave half of a first attempt behind. A row whose number
exists already updates that extension.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import EXTENSION_NUMBER, Extension

MAX_ROWS = 10_000
# Column names accepted for each field (compared without case, spaces or underscores).
COLUMNS = {
    "number": {"number", "extension", "extensionnumber", "ext"},
    "first_name": {"firstname", "first", "givenname"},
    "last_name": {"lastname", "last", "surname", "familyname"},
    "email": {"email", "emailaddress", "mail"},
}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _key(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())


def _columns(header: list[str]) -> dict[str, int] | str:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        for field_name, aliases in COLUMNS.items():
            if _key(name) in aliases and field_name not in found:
                found[field_name] = index
    if "number" not in found:
        return f"no extension number column (the header names: {', '.join(header) or 'none'}); name one Number"
    return found


def import_csv(data: bytes | str) -> ImportReport:
    """Import extensions from CSV text; all rows or none."""
    report = ImportReport()
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            report.problems.append((1, f"the file is not UTF-8 text (byte {err.start + 1}); save it as UTF-8 CSV"))
            return report
    sample = data[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t") if sample.strip() else csv.excel
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(data), dialect))
    if not rows:
        report.problems.append((1, "the file is empty"))
        return report
    columns = _columns(rows[0])
    if isinstance(columns, str):
        report.problems.append((1, columns))
        return report
    if len(rows) - 1 > MAX_ROWS:
        report.problems.append((1, f"{len(rows) - 1:,} rows; import at most {MAX_ROWS:,} at once"))
        return report
    wanted: dict[str, tuple[int, dict[str, str]]] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = {name: (row[i].strip() if i < len(row) else "") for name, i in columns.items()}
        problem = _row_problem(values)
        if problem is None and values["number"] in wanted:
            problem = f"extension {values['number']} is also on line {wanted[values['number']][0]}"
        if problem:
            report.problems.append((line, problem))
        else:
            wanted[values["number"]] = (line, values)
    if report.problems:
        return report
    with transaction.atomic():
        existing = {e.number: e for e in Extension.objects.select_for_update().filter(number__in=list(wanted))}
        new = []
        for number, (_line, values) in wanted.items():
            extension = existing.get(number)
            if extension is None:
                new.append(Extension(**{k: values.get(k, "") for k in ("number", "first_name", "last_name", "email")}))
                continue
            for name in ("first_name", "last_name", "email"):
                if name in values:
                    setattr(extension, name, values[name])
            extension.save()
            report.updated += 1
        Extension.objects.bulk_create(new, batch_size=500)
        report.created = len(new)
    return report


def _row_problem(values: dict[str, str]) -> str | None:
    try:
        EXTENSION_NUMBER(values["number"])
    except ValidationError:
        return f"number {values['number']!r}: an extension number is 1 to 10 digits"
    email = values.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return f"email {email!r} is not an email address"
    for name in ("first_name", "last_name"):
        if len(values.get(name, "")) > 100:
            return f"{name.replace('_', ' ')}: at most 100 characters"
    return None


def set_agent_password(extension: Extension, password: str) -> None:
    """Let the extension's user sign in, as the extension number, to its agent page only
    (not staff: the admin pages refuse the account)."""
    from django.contrib.auth import get_user_model

    users = get_user_model()
    user = extension.user or users.objects.filter(username=extension.number).first()
    if user is None:
        user = users(username=extension.number)
    if user.is_staff or user.is_superuser:
        raise ValueError(f"{user.get_username()} is an administrator, not an agent account")
    user.set_password(password)
    user.save()
    if extension.user_id != user.pk:
        extension.user = user
        extension.save(update_fields=["user"])
