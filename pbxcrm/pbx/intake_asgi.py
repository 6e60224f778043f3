"""POST /pbx/events answered in front of Django's ASGI handler.

A PBX posts every call's events, thousands a second on a busy system. Through
Django's stack each one would pass every middleware and hop between the event loop
and a thread several times; here the body is read in the loop, and one function
(intake.answer: the token, the checks, the row, the task) runs in a pool of threads
of its own, so several events are stored at once. Every other request goes to Django.

The pool's threads keep their database connection from one event to the next (it is
closed and opened again after an error).
"""

from __future__ import annotations

import asyncio
import json
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connections
from django.http.request import split_domain_port, validate_host

from .events import MAX_EVENT_BYTES

PATH = "/pbx/events"


class EventIntake:
    def __init__(self, django_app, threads: int = 8) -> None:
        self.django_app = django_app
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="intake")

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH:
            return await self.django_app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host, _ = split_domain_port(headers.get("host", ""))
        if not validate_host(host, settings.ALLOWED_HOSTS):
            return await _reply(send, 400, {"error": "this host is not allowed (ALLOWED_HOSTS)"})
        if scope["method"] != "POST":
            return await _reply(send, 405, {"error": "only POST"}, [(b"allow", b"POST")])
        body = await _body(receive, MAX_EVENT_BYTES + 1)
        token = _presented(headers)
        status, payload = await asyncio.get_running_loop().run_in_executor(self.pool, _answer, body, token)
        extra = [(b"www-authenticate", b"Bearer")] if status == 401 else []
        await _reply(send, status, payload, extra)


def _presented(headers: dict[str, str]) -> str:
    from .intake import presented_token

    return presented_token(headers.get("authorization", ""), headers.get("x-pbx-token", ""))


def _answer(body: bytes, token: str) -> tuple[int, dict]:
    from .intake import answer

    try:
        return answer(body, token)
    except Exception:
        # A broken connection (the database restarted) is dropped; the PBX sends again.
        for connection in connections.all(initialized_only=True):
            connection.close()
        close_old_connections()
        raise


async def _body(receive, limit: int) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size <= limit:
            chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)


async def _reply(send, status: int, payload: dict, headers: list[tuple[bytes, bytes]] | None = None) -> None:
    body = json.dumps(payload).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *(headers or [])]})
    await send({"type": "http.response.body", "body": body})
