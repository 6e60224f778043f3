"""HTTP/1.1 to the CRM over http.client, with keep-alive connections per origin.

httpx cost a worker about 0.85 ms of CPU per request, more than everything else a
lookup does: its request and response models, and h11's parser written in Python.
The engine needs little from HTTP. It makes one request, reads one answer up to a
cap, keeps no cookies and follows redirects itself. So this module sends the request
with http.client (whose parser is mostly C), and keeps idle connections for the next
request.

What the engine still gets from httpx: a client the caller passes in, and every
request when a proxy is configured in the environment (HTTP_PROXY, HTTPS_PROXY,
ALL_PROXY). httpx honours those; this module does not.
"""

from __future__ import annotations

import codecs
import http.client
import os
import select
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urlsplit
from urllib.request import getproxies_environment

# An idle connection is not used again after this long: servers close theirs after
# 5 s (uvicorn, Apache), and a request racing that close would fail.
KEEP_IDLE_SECONDS = 4.0
IDLE_PER_ORIGIN = 16
DEFAULT_HEADERS = {"Accept": "*/*", "Accept-Encoding": "gzip, deflate", "User-Agent": "pbxcrm"}
# A dropped idle connection is retried on a new one only for these: a POST may have
# reached the CRM before the connection broke.
_SAFE_TO_REPEAT = frozenset({"GET", "HEAD", "OPTIONS"})


class TransportError(Exception):
    """The request got no answer; ``timed_out`` says whether it ran out of time."""

    def __init__(self, message: str, *, timed_out: bool = False) -> None:
        super().__init__(message)
        self.timed_out = timed_out


