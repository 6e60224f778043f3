"""Stored CRM integration templates and the XML each save replaced."""

from django.db import models


class CrmTemplate(models.Model):
    """One custom integration template (the guide's Template Management list).

    The XML is the source of truth; the columns beside it are copied from its
    <Information> element on every save so that lists need no parsing. The logo
    lives in the database so that the data folder stays one SQLite file.
    """

    name = models.CharField(max_length=200)
    key = models.CharField(max_length=200, unique=True)
    remark = models.TextField(blank=True)
    version = models.CharField(max_length=50, blank=True)
    provider = models.CharField(max_length=20, blank=True)
    auth_type = models.CharField(max_length=20, blank=True)
    xml = models.TextField()
    logo = models.BinaryField(blank=True, default=b"")
    logo_content_type = models.CharField(max_length=50, blank=True)
    # Counts the saves that changed the XML. A form carries the revision it was loaded
    # from, so a save over a newer one is refused instead of silently undoing it.
    revision = models.PositiveIntegerField(default=1)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def provider_label(self) -> str:
        """The Provider attribute as the guide writes it (crm → CRM, helpdesk → Helpdesk)."""
        return {"crm": "CRM", "helpdesk": "Helpdesk"}.get(self.provider, self.provider)

    @property
    def has_logo(self) -> bool:
        return bool(self.logo)

    @property
    def filename(self) -> str:
        """Download name: the Key is unique and already file-system safe in practice."""
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in self.key) or f"template-{self.pk}"
        return f"{safe}.xml"


class TemplateVersion(models.Model):
    """The XML a template had before one of its saves (newest first)."""

    template = models.ForeignKey(CrmTemplate, on_delete=models.CASCADE, related_name="versions")
    xml = models.TextField()
    # The template's revision while it had this XML (empty for versions kept before
    # revisions were counted).
    revision = models.PositiveIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    summary = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.template} @ {self.created:%Y-%m-%d %H:%M:%S}"
