"""The Integration model's rules."""

import pytest
from django.db.models import ProtectedError

from integrations.models import Integration
from templates_app import library

pytestmark = pytest.mark.django_db


def test_an_integration_is_current_when_it_runs_the_templates_xml(template_xml):
    template = library.save_template(template_xml("acme"))
    assert Integration(template=template, applied_xml=template.xml).is_current


def test_a_template_in_use_cannot_be_deleted_from_under_its_integration(template_xml):
    template = library.save_template(template_xml("acme"))
    Integration.objects.create(template=template, applied_xml=template.xml)
    with pytest.raises(ProtectedError):
        template.delete()
