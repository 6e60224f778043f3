"""The agent page's live stream (agent/stream.py), read as the browser reads it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from agent import live, stream
from integrations.models import Popup
from pbxcrm.pbx.models import Call, Extension


@pytest.fixture
def extension(transactional_db) -> Extension:
    return Extension.objects.create(number="1001")


@pytest.fixture
def call(transactional_db) -> Call:
    return Call.objects.create(call_id="1700000000.1", direction="inbound", external_number="+14155550100")


def popup(call: Call, extension: Extension, pk: int, kind: str = Popup.Kind.OPEN) -> Popup:
    return Popup.objects.create(pk=pk, call=call, extension=extension, kind=kind, url=f"https://crm.test/{pk}")


def read_popups(extension: Extension, *, count: int, meanwhile, last_id: str | None = None) -> list[int]:
    """The ids of the popups the stream sends, until ``count`` came or 3 s passed;
    ``meanwhile()`` runs once the stream is connected."""

    async def run() -> list[int]:
        got: list[int] = []
        events = stream.events(extension.pk, extension.number, last_id)
        assert (await anext(events)).endswith(": connected\n\n")

        async def collect():
            async for chunk in events:
                for line in chunk.splitlines():
                    if line.startswith("data: "):
                        got.append(json.loads(line[6:])["id"])
                if len(got) >= count:
                    return

        reader = asyncio.create_task(collect())
        await asyncio.sleep(0.3)  # subscribed
        await asyncio.to_thread(meanwhile)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(reader, 3)
        await events.aclose()
        return got

    # In a thread of its own: the browser tests' Playwright keeps a loop on this one.
    with ThreadPoolExecutor(1) as runner:
        return runner.submit(asyncio.run, run()).result()


@pytest.fixture
def over_redis(settings, redis_url):
    settings.REDIS_URL = redis_url
    settings.LIVE_KEEPALIVE_SECONDS = 0.2


@pytest.fixture
def over_database(settings):
    settings.REDIS_URL = ""
    settings.LIVE_POLL_SECONDS = 0.05
    settings.LIVE_KEEPALIVE_SECONDS = 0.2


def test_a_popup_published_after_a_newer_one_still_reaches_the_page(over_redis, extension, call):
    # Two workers: popup 12 committed and published before popup 11.
    def publish():
        live.publish(extension.number, popup(call, extension, 12).as_message())
        live.publish(extension.number, popup(call, extension, 11, Popup.Kind.BUTTON).as_message())

    assert read_popups(extension, count=2, meanwhile=publish) == [12, 11]


def test_popups_published_together_each_reach_their_extensions_page(over_redis, extension, call):
    other = Extension.objects.create(number="1002")

    def publish():
        live.publish_many([(extension.number, popup(call, extension, 21).as_message()),
                           (other.number, popup(call, other, 22).as_message()),
                           (extension.number, popup(call, extension, 23, Popup.Kind.BUTTON).as_message())])

    assert read_popups(extension, count=2, meanwhile=publish) == [21, 23]


def test_a_popup_published_twice_is_sent_once(over_redis, extension, call):
    def publish():
        message = popup(call, extension, 5).as_message()
        live.publish(extension.number, message)
        live.publish(extension.number, message)

    assert read_popups(extension, count=2, meanwhile=publish) == [5]


def test_a_popup_older_than_the_open_page_is_not_sent(over_redis, extension, call):
    old = popup(call, extension, 7)

    def publish():
        live.publish(extension.number, old.as_message())
        live.publish(extension.number, popup(call, extension, 8, Popup.Kind.BUTTON).as_message())

    assert read_popups(extension, count=2, meanwhile=publish) == [8]


def test_polling_the_database_sends_a_popup_that_became_readable_after_a_newer_one(over_database, extension, call):
    def commit_out_of_order():
        popup(call, extension, 22)
        time.sleep(0.3)  # the stream has read 22 meanwhile
        popup(call, extension, 21, Popup.Kind.BUTTON)

    assert read_popups(extension, count=2, meanwhile=commit_out_of_order) == [22, 21]


def test_a_reconnecting_page_gets_what_it_missed_and_nothing_it_saw(over_redis, extension, call):
    popup(call, extension, 31)
    popup(call, extension, 32, Popup.Kind.BUTTON)

    assert read_popups(extension, count=2, meanwhile=lambda: None, last_id="31") == [32]
