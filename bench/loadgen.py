"""A lean HTTP/1.1 load generator: keep-alive connections on asyncio streams.

httpx costs a few milliseconds of the client's own CPU per request on a small VM,
which would measure the client, not the portal. This sends prepared POSTs over
``connections`` sockets, each request as one write, and reads each answer by its
Content-Length.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit


def request_bytes(url: str, body: bytes, headers: dict[str, str]) -> bytes:
    parts = urlsplit(url)
    lines = [f"POST {parts.path or '/'} HTTP/1.1", f"Host: {parts.netloc}", f"Content-Length: {len(body)}",
             "Content-Type: application/json", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _read_answer(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length, chunked = 0, False
    for line in head.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.lower() == b"content-length":
            length = int(value)
        elif name.lower() == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                return status
    if length:
        await reader.readexactly(length)
    return status


async def post_all(url: str, bodies: Sequence[bytes], headers: dict[str, str], *, connections: int = 32,
                   on_answer: Callable[[int, int, float], None] | None = None) -> tuple[int, float, list[float]]:
    """POST every body (in order per connection); (answers 2xx, seconds, latencies)."""
    parts = urlsplit(url)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for index in range(len(bodies)):
        queue.put_nowait(index)
    ok = 0
    latencies: list[float] = []

    async def worker() -> None:
        nonlocal ok
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while not queue.empty():
                index = queue.get_nowait()
                started = time.perf_counter()
                writer.write(request_bytes(url, bodies[index], headers))
                status = await _read_answer(reader)
                latencies.append(time.perf_counter() - started)
                ok += status // 100 == 2
                if on_answer is not None:
                    on_answer(index, status, started)
        finally:
            writer.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(connections)))
    return ok, time.perf_counter() - began, latencies


async def post_paced(url: str, schedule: Sequence[tuple[float, bytes]], headers: dict[str, str], *,
                     connections: int = 16,
                     on_sent: Callable[[int, float], None] | None = None) -> tuple[int, list[float]]:
    """POST each body at its time (seconds from now; the schedule sorted by time) over
    a pool of keep-alive connections; (answers 2xx, latencies). ``on_sent(index, t)``
    is told when each request leaves."""
    parts = urlsplit(url)
    pool: asyncio.Queue = asyncio.Queue()
    for _ in range(connections):
        pool.put_nowait(await asyncio.open_connection(parts.hostname, parts.port))
    ok = 0
    latencies: list[float] = []
    began = time.perf_counter()

    async def one(index: int, body: bytes) -> None:
        nonlocal ok
        reader, writer = await pool.get()
        try:
            sent = time.perf_counter()
            if on_sent is not None:
                on_sent(index, sent)
            writer.write(request_bytes(url, body, headers))
            status = await _read_answer(reader)
            latencies.append(time.perf_counter() - sent)
            ok += status // 100 == 2
        finally:
            pool.put_nowait((reader, writer))

    pending = []
    for index, (at, body) in enumerate(schedule):
        delay = began + at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        pending.append(asyncio.create_task(one(index, body)))
    await asyncio.gather(*pending)
    while not pool.empty():
        pool.get_nowait()[1].close()
    return ok, latencies
