"""Forms of the integration page: the template's custom fields, and Test lookup."""

from __future__ import annotations

from django import forms

from pbxcrm.pbx.models import Extension
from templates_app.xmlmodel import Parameter


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
