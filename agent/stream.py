"""An agent page's live stream: server-sent events carrying the extension's popups.

The stream begins at "now": a page that opens sees only popups made after it. The
browser's EventSource reconnects by itself (after ``retry`` ms) and sends the last id
it saw; the stream then sends what it missed, if it is younger than CATCH_UP_SECONDS,
so a dropped network or a restarted server loses no popup and replays no old one.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.utils import timezone

from integrations.models import Popup

from . import live

CATCH_UP_SECONDS = 60
RETRY_MS = 1000


def _event(message: dict) -> str:
    return f"id: {message['id']}\nevent: popup\ndata: {json.dumps(message)}\n\n"


@sync_to_async
def _newest_id() -> int:
    return Popup.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@sync_to_async
def _since(extension_id: int, after: int, sent: Sent) -> list[dict]:
    fresh = timezone.now() - timedelta(seconds=CATCH_UP_SECONDS)
    rows = (Popup.objects.select_related("call").filter(extension_id=extension_id, pk__gt=after, created__gte=fresh)
            .exclude(pk__in=sent.ids()))
    return [row.as_message() for row in rows.order_by("pk")[:50]]


class Sent:
    """The popups this stream sent in the last CATCH_UP_SECONDS.

    Not a high-water mark: two workers commit popups 41 and 42 in either order, so 41
    may be published (or become readable) after 42 was sent; it is new all the same.
    """

    def __init__(self) -> None:
        self._at: dict[int, float] = {}

    def add(self, popup_id: int) -> bool:
        """Whether this popup is new to the stream (and now counted as sent)."""
        if popup_id in self._at:
            return False
        now = time.monotonic()
        if len(self._at) > 1000:
            self._at = {k: at for k, at in self._at.items() if now - at < CATCH_UP_SECONDS}
        self._at[popup_id] = now
        return True

    def ids(self) -> list[int]:
        return list(self._at)


async def events(extension_id: int, number: str, last_id: str | None) -> AsyncIterator[str]:
    yield f"retry: {RETRY_MS}\n: connected\n\n"
    # Where the page stands: after the last popup it saw (a reconnect), or "now".
    after = int(last_id) if last_id and last_id.isdigit() else await _newest_id()
    if settings.REDIS_URL:
        async for chunk in _from_redis(extension_id, number, after):
            yield chunk
    else:
        async for chunk in _from_database(extension_id, after):
            yield chunk


async def _from_redis(extension_id: int, number: str, after: int) -> AsyncIterator[str]:
    import redis.asyncio as redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    sent = Sent()
    try:
        await pubsub.subscribe(live.channel(number))
        # Subscribed first, then the catch-up: a popup made in between comes twice, and
        # is sent once.
        for message in await _since(extension_id, after, sent):
            if sent.add(message["id"]):
                yield _event(message)
        while True:
            got = await pubsub.get_message(timeout=settings.LIVE_KEEPALIVE_SECONDS)
            if got is None:
                yield ": keep-alive\n\n"
                continue
            message = json.loads(got["data"])
            if message["id"] > after and sent.add(message["id"]):
                yield _event(message)
    finally:
        await pubsub.aclose()
        await client.aclose()


async def _from_database(extension_id: int, after: int) -> AsyncIterator[str]:
    quiet = 0.0
    sent = Sent()
    while True:
        found = await _since(extension_id, after, sent)
        for message in found:
            if sent.add(message["id"]):
                yield _event(message)
        await asyncio.sleep(settings.LIVE_POLL_SECONDS)
        quiet = 0.0 if found else quiet + settings.LIVE_POLL_SECONDS
        if quiet >= settings.LIVE_KEEPALIVE_SECONDS:
            quiet = 0.0
            yield ": keep-alive\n\n"
