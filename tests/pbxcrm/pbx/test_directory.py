"""The PBX's directory found by number: the same digits, or the same last N digits."""

from __future__ import annotations

import pytest

from pbxcrm.pbx import directory
from pbxcrm.pbx.models import Contact, Phonebook

pytestmark = pytest.mark.django_db


def company_contact(name: str, **numbers: str) -> Contact:
    contact = Contact.objects.create(first_name=name)
    directory.set_numbers(contact, numbers)
    return contact


def test_a_number_stored_in_another_form_is_found_by_its_digits():
    alice = company_contact("Alice", BusinessNumber="+1 (415) 555-0100")
    assert directory.find("14155550100") == [alice]


def test_the_same_last_seven_digits_match_a_national_form():
    alice = company_contact("Alice", MobileNumber="415-555-0100")
    assert directory.find("+14155550100", 7) == [alice]
    assert directory.find("+14155550199", 7) == []


def test_more_digits_to_match_tell_two_area_codes_apart():
    company_contact("Alice", MobileNumber="415-555-0100")
    assert directory.find("+12125550100", 7) != []
    assert directory.find("+12125550100", 10) == []


def test_a_short_number_matches_only_exactly():
    company_contact("Reception", OtherNumber="100")
    assert [c.first_name for c in directory.find("100", 7)] == ["Reception"]
    assert directory.find("1100", 7) == []


def test_an_exact_match_and_a_company_contact_come_first():
    phonebook = Phonebook.objects.create(name="CRM")
    tail = Contact.objects.create(first_name="Tail", phonebook=phonebook)
    directory.set_numbers(tail, {"BusinessNumber": "+442075550100"})
    entry = Contact.objects.create(first_name="Entry", phonebook=phonebook)
    directory.set_numbers(entry, {"BusinessNumber": "+14155550100"})
    company_contact("Company", BusinessNumber="+14155550100")
    assert [c.first_name for c in directory.find("+14155550100", 7)] == ["Company", "Entry", "Tail"]


def test_a_synced_crm_contact_is_created_then_brought_up_to_date():
    phonebook = Phonebook.objects.create(name="CRM", crm_synced=True)
    fields = {"ContactsId": "c1", "FirstName": "Ann", "LastName": "Lee", "BusinessNumber": "+14155550100",
              "City": "Oakland"}
    first = directory.sync_from_crm(phonebook, fields, "Contacts", "https://crm/c1")
    again = directory.sync_from_crm(phonebook, {**fields, "LastName": "Lee-Park", "BusinessNumber": "+14155550101"},
                                    "Contacts", "https://crm/c1")
    assert again.pk == first.pk
    again.refresh_from_db()
    assert (again.last_name, again.crm_fields["City"], again.crm_url) == ("Lee-Park", "Oakland", "https://crm/c1")
    assert directory.find("+14155550101", 10) == [again]
    assert directory.find("+14155550100", 10) == []
