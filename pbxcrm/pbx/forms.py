"""Forms of the extension pages."""

from __future__ import annotations

from django import forms

from .extensions import set_agent_password
from .models import Extension, PbxSettings, Phonebook


class ExtensionForm(forms.ModelForm):
    agent_password = forms.CharField(
        label="Agent page password", required=False, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Lets the extension's user sign in (as the extension number) to the agent page, "
                  "where call popups open. Left blank, it stays as it is.",
    )

    class Meta:
        model = Extension
        fields = ["number", "first_name", "last_name", "email", "open_contact_url", "popup_method", "popup_trigger"]
        labels = {
            "open_contact_url": "Open Contact URL Using System-Integrated CRM",
            "popup_method": "Popup Method",
            "popup_trigger": "Trigger Event",
        }
        widgets = {"popup_method": forms.RadioSelect}

    def clean_agent_password(self) -> str:
        password = self.cleaned_data.get("agent_password", "")
        if password:
            from django.contrib.auth.password_validation import validate_password

            validate_password(password)
        return password

    def save(self, commit: bool = True) -> Extension:
        extension = super().save(commit=commit)
        if commit and self.cleaned_data.get("agent_password"):
            set_agent_password(extension, self.cleaned_data["agent_password"])
        return extension


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="Columns: Number, First Name, Last Name, Email (a header row first).")

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 5 MB; split it.")
        return upload.read()


class PhonebookForm(forms.ModelForm):
    class Meta:
        model = Phonebook
        fields = ["name"]


class PbxSettingsForm(forms.ModelForm):
    class Meta:
        model = PbxSettings
        fields = ["serial_number"]
        labels = {"serial_number": "PBX serial number (SN)"}
