"""The template library: the domain service behind Template Management.

Views, the editor and tasks call these functions; they hold the rules of the
guide (at most 10 templates, valid XML only, logos PNG/JPEG under 500 KB, logos.py) and
keep the previous XML of every save as a TemplateVersion.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from django.db import connection, transaction

from templates_app.xmlmodel import (
    IntegrationTemplate,
    Problem,
    TemplateXMLError,
    load_template,
    parse_template,
)
from templates_app.xmlmodel.positions import line_col

from .logos import STORED_CONTENT_TYPE, prepare_logo
from .models import CrmTemplate, TemplateVersion

# The guide: "Supports to add up to 10 custom CRM integration templates."
MAX_TEMPLATES = 10
# The advisory lock key of template saves on PostgreSQL (any constant the project owns).
_TEMPLATE_WRITE_LOCK = 0x7062_7863_726D_01  # "pbxcrm" 1


class TemplateLimitReached(Exception):
    """Adding one more template would exceed MAX_TEMPLATES."""

    def __init__(self, limit: int = MAX_TEMPLATES) -> None:
        super().__init__(
            f"You already have {limit} custom templates, the most the PBX supports. "
            "Delete one before adding another."
        )
        self.limit = limit


class TemplateInUse(Exception):
    """Deleting would remove templates that an integration runs with."""

    def __init__(self, templates: list[CrmTemplate]) -> None:
        names = ", ".join(t.name for t in templates)
        super().__init__(f"In use by an integration, so not deleted: {names}. Nothing was deleted.")
        self.templates = templates


class TemplateEditConflict(Exception):
    """The template was saved by someone else after the form being saved was loaded."""

    def __init__(self, template: CrmTemplate, base_revision: int) -> None:
        super().__init__(
            f"“{template.name}” was changed by another save after you opened it (your copy is revision "
            f"{base_revision}, the template is now at revision {template.revision}). Nothing was saved: "
            "see what changed, then make your edit again on the current version."
        )
        self.template = template
        self.base_revision = base_revision
        # The XML the admin started from, kept by the save that overtook it: its diff
        # against the current XML is what they need to see.
        self.version = template.versions.filter(revision=base_revision).first()


def _as_text(xml: str | bytes, tpl: IntegrationTemplate) -> str:
    """The text to store: the admin's own file, so line numbers and layout survive."""
    if isinstance(xml, str):
        return xml
    try:
        return xml.decode("utf-8-sig")
    except UnicodeDecodeError:
        # A file in another declared encoding: store our serialization (UTF-8) of it.
        from templates_app.xmlmodel import serialize_template

        return serialize_template(tpl)


def _key_problem(text: str, key: str) -> Problem:
    """Point the duplicate-key error at the Key attribute, like the parser's own errors."""
    info = text.find("<Information")
    match = re.compile(r"\bKey\s*=").search(text, info if info >= 0 else 0)
    line, col = line_col(text, match.start() if match else max(info, 0))
    return Problem(
        line=line,
        col=col,
        message=f'another template already uses Key "{key}"; a template\'s Key must be unique',
        element="Information",
        attribute="Key",
    )


def _copy_information(instance: CrmTemplate, tpl: IntegrationTemplate) -> None:
    instance.name = tpl.name or ""
    instance.key = tpl.key or ""
    instance.remark = tpl.remark or ""
    instance.version = tpl.version or ""
    instance.provider = tpl.provider or ""
    instance.auth_type = tpl.auth_type or ""


def diff_summary(old: str, new: str) -> str:
    """A one-line account of what a save changed, e.g. "+3 −1 lines"."""
    added = removed = 0
    for line in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0):
        if line.startswith("+") and not line.startswith("+++"):
            added += 1
        elif line.startswith("-") and not line.startswith("---"):
            removed += 1
    return f"+{added} −{removed} lines"


