"""A CRM connected to the PBX through one custom template."""

from django.db import models


class Integration(models.Model):
    """The PBX's integration with a CRM, built from a template.

    ``applied_xml`` is the snapshot of the template the integration runs with:
    editing a template does not change a running integration until the admin
    applies the template to it (the guide's "apply the changes to the current
    integration").
    """

    class Status(models.TextChoices):
        CONNECTED = "connected", "Connected"
        DISCONNECTED = "disconnected", "Disconnected"
        ERROR = "error", "Error"

    # PROTECT: a template in use cannot be deleted out from under its integration.
    template = models.ForeignKey(
        "templates_app.CrmTemplate", on_delete=models.PROTECT, related_name="integrations"
    )
    applied_xml = models.TextField()
    applied_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DISCONNECTED)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Integration with {self.template}"

    @property
    def is_current(self) -> bool:
        """True when the integration already runs the template's latest XML."""
        return self.applied_xml == self.template.xml
