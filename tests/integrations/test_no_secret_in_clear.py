"""After a full flow, no secret is in clear text: not in the database, the logs, or any page."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from integrations import connecting
from integrations.models import Integration
from integrations.users import sync_users
from tests.integrations.crm_server import API_KEY, CLIENT_SECRET, PASSWORD, CrmServer, contact
from tests.integrations.crm_templates import crm_template, settings_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def crm() -> Iterator[CrmServer]:
    with CrmServer() as server:
        server.state.contacts = [contact(3, "+442071838750")]
        server.state.users = [{"id": "u1", "first_name": "A", "last_name": "B", "email": "a@x.com"}]
        yield server


def every_row() -> str:
    """Every value of every table of the portal, as text."""
    dump = []
    with connection.cursor() as cursor:
        for model in apps.get_models():
            table = model._meta.db_table
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the models
            dump.append(repr(cursor.fetchall()))
    return "\n".join(dump)


def test_a_full_flow_leaves_no_secret_in_clear_text(client_logged_in, crm, caplog):
    caplog.set_level(logging.DEBUG)
    pages = []
    for auth in ("basic", "none", "bearertoken"):
        template = connecting.install_template(crm_template(auth, key=f"crm_{auth}"))
        page = reverse("integrations:integration", args=[template.pk])
        pages.append(client_logged_in.post(page, settings_for(auth, crm.url), follow=True).content.decode())
        pages.append(client_logged_in.post(reverse("integrations:try_lookup", args=[template.pk]),
                                           {"number": "+442071838750"}).content.decode())
        sync_users(Integration.objects.get(template=template))
        pages.append(client_logged_in.get(page).content.decode())
    # A failing CRM too: its error text is stored and shown.
    failing = connecting.install_template(crm_template("basic", key="failing"))
    client_logged_in.post(reverse("integrations:integration", args=[failing.pk]),
                          {**settings_for("basic", "http://127.0.0.1:9"), "password": PASSWORD})
    for name in ("integrations:crm", "templates_app:list"):
        pages.append(client_logged_in.get(reverse(name)).content.decode())
    pages.append(client_logged_in.get(reverse("integrations:integration", args=[failing.pk])).content.decode())
    tokens = list(crm.state.tokens)
    assert tokens, "the bearer flow must have fetched a token"
    secrets = [PASSWORD, API_KEY, CLIENT_SECRET, base64.b64encode(f"pbx:{PASSWORD}".encode()).decode(), *tokens]
    places = {"database": every_row(), "logs": caplog.text, "pages": "\n".join(pages)}
    for place, text in places.items():
        for secret in secrets:
            assert secret not in text, f"a secret is in the {place}"
