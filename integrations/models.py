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
    # Helpdesk templates (a CreateNewTicket scenario): a ticket per journaled call, first.
    create_ticket = models.BooleanField(default=True)
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


class CallLookup(models.Model):
    """The one lookup of a call's external number (the guide: on ringing or dialling).

    Made once per call: whichever event claims it first looks up, the others use it.
    """

    class State(models.TextChoices):
        RUNNING = "running", "Looking up"
        FOUND = "found", "Found"
        NOT_FOUND = "not_found", "Not found"
        FAILED = "failed", "Failed"

    call = models.OneToOneField("pbx.Call", on_delete=models.CASCADE, related_name="lookup")
    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="lookups")
    number = models.CharField(max_length=64)
    state = models.CharField(max_length=20, choices=State.choices, default=State.RUNNING)
    # Where the answer came from: "crm", or "pbx" (company contacts or a phonebook).
    source = models.CharField(max_length=10, blank=True)
    # The contact found: the guide's contact variables, ContactSyncType and PopupURL.
    contact = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=1000, blank=True)
    exchanges = models.JSONField(default=list, blank=True)
    milliseconds = models.FloatField(default=0)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"lookup of {self.number}: {self.state}"

    @property
    def contact_name(self) -> str:
        found = self.contact or {}
        return " ".join(p for p in (found.get("FirstName", ""), found.get("LastName", "")) if p)


class Popup(models.Model):
    """What the agent page of an extension was told about a call: open the contact's
    page (``open``), or offer it (``button``, the Manually method, or an unknown caller
    the agent may create). One of each per call and extension."""

    class Kind(models.TextChoices):
        OPEN = "open", "Opened the contact's page"
        BUTTON = "button", "Offered Open in CRM"
        CREATE = "create", "Offered Create contact"

    call = models.ForeignKey("pbx.Call", on_delete=models.CASCADE, related_name="popups")
    extension = models.ForeignKey("pbx.Extension", on_delete=models.CASCADE, related_name="popups")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    url = models.CharField(max_length=2000, blank=True)
    name = models.CharField(max_length=400, blank=True)
    number = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["call", "extension", "kind"], name="one_popup_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.extension} on {self.call}"

    def as_message(self) -> dict[str, object]:
        return {"id": self.pk, "kind": self.kind, "url": self.url, "name": self.name, "number": self.number,
                "call_id": self.call.call_id, "call_pk": self.call_id, "at": self.created.isoformat()}


class NewContact(models.Model):
    """A contact the portal created in the CRM for an unknown number: once per number."""

    class State(models.TextChoices):
        RUNNING = "running", "Creating"
        CREATED = "created", "Created"
        FAILED = "failed", "Failed"

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="new_contacts")
    # The number's digits: "+1 415-555-0100" and "14155550100" are one number.
    digits = models.CharField(max_length=64)
    number = models.CharField(max_length=64)
    contact_type = models.CharField(max_length=200)
    state = models.CharField(max_length=20, choices=State.choices, default=State.RUNNING)
    contact_id = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=1000, blank=True)
    call = models.ForeignKey("pbx.Call", null=True, blank=True, on_delete=models.SET_NULL, related_name="new_contacts")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["integration", "digits"], name="one_new_contact_per_number")]

    def __str__(self) -> str:
        return f"new contact {self.number}: {self.state}"


class Journal(models.Model):
    """One call's journal in the outbox: kept until the CRM took it, or an admin discards it.

    pending → sending → sent; a failure that may pass goes to retrying (with the next
    attempt's time) and back to sending; one that will not, or too many, to dead.
    """

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Retrying"
        DEAD = "dead", "Dead"
        DISCARDED = "discarded", "Discarded"

    integration = models.ForeignKey(Integration, on_delete=models.CASCADE, related_name="journals")
    call = models.OneToOneField("pbx.Call", on_delete=models.CASCADE, related_name="journal")
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt = models.DateTimeField(db_index=True)
    # A sending row whose worker died is taken back after this (the visibility timeout).
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=1000, blank=True)
    ticket_id = models.CharField(max_length=200, blank=True)
    variables = models.JSONField(default=dict, blank=True)
    exchanges = models.JSONField(default=list, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"journal of {self.call}: {self.state}"
