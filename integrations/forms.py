"""Forms of the integration page: the template's custom fields, and Test lookup."""

from __future__ import annotations

import phonenumbers
from django import forms

from pbxcrm.pbx.models import Extension, Phonebook
from templates_app.xmlmodel import Parameter

from .models import Features
from .numbers import FORMS


class SettingsForm(forms.Form):
    """One field per custom field of the template's AuthMethod scenario (the guide's
    Settings section): text, password or list. A password is never sent back to the
    browser: its box is empty, and left empty it keeps the stored value."""

    def __init__(self, *args, custom_fields: list[Parameter], stored: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.secret_names = set()
        for param in custom_fields:
            if not param.name:
                continue
            label = param.title or param.name
            if param.editor == "password":
                self.secret_names.add(param.name)
                kept = bool(stored.get(param.name))
                field = forms.CharField(
                    label=label, required=not kept, strip=False,
                    widget=forms.PasswordInput(render_value=False, attrs={
                        "autocomplete": "new-password",
                        "placeholder": "•••••• (unchanged)" if kept else "",
                    }),
                    help_text="Stored encrypted; leave empty to keep it." if kept else "",
                )
            elif param.editor == "list":
                options = [o.strip() for o in (param.value or "").split(",") if o.strip()]
                field = forms.ChoiceField(label=label, choices=[(o, o) for o in options], initial=stored.get(param.name))
            else:
                field = forms.CharField(label=label, initial=stored.get(param.name, ""), max_length=2000)
            self.fields[param.name] = field


class LookupForm(forms.Form):
    number = forms.CharField(label="Phone number", max_length=64,
                             widget=forms.TextInput(attrs={"placeholder": "+14155550100", "inputmode": "tel"}))


class AssociationForm(forms.Form):
    """The extensions one CRM user acts from (the guide's Associate manually)."""

    extensions = forms.ModelMultipleChoiceField(
        queryset=Extension.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        help_text="An extension chosen here leaves any other CRM user it had.",
    )


class FeaturesForm(forms.ModelForm):
    """Integrations › CRM › the integration: the features the guide lists, in its order."""

    new_phonebook = forms.CharField(label="…or create a phonebook", required=False, max_length=100)

    class Meta:
        model = Features
        fields = [
            "country", "number_forms", "match_digits",
            "sync_contacts", "contact_types", "phonebook", "always_query_crm",
            "create_contact", "create_type", "create_method", "create_on_inbound", "create_on_outbound",
            "journal", "journal_subject", "journal_description", "play_recording",
        ]
        labels = {
            "country": "Default country (ISO code)", "number_forms": "Number forms to look up",
            "match_digits": "Match the last digits", "sync_contacts": "Synchronize Contacts Automatically",
            "contact_types": "Synchronize Contacts From", "phonebook": "Synchronize to Phonebook",
            "always_query_crm": "Always Query CRM", "create_contact": "Create New Contact",
            "create_type": "Create Contact or Lead", "create_method": "Create Method",
            "create_on_inbound": "Inbound calls", "create_on_outbound": "Outbound calls",
            "journal": "Call Journal", "journal_subject": "Subject", "journal_description": "Description",
            "play_recording": "Play Call Recording",
        }
        widgets = {"create_method": forms.RadioSelect, "journal_description": forms.Textarea(attrs={"rows": 3}),
                   "journal_subject": forms.TextInput}

    def __init__(self, *args, contact_types: list[str], create_types: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number_forms"] = forms.MultipleChoiceField(
            label=self.Meta.labels["number_forms"], choices=list(FORMS.items()), widget=forms.CheckboxSelectMultiple,
            help_text="Each number is looked up in these forms, in this order, until one finds a contact.")
        self.fields["contact_types"] = forms.MultipleChoiceField(
            label=self.Meta.labels["contact_types"], choices=[(t, t) for t in contact_types], required=False,
            widget=forms.CheckboxSelectMultiple)
        self.fields["create_type"] = forms.ChoiceField(
            label=self.Meta.labels["create_type"], choices=[(t, t) for t in create_types], required=False)
        current = self.instance.phonebook_id if self.instance else None
        self.fields["phonebook"].queryset = Phonebook.objects.filter(crm_synced=False) | Phonebook.objects.filter(pk=current)
        self.fields["match_digits"].help_text = "A CRM number matches the caller when these last digits agree (0: whole number only)."

    def clean_country(self) -> str:
        country = self.cleaned_data["country"].upper()
        if country not in phonenumbers.SUPPORTED_REGIONS:
            raise forms.ValidationError(f"{country!r} is not a country code phonenumbers knows (e.g. US, DE, GB).")
        return country

    def clean_new_phonebook(self) -> str:
        name = self.cleaned_data["new_phonebook"].strip()
        if name and Phonebook.objects.filter(name=name).exists():
            raise forms.ValidationError(f"A phonebook named “{name}” exists already; choose it above.")
        return name

    def clean(self) -> dict:
        data = super().clean()
        if data.get("sync_contacts"):
            if not data.get("contact_types"):
                self.add_error("contact_types", "Choose at least one contact type to synchronize.")
            if not data.get("phonebook") and not data.get("new_phonebook"):
                self.add_error("phonebook", "Choose a phonebook, or name a new one.")
        if data.get("create_contact"):
            if not data.get("create_type"):
                self.add_error("create_type", "Choose the type of contact to create.")
            if data.get("create_method") == "automatic" and not (data.get("create_on_inbound") or data.get("create_on_outbound")):
                self.add_error("create_on_inbound", "Choose the calls that create a contact: inbound, outbound or both.")
        return data
