"""Giving an integration its template's latest XML (the guide's "apply the changes to
the current integration").

An integration runs the snapshot of the template it was given; editing the template
changes nothing for it until the admin applies the template. Arrows point one way:
integrations use templates_app, templates_app knows nothing of integrations.
"""

from __future__ import annotations

from django.utils import timezone

from templates_app.models import CrmTemplate

from .models import Integration


def apply_template(template: CrmTemplate) -> int:
    """Give every integration built on ``template`` the template's current XML; how many."""
    now = timezone.now()
    return Integration.objects.filter(template=template).update(
        applied_xml=template.xml, applied_at=now, updated=now
    )
