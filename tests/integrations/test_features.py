"""Feature settings: the template's defaults, the guide's rules, the phonebook, number forms."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import reverse

from integrations import connecting
from integrations.features import features_of
from integrations.models import Features, Integration
from pbxcrm.pbx.models import Phonebook
from tests.integrations.crm_server import CrmServer, contact
from tests.integrations.crm_templates import crm_template, settings_for

pytestmark = pytest.mark.django_db

VALID = {
    "country": "US", "number_forms": ["as_dialled", "e164"], "match_digits": "7",
    "sync_contacts": "on", "contact_types": ["Leads", "Contacts"], "new_phonebook": "CRM contacts",
    "create_contact": "on", "create_type": "Contacts", "create_method": "automatic", "create_on_inbound": "on",
    "journal": "on", "journal_subject": "Call {{.CallerNumber}}", "journal_description": "{{.Time}}",
    "play_recording": "on",
}


@pytest.fixture
def crm() -> Iterator[CrmServer]:
    with CrmServer() as server:
        server.state.contacts = [contact(1, "+14155550100")]
        yield server


@pytest.fixture
def integration(crm) -> Integration:
    return connecting.activate(connecting.install_template(crm_template("basic")), settings_for("basic", crm.url))


def save(client, integration, **changes):
    data = {**VALID, **changes}
    return client.post(reverse("integrations:features", args=[integration.template.pk]),
                       {k: v for k, v in data.items() if v is not None})


def test_defaults_come_from_the_template_and_the_guide(integration):
    features = features_of(integration)
    assert features.contact_types == ["Contacts", "Leads"] and features.create_type == "Contacts"
    assert features.journal_subject == "Extension Call" and features.journal_description.startswith("{{.Time}}")
    assert (features.country, features.number_forms, features.match_digits) == ("US", ["as_dialled", "e164"], 7)


def test_saving_every_feature(client_logged_in, integration):
    assert save(client_logged_in, integration).status_code == 302
    features = Features.objects.get()
    assert features.contact_types == ["Leads", "Contacts"] and features.phonebook.name == "CRM contacts"
    assert features.journal_subject == "Call {{.CallerNumber}}" and features.play_recording
    assert Phonebook.objects.get().crm_synced


def test_syncing_contacts_needs_a_phonebook(client_logged_in, integration):
    response = save(client_logged_in, integration, new_phonebook=None)
    assert response.status_code == 400 and "Choose a phonebook, or name a new one." in response.content.decode()


def test_a_synced_phonebook_cannot_be_chosen_by_another_integration(client_logged_in, integration):
    Phonebook.objects.create(name="Theirs", crm_synced=True)
    mine = Phonebook.objects.create(name="Mine")
    response = save(client_logged_in, integration, new_phonebook=None, phonebook=str(mine.pk))
    assert response.status_code == 302 and Phonebook.objects.get(name="Mine").crm_synced
    content = client_logged_in.get(reverse("integrations:integration", args=[integration.template.pk])).content.decode()
    assert "Theirs" not in content


def test_automatic_creation_needs_a_call_direction(client_logged_in, integration):
    response = save(client_logged_in, integration, create_on_inbound=None)
    assert response.status_code == 400 and "inbound, outbound or both" in response.content.decode()


def test_an_unknown_country_is_refused(client_logged_in, integration):
    assert "not a country code" in save(client_logged_in, integration, country="XX").content.decode()


def test_test_lookup_tries_the_chosen_number_forms(client_logged_in, integration, crm):
    save(client_logged_in, integration, number_forms=["national_digits", "e164"], contact_types=["Contacts"])
    response = client_logged_in.post(reverse("integrations:try_lookup", args=[integration.template.pk]),
                                     {"number": "(415) 555-0100"})
    assert "1 contact for (415) 555-0100" in response.content.decode()
    assert [r.query["phone"] for r in crm.state.received if r.path.endswith("/search")] == [["4155550100"], ["+14155550100"]]
