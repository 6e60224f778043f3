"""Forms of the extension pages."""

from __future__ import annotations

from django import forms

from .models import Extension, Phonebook


class ExtensionForm(forms.ModelForm):
    class Meta:
        model = Extension
        fields = ["number", "first_name", "last_name", "email", "open_contact_url", "popup_method", "popup_trigger"]
        labels = {
            "open_contact_url": "Open Contact URL Using System-Integrated CRM",
            "popup_method": "Popup Method",
            "popup_trigger": "Trigger Event",
        }
        widgets = {"popup_method": forms.RadioSelect}


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
