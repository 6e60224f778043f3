"""Who may open an extension's agent page: its own user, or any staff member."""

from __future__ import annotations

from django.http import Http404

from pbxcrm.pbx.models import Extension


def extension_for(user, number: str) -> Extension:
    extension = Extension.objects.filter(number=number).first()
    if extension is None or not (user.is_staff or extension.user_id == user.pk):
        raise Http404("No such extension for this account.")
    return extension
