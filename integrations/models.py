"""A CRM connected to the PBX through one custom template."""

import json
from dataclasses import asdict

from django.db import models

from pbxcrm import encryption

from .auth import Credentials


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
    # One integration is active at a time, as on the PBX (a constraint says so).
    active = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DISCONNECTED)
    status_detail = models.CharField(max_length=500, blank=True)
    last_success = models.DateTimeField(null=True, blank=True)
    # The custom fields' values and the auth method's tokens, Fernet-encrypted JSON
    # (pbxcrm/encryption.py): read and written through settings / credentials.
    settings_sealed = models.TextField(blank=True)
    credentials_sealed = models.TextField(blank=True)
    # User association (the guide's step 4): when on, only associated extensions get the
    # CRM features. The sync of CRM users runs as a Celery task; its progress is here.
    association_on = models.BooleanField(default=True)
    users_sync_state = models.CharField(max_length=20, default="idle")  # idle, running, done, failed
    users_sync_count = models.PositiveIntegerField(default=0)
    users_sync_detail = models.CharField(max_length=500, blank=True)
    users_synced_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["active"], condition=models.Q(active=True), name="one_active_integration"),
        ]

    def __str__(self) -> str:
        return f"Integration with {self.template}"

    @property
    def settings(self) -> dict[str, str]:
        """The custom fields' values (decrypted)."""
        return json.loads(encryption.decrypt(self.settings_sealed) or "{}")

    @settings.setter
    def settings(self, values: dict[str, str]) -> None:
        self.settings_sealed = encryption.encrypt(json.dumps(values))

    @property
    def credentials(self) -> Credentials:
        """What the auth method keeps (tokens), decrypted."""
        return Credentials(**json.loads(encryption.decrypt(self.credentials_sealed) or "{}"))

    @credentials.setter
    def credentials(self, value: Credentials) -> None:
        self.credentials_sealed = encryption.encrypt(json.dumps(asdict(value)))

    @property
    def is_current(self) -> bool:
        """True when the integration already runs the template's latest XML."""
        return self.applied_xml == self.template.xml


class CrmUser(models.Model):
    """A user of the CRM, as the UserAssociation scenario last listed them."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="crm_users")
    crm_id = models.CharField(max_length=200)
    first_name = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=320, blank=True)
    synced_at = models.DateTimeField()

    class Meta:
        ordering = ["last_name", "first_name", "crm_id"]
        constraints = [models.UniqueConstraint(fields=["integration", "crm_id"], name="one_crm_user_per_id")]

    def __str__(self) -> str:
        name = " ".join(p for p in (self.first_name, self.last_name) if p)
        return f"{name or self.crm_id} <{self.email}>" if self.email else (name or self.crm_id)


class Association(models.Model):
    """An extension associated with a CRM user; an extension has at most one per integration."""

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="associations")
    crm_user = models.ForeignKey(CrmUser, on_delete=models.CASCADE, related_name="associations")
    extension = models.ForeignKey("pbx.Extension", on_delete=models.CASCADE, related_name="crm_associations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["integration", "extension"], name="one_crm_user_per_extension"),
        ]

    def __str__(self) -> str:
        return f"{self.extension} → {self.crm_user}"


def _default_forms() -> list[str]:
    return ["as_dialled", "e164"]


class Features(models.Model):
    """The guide's "Set up CRM Integration Features", for one integration."""

    class CreateMethod(models.TextChoices):
        AUTOMATIC = "automatic", "Automatically"
        MANUAL = "manual", "Manually"

    integration = models.OneToOneField(Integration, on_delete=models.CASCADE, related_name="features")
    # Phone numbers (the PBX has these as its caller-ID settings; here per integration).
    country = models.CharField(max_length=2, default="US")
    number_forms = models.JSONField(default=_default_forms)
    match_digits = models.PositiveSmallIntegerField(default=7)
    # Synchronize contacts
    sync_contacts = models.BooleanField(default=False)
    contact_types = models.JSONField(default=list)
    phonebook = models.ForeignKey("pbx.Phonebook", null=True, blank=True, on_delete=models.SET_NULL)
    always_query_crm = models.BooleanField(default=False)
    # Create new contact
    create_contact = models.BooleanField(default=False)
    create_type = models.CharField(max_length=200, blank=True)
    create_method = models.CharField(max_length=20, choices=CreateMethod.choices, default=CreateMethod.AUTOMATIC)
    create_on_inbound = models.BooleanField(default=True)
    create_on_outbound = models.BooleanField(default=False)
    # Call journal
    journal = models.BooleanField(default=False)
    journal_subject = models.TextField(blank=True)
    journal_description = models.TextField(blank=True)
    play_recording = models.BooleanField(default=False)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Features of {self.integration}"


class RequestSlot(models.Model):
    """One request in flight at a CRM, for MaxConcurrentRequest when there is no Redis."""

    integration_id = models.BigIntegerField(db_index=True)
    token = models.CharField(max_length=32, unique=True)
    taken = models.DateTimeField()

    def __str__(self) -> str:
        return f"slot {self.token} of integration {self.integration_id}"
