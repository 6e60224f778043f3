"""A local CRM per test, and engines built on templates for it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from integrations.engine import Engine, Exchange
from tests.integrations.crm_server import CrmServer, contact
from tests.integrations.crm_templates import crm_template, loaded, settings_for


@pytest.fixture
def crm() -> Iterator[CrmServer]:
    with CrmServer() as server:
        server.state.contacts = [
            contact(1, "+14155550100"),
            contact(2, "+14155550100", Last_Name="Twin"),
            contact(3, "+442071838750"),
        ]
        server.state.leads = [contact(9, "+4930123456", First_Name="Leo")]
        server.state.identities = {"c3": [{"type": "mobile", "value": "+447700900123"}, {"type": "home", "value": "+442071838751"}]}
        server.state.users = [
            {"id": f"u{n}", "first_name": f"User{n}", "last_name": "Crm", "email": f"user{n}@example.com"}
            for n in range(1, 451)
        ]
        yield server


@pytest.fixture
def exchanges() -> list[Exchange]:
    return []


@pytest.fixture
def make_engine(crm: CrmServer, exchanges: list[Exchange]) -> Iterator[Callable[..., Engine]]:
    made: list[Engine] = []

    def make(auth: str = "basic", *, settings: dict | None = None, **template_options) -> Engine:
        engine = Engine(
            loaded(crm_template(auth, **template_options)),
            settings={**settings_for(auth, crm.url), **(settings or {})},
            observer=exchanges.append,
        )
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.close()
