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


@pytest.fixture
def crm_phonebook() -> Phonebook:
    return Phonebook.objects.create(name="CRM", crm_synced=True)


SYNCED = {"ContactsId": "c1", "FirstName": "Ann", "LastName": "Lee", "BusinessNumber": "+14155550100",
          "City": "Oakland"}


def test_a_synced_crm_contact_is_created_then_brought_up_to_date(crm_phonebook):
    directory.sync_from_crm(crm_phonebook, SYNCED, "Contacts", "https://crm/c1")
    first = Contact.objects.get(crm_id="c1")
    directory.sync_from_crm(crm_phonebook, {**SYNCED, "LastName": "Lee-Park", "BusinessNumber": "+14155550101"},
                            "Contacts", "https://crm/c1")
    again = Contact.objects.get(crm_id="c1")
    assert again.pk == first.pk
    assert (again.last_name, again.crm_fields["City"], again.crm_url) == ("Lee-Park", "Oakland", "https://crm/c1")
    assert directory.find("+14155550101", 10) == [again]
    assert directory.find("+14155550100", 10) == []


def test_an_unchanged_crm_contact_is_only_marked_synced_again(crm_phonebook):
    directory.sync_from_crm(crm_phonebook, SYNCED, "Contacts", "https://crm/c1")
    before = Contact.objects.get(crm_id="c1")
    directory.forget_marks()  # as another worker process, or this one a minute later
    directory.sync_from_crm(crm_phonebook, dict(SYNCED), "Contacts", "https://crm/c1")
    after = Contact.objects.get(crm_id="c1")
    assert after.synced > before.synced
    assert (after.updated, after.last_name) == (before.updated, "Lee")


def test_an_unchanged_crm_contact_seen_again_at_once_costs_no_write(
        crm_phonebook, django_assert_num_queries, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # remembered once committed
        directory.sync_from_crm(crm_phonebook, SYNCED, "Contacts", "https://crm/c1")
    with django_assert_num_queries(0):
        directory.sync_from_crm(crm_phonebook, dict(SYNCED), "Contacts", "https://crm/c1")


def test_a_changed_crm_contact_seen_at_once_is_still_brought_up_to_date(
        crm_phonebook, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        directory.sync_from_crm(crm_phonebook, SYNCED, "Contacts", "https://crm/c1")
    directory.sync_from_crm(crm_phonebook, {**SYNCED, "LastName": "Lee-Park"}, "Contacts", "https://crm/c1")
    assert Contact.objects.get(crm_id="c1").last_name == "Lee-Park"


def test_an_entry_is_marked_again_once_the_interval_has_passed(
        crm_phonebook, monkeypatch, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        directory.sync_from_crm(crm_phonebook, SYNCED, "Contacts", "https://crm/c1")
    before = Contact.objects.get(crm_id="c1").synced
    monkeypatch.setattr(directory, "MARK_EVERY_SECONDS", 0.0)
    directory.sync_from_crm(crm_phonebook, dict(SYNCED), "Contacts", "https://crm/c1")
    assert Contact.objects.get(crm_id="c1").synced > before


def test_a_new_page_address_alone_is_a_change(crm_phonebook):
    directory.sync_from_crm(crm_phonebook, SYNCED, "Contacts", "https://crm/c1")
    directory.sync_from_crm(crm_phonebook, SYNCED, "Contacts", "https://crm/contacts/c1")
    assert Contact.objects.get(crm_id="c1").crm_url == "https://crm/contacts/c1"


def test_an_entry_synced_before_digests_were_kept_is_brought_up_to_date(crm_phonebook):
    directory.sync_from_crm(crm_phonebook, SYNCED, "Contacts", "https://crm/c1")
    Contact.objects.filter(crm_id="c1").update(crm_digest="", last_name="Stale")
    directory.forget_marks()
    directory.sync_from_crm(crm_phonebook, SYNCED, "Contacts", "https://crm/c1")
    assert Contact.objects.get(crm_id="c1").last_name == "Lee"
