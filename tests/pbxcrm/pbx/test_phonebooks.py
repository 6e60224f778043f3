"""Phonebooks: added and deleted on the page; one synchronized from the CRM is read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pbxcrm.pbx.models import Phonebook

pytestmark = pytest.mark.django_db


def test_adding_a_phonebook(client_logged_in):
    client_logged_in.post(reverse("pbx:phonebooks"), {"name": "Sales"})
    assert Phonebook.objects.get().name == "Sales"


def test_a_crm_synced_phonebook_is_shown_read_only_and_cannot_be_deleted(client_logged_in):
    synced = Phonebook.objects.create(name="CRM", crm_synced=True)
    content = client_logged_in.get(reverse("pbx:phonebooks")).content.decode()
    assert "read-only" in content and "Delete CRM" not in content
    response = client_logged_in.post(reverse("pbx:phonebook_delete", args=[synced.pk]), follow=True)
    assert "read-only here" in response.content.decode() and Phonebook.objects.filter(pk=synced.pk).exists()


def test_a_pbx_phonebook_can_be_deleted(client_logged_in):
    book = Phonebook.objects.create(name="Old")
    client_logged_in.post(reverse("pbx:phonebook_delete", args=[book.pk]))
    assert not Phonebook.objects.exists()
