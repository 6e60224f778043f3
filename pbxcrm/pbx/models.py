"""The PBX's own records the CRM features need: extensions and phonebooks."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

# The PBX's extension numbers: 1 to 10 digits (P-Series allows up to 10).
EXTENSION_NUMBER = RegexValidator(r"^\d{1,10}$", "An extension number is 1 to 10 digits.")


class Extension(models.Model):
    """An extension and its user, with the CRM popup settings of its Linkus clients."""

    class PopupMethod(models.TextChoices):
        AUTOMATIC = "automatic", "Automatically (only for incoming calls)"
        MANUAL = "manual", "Manually"

    class Trigger(models.TextChoices):
        RINGING = "ringing", "Ringing"
        ANSWERED = "answered", "Answered"
        CALL_END = "call_end", "Call End"

    number = models.CharField(max_length=10, unique=True, validators=[EXTENSION_NUMBER])
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    # The guide: "Open Contact URL Using System-Integrated CRM", then the popup method.
    open_contact_url = models.BooleanField(default=False)
    popup_method = models.CharField(max_length=20, choices=PopupMethod.choices, default=PopupMethod.AUTOMATIC)
    popup_trigger = models.CharField(max_length=20, choices=Trigger.choices, default=Trigger.RINGING)
    # The portal account the extension's user signs in with to open the agent page.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="extension")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.number} {self.name}".strip()

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class Phonebook(models.Model):
    """A PBX phonebook; one synced from the CRM is read-only on the pages."""

    name = models.CharField(max_length=100, unique=True)
    crm_synced = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PbxSettings(models.Model):
    """The PBX's own settings the portal needs: its serial number, and the token its
    events are sent with (POST /pbx/events). One row."""

    serial_number = models.CharField(
        max_length=100, blank=True, help_text="When set, events from any other PBX are refused."
    )
    event_token_sealed = models.TextField(blank=True)
    token_rotated = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "PBX settings"

    def __str__(self) -> str:
        return "PBX settings"


class Contact(models.Model):
    """A company contact (``phonebook`` empty) or an entry of a phonebook; one synced
    from the CRM carries its CRM id, type and page, and is read-only on the pages."""

    phonebook = models.ForeignKey(Phonebook, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="contacts")
    first_name = models.CharField(max_length=200, blank=True)
    last_name = models.CharField(max_length=200, blank=True)
    company = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=320, blank=True)
    crm_id = models.CharField(max_length=200, blank=True)
    crm_type = models.CharField(max_length=200, blank=True)
    crm_url = models.CharField(max_length=2000, blank=True)
    # Every field the CRM's answer mapped (the guide's contact variables), as last synced.
    crm_fields = models.JSONField(default=dict, blank=True)
    # A digest of what was last synced (fields, page, numbers): a CRM record that did not
    # change since is recognised, and its entry marked synced, in one statement.
    crm_digest = models.CharField(max_length=64, blank=True)
    synced = models.DateTimeField(null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["phonebook", "crm_type", "crm_id"], condition=~models.Q(crm_id=""),
                                    name="one_synced_contact_per_crm_id"),
        ]

    def __str__(self) -> str:
        return self.name or self.company or f"contact {self.pk}"

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)


class ContactNumber(models.Model):
    """One number of a contact. ``digits_reversed`` is the number's digits back to front,
    indexed: the same last N digits is then a prefix search, which an index answers in
    microseconds among millions of rows."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="numbers")
    kind = models.CharField(max_length=40, blank=True)  # BusinessNumber, MobileNumber…
    number = models.CharField(max_length=64)
    digits_reversed = models.CharField(max_length=64, db_index=True)

    def __str__(self) -> str:
        return self.number


class Call(models.Model):
    """A call as the PBX's events describe it; events may arrive in any order, so the
    state kept is what only grows: who rang, who answered, whether it ended."""

    class Direction(models.TextChoices):
        INBOUND = "inbound", "Inbound"
        OUTBOUND = "outbound", "Outbound"
        INTERNAL = "internal", "Internal"

    call_id = models.CharField(max_length=100, unique=True)
    direction = models.CharField(max_length=10, choices=Direction.choices, blank=True)
    external_number = models.CharField(max_length=64, blank=True)
    trunk = models.CharField(max_length=200, blank=True)
    # Extension number → {"rang": n, "answered": bool, "dialled": bool, "status": last status}
    # where n orders the rings: the last to ring is the highest.
    members = models.JSONField(default=dict)
    ended = models.BooleanField(default=False)
    # The 30012 record, once it came.
    record = models.JSONField(null=True, blank=True)
    started = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started", "-pk"]

    def __str__(self) -> str:
        return f"call {self.call_id}"


class CallEvent(models.Model):
    """An event as the PBX sent it, stored before anything else happens to it."""

    # The intake stores the event alone (one INSERT); the worker that applies it links
    # it to its call.
    pbx_call_id = models.CharField(max_length=100, db_index=True)
    call = models.ForeignKey(Call, null=True, blank=True, on_delete=models.CASCADE, related_name="events")
    type = models.PositiveIntegerField()
    sn = models.CharField(max_length=100, blank=True)
    raw = models.TextField()
    received = models.DateTimeField(auto_now_add=True)
    handled = models.DateTimeField(null=True, blank=True)
    # When the sweeper last sent it again (its task was lost with a worker).
    resent = models.DateTimeField(null=True, blank=True)
    # A 30012 the PBX sent again: kept, but it journals nothing more.
    duplicate = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.type} of call {self.pbx_call_id}"
