"""The channel from the workers to the agent pages' live streams.

A popup is a database row first (integrations.models.Popup); then its message is
published on the extension's Redis channel, where every open agent page of that
extension (any web process) is subscribed. Without Redis the streams read new rows
from the database every LIVE_POLL_SECONDS instead: slower, same messages.
"""

from __future__ import annotations

import json
import threading

from django.conf import settings

_client = None
_lock = threading.Lock()


def channel(extension_number: str) -> str:
    return f"{settings.LIVE_CHANNEL_PREFIX}{extension_number}"


def _redis():
    global _client
    if _client is None:
        with _lock:
            if _client is None:
                import redis

                _client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5)
    return _client


def publish(extension_number: str, message: dict) -> None:
    """Tell the extension's open agent pages (a no-op without Redis: they poll)."""
    if settings.REDIS_URL:
        _redis().publish(channel(extension_number), json.dumps(message))


def publish_many(messages: list[tuple[str, dict]]) -> None:
    """``publish`` for several (extension number, message) pairs in one round trip: a
    call ringing a group pops up on each extension of it at once."""
    if not settings.REDIS_URL or not messages:
        return
    if len(messages) == 1:
        publish(*messages[0])
        return
    pipe = _redis().pipeline(transaction=False)
    for extension_number, message in messages:
        pipe.publish(channel(extension_number), json.dumps(message))
    pipe.execute()