def save_template(
    xml: str | bytes,
    *,
    instance: CrmTemplate | None = None,
    logo: bytes | None = None,
    logo_content_type: str = "",
    base_revision: int | None = None,
    same_as_stored: bool = False,
) -> CrmTemplate:
    """Create (instance=None) or update a template from its XML.

    ``base_revision`` is the revision the admin's form was loaded from: when another
    save has moved the template past it, TemplateEditConflict is raised and nothing is
    saved (None: no check, for restores and scripts). ``same_as_stored``: the XML was
    written by the serializer (the Add/Edit form), so a template equal to the stored one
    as a model is no change, whatever its text; the XML page passes False, since an
    admin's layout there is a change.

    Raises TemplateXMLError (problems with line and column) for invalid XML,
    LogoError (a ValueError) for a bad logo and TemplateLimitReached for an 11th template;
    in every failure nothing is saved. An update keeps the XML it replaces as
    a TemplateVersion.
    """
    tpl = load_template(xml)
    text = _as_text(xml, tpl)
    stored_logo = prepare_logo(logo, logo_content_type) if logo is not None else None

    with transaction.atomic():
        # Count and check Keys only once no other save can add or rename a template:
        # locking the existing rows is not enough on PostgreSQL, where a count that
        # waited for another upload still misses the row that upload inserted.
        _one_template_writer_at_a_time()
        clash = CrmTemplate.objects.filter(key=tpl.key or "")
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise TemplateXMLError([_key_problem(text, tpl.key or "")])

        if instance is None:
            if CrmTemplate.objects.count() >= MAX_TEMPLATES:
                raise TemplateLimitReached()
            target = CrmTemplate()
        else:
            # Lock the row so two concurrent saves cannot both record the same "previous" XML.
            target = CrmTemplate.objects.select_for_update().get(pk=instance.pk)
            if base_revision is not None and base_revision != target.revision:
                raise TemplateEditConflict(target, base_revision)
            unchanged = target.xml == text or (same_as_stored and parse_template(target.xml) == tpl)
            if unchanged and stored_logo is None:
                # Nothing to save: no version, and "Updated" keeps its time. A form that
                # re-serializes an untouched template says the same in other words.
                return target
            if unchanged:
                text = target.xml
            if target.xml != text:
                TemplateVersion.objects.create(
                    template=target,
                    xml=target.xml,
                    revision=target.revision,
                    summary=f"Version {target.version or '?'} before a save ({diff_summary(target.xml, text)})",
                )
                target.revision += 1

        _copy_information(target, tpl)
        target.xml = text
        if stored_logo is not None:
            target.logo = stored_logo
            target.logo_content_type = STORED_CONTENT_TYPE
        target.save()

    if instance is not None:
        instance.refresh_from_db()
        return instance
    return target


def _one_template_writer_at_a_time() -> None:
    """Serialize the transactions that save templates, until the current one ends.

    SQLite already does: every write transaction begins IMMEDIATE (settings.py). On
    PostgreSQL a transaction-scoped advisory lock does the same for template saves only.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_TEMPLATE_WRITE_LOCK])


def find_problems(xml: str | bytes, *, instance: CrmTemplate | None = None) -> list[Problem]:
    """Everything save_template would refuse in this XML, without saving (live validation)."""
    try:
        tpl = load_template(xml)
    except TemplateXMLError as exc:
        return list(exc.problems)
    clash = CrmTemplate.objects.filter(key=tpl.key or "")
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        return [_key_problem(_as_text(xml, tpl), tpl.key or "")]
    return []


def restore_version(version: TemplateVersion) -> CrmTemplate:
    """Make an old version current again; the XML it replaces becomes a version too."""
    return save_template(version.xml, instance=version.template)


def delete_templates(ids: Iterable[int | str]) -> int:
    """Delete the templates with these ids; return how many went.

    All or nothing: if any of them is in use by an integration, raises
    TemplateInUse and deletes none.
    """
    with transaction.atomic():
        templates = list(CrmTemplate.objects.filter(pk__in=list(ids)))
        in_use = [t for t in templates if t.integrations.exists()]
        if in_use:
            raise TemplateInUse(in_use)
        for template in templates:
            template.delete()
    return len(templates)
