"""The PBX's own records the CRM features need: extensions and phonebooks."""

from __future__ import annotations

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
