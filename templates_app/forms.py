"""Forms of the Template Management pages (the Add/Edit form is in editor/)."""

from django import forms

from templates_app.xmlmodel import MAX_TEMPLATE_BYTES

from .logos import MAX_LOGO_BYTES, LogoError, prepare_logo
from .models import CrmTemplate


def _too_big(size: int) -> forms.ValidationError:
    return forms.ValidationError(
        f"The file is {size:,} bytes; template files must be less than 1 MB "
        f"(at most {MAX_TEMPLATE_BYTES:,} bytes)."
    )


class UploadForm(forms.Form):
    file = forms.FileField(label="Template file (.xml)")
    logo = forms.FileField(
        label="Logo (optional)",
        required=False,
        help_text="PNG (recommended), JPG or JPEG, less than 500 KB; 150 × 150 suggested.",
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        # Refuse by the declared size before reading or parsing anything.
        if upload.size > MAX_TEMPLATE_BYTES:
            raise _too_big(upload.size)
        return upload.read()

    def clean_logo(self) -> tuple[bytes, str] | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size >= MAX_LOGO_BYTES:
            raise forms.ValidationError("The logo must be smaller than 500 KB.")
        try:
            return prepare_logo(upload.read(), upload.content_type or ""), "image/png"
        except LogoError as exc:
            raise forms.ValidationError(str(exc)) from exc


class XmlForm(forms.Form):
    # The revision the page was loaded from (library.TemplateEditConflict).
    base_revision = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    xml = forms.CharField(
        label="XML",
        strip=False,
        widget=forms.Textarea(
            attrs={"spellcheck": "false", "wrap": "off", "rows": 30, "class": "code-input"}
        ),
    )

    def clean_xml(self) -> str:
        text = self.cleaned_data["xml"]
        # Browsers submit textarea lines with CRLF; store the admin's text with LF.
        text = text.replace("\r\n", "\n")
        size = len(text.encode("utf-8", "surrogatepass"))
        if size > MAX_TEMPLATE_BYTES:
            raise _too_big(size)
        return text


class SelectionForm(forms.Form):
    """The templates ticked in the list (Download / Delete)."""

    ids = forms.ModelMultipleChoiceField(
        queryset=CrmTemplate.objects.all(),
        error_messages={"required": "Select at least one template first."},
    )