class AnswerTooLarge(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Headers:
    """An answer's headers: ``get``, ``[]`` and ``in`` ignore case and give the first
    of a repeated name, as ``email.message.Message`` (http.client's) does."""

    __slots__ = ("_first", "_pairs")

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs
        self._first: dict[str, str] = {}
        for name, value in pairs:
            self._first.setdefault(name.lower(), value)

    def get(self, name: str, default: str | None = None) -> str | None:
        return self._first.get(name.lower(), default)

    def __getitem__(self, name: str) -> str | None:
        return self._first.get(name.lower())

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._first

    def get_all(self, name: str, failobj: list[str] | None = None) -> list[str] | None:
        found = [value for key, value in self._pairs if key.lower() == name.lower()]
        return found or failobj

    def items(self) -> list[tuple[str, str]]:
        return list(self._pairs)


@dataclass
class Answer:
    status: int
    headers: Headers | Message  # get() ignores case
    body: bytes


_MAX_LINE = 65536
_MAX_HEADERS = 100


class _Response(http.client.HTTPResponse):
    """http.client's answer with the headers read into ``Headers``: http.client builds an
    ``email`` message of them, through the email package's parser, a third of what a
    request cost the worker. The rest is http.client's, and its rules for the body
    (chunked, Content-Length, or up to the close; none for HEAD, 1xx, 204, 304)."""

    def begin(self) -> None:
        if self.headers is not None:
            return
        while True:
            version, status, reason = self._read_status()
            if status != http.client.CONTINUE:
                break
            _read_header_lines(self.fp)  # an interim 100 Continue: its headers mean nothing here
        self.code = self.status = status
        self.reason = reason.strip()
        if version in ("HTTP/1.0", "HTTP/0.9"):
            self.version = 10
        elif version.startswith("HTTP/1."):
            self.version = 11
        else:
            raise http.client.UnknownProtocol(version)
        self.headers = self.msg = Headers(_read_header_lines(self.fp))
        encoding = self.headers.get("transfer-encoding")
        self.chunked = bool(encoding) and encoding.lower() == "chunked"
        self.chunk_left = None
        self.will_close = self._check_close()
        self.length = None
        length = self.headers.get("content-length")
        if length and not self.chunked:
            try:
                self.length = int(length)
            except ValueError:
                self.length = None
            else:
                if self.length < 0:
                    self.length = None
        if status in (http.client.NO_CONTENT, http.client.NOT_MODIFIED) or 100 <= status < 200 or self._method == "HEAD":
            self.length = 0
        if not self.will_close and not self.chunked and self.length is None:
            self.will_close = True  # the body ends when the server closes


def _read_header_lines(fp) -> list[tuple[str, str]]:
    """(name, value) of each header line up to the blank line; a folded line (it starts
    with a space or a tab) continues the value before it."""
    pairs: list[tuple[str, str]] = []
    for _ in range(_MAX_HEADERS + 1):
        line = fp.readline(_MAX_LINE + 1)
        if len(line) > _MAX_LINE:
            raise http.client.LineTooLong("header line")
        if line in (b"\r\n", b"\n", b""):
            return pairs
        text = line.decode("iso-8859-1").rstrip("\r\n")
        if text[:1] in (" ", "\t") and pairs:
            name, value = pairs[-1]
            pairs[-1] = (name, f"{value} {text.strip()}")
            continue
        name, _, value = text.partition(":")
        pairs.append((name.strip(), value.strip(" \t")))
    raise http.client.HTTPException(f"got more than {_MAX_HEADERS} headers")


def proxy_configured() -> bool:
    """Whether the environment names a proxy for http or https (httpx's rules)."""
    found = getproxies_environment()
    return any(found.get(scheme) for scheme in ("http", "https", "all"))


def _tls_context() -> ssl.SSLContext:
    # The certificates httpx would trust: SSL_CERT_FILE / SSL_CERT_DIR, else certifi.
    cafile, capath = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
    if not cafile and not capath:
        import certifi

        cafile = certifi.where()
    return ssl.create_default_context(cafile=cafile or None, capath=capath or None)


class Pool:
    """Connections per (scheme, host, port); safe to share between threads."""

    def __init__(self, *, connect_timeout: float, read_timeout: float) -> None:
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self._idle: dict[tuple[str, str, int], list[tuple[http.client.HTTPConnection, float]]] = {}
        self._lock = threading.Lock()
        self._tls: ssl.SSLContext | None = None

    def request(self, method: str, url: str, headers: dict[str, str], body: bytes | None, *,
                max_bytes: int) -> Answer:
        parts = urlsplit(url)
        origin = (parts.scheme, parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sent = dict(DEFAULT_HEADERS)
        lower = {name.lower() for name in headers}
        sent = {name: value for name, value in sent.items() if name.lower() not in lower} | headers
        while True:
            conn, reused = self._connection(origin)
            try:
                answer = self._exchange(conn, method, target, sent, body, max_bytes)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as err:
                conn.close()
                if reused and method.upper() in _SAFE_TO_REPEAT:
                    continue  # the server had closed it while idle: once more on a new one
                raise TransportError(str(err) or type(err).__name__) from None
            except TimeoutError:
                conn.close()
                raise TransportError("ReadTimeout", timed_out=True) from None
            except AnswerTooLarge:
                conn.close()
                raise
            except (OSError, http.client.HTTPException) as err:
                conn.close()
                raise TransportError(str(err) or type(err).__name__) from None
            return answer

    def _exchange(self, conn: http.client.HTTPConnection, method: str, target: str, headers: dict[str, str],
                  body: bytes | None, max_bytes: int) -> Answer:
        conn.request(method, target, body=body, headers=headers)
        answer = conn.getresponse()
        if answer.length is not None and answer.length > max_bytes:
            raise AnswerTooLarge(answer.status)
        decoder = _decoder(answer.headers.get("content-encoding", ""))
        data = bytearray()
        while chunk := answer.read(65536):
            data += decoder.decompress(chunk, max_bytes + 1 - len(data)) if decoder else chunk
            if len(data) > max_bytes:
                raise AnswerTooLarge(answer.status)
        if decoder:
            data += decoder.flush()
        if answer.will_close:
            conn.close()
        else:
            self._put_back(conn)
        return Answer(answer.status, answer.headers, bytes(data))

    def _connection(self, origin: tuple[str, str, int]) -> tuple[http.client.HTTPConnection, bool]:
        now = time.monotonic()
        with self._lock:
            idle = self._idle.get(origin, [])
            while idle:
                conn, since = idle.pop()
                if now - since < KEEP_IDLE_SECONDS and not _closed_by_peer(conn):
                    return conn, True
                conn.close()
        scheme, host, port = origin
        try:
            if scheme == "https":
                if self._tls is None:
                    self._tls = _tls_context()
                conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                    host, port, timeout=self.connect_timeout, context=self._tls)
            else:
                conn = http.client.HTTPConnection(host, port, timeout=self.connect_timeout)
            conn.response_class = _Response
            conn.connect()
        except TimeoutError:
            raise TransportError("ConnectTimeout", timed_out=True) from None
        except OSError as err:
            raise TransportError(str(err) or type(err).__name__) from None
        assert conn.sock is not None
        conn.sock.settimeout(self.read_timeout)
        conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn._pbxcrm_origin = origin  # type: ignore[attr-defined]
        return conn, False

    def _put_back(self, conn: http.client.HTTPConnection) -> None:
        origin = conn._pbxcrm_origin  # type: ignore[attr-defined]
        with self._lock:
            idle = self._idle.setdefault(origin, [])
            if len(idle) < IDLE_PER_ORIGIN:
                idle.append((conn, time.monotonic()))
                return
        conn.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for connections in idle.values():
            for conn, _ in connections:
                conn.close()


def _closed_by_peer(conn: http.client.HTTPConnection) -> bool:
    """An idle connection with something to read has been closed by the server (or
    sent what nobody asked for): either way it is not used again."""
    if conn.sock is None:
        return True
    try:
        readable, _, _ = select.select([conn.sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _decoder(encoding: str):
    encoding = encoding.strip().lower()
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    return None


def charset(content_type: str | None) -> str:
    """The answer's text encoding: its Content-Type's charset, else UTF-8."""
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            try:
                return codecs.lookup(value.strip().strip("\"'")).name
            except LookupError:
                break
    return "utf-8"
