"""HTTP/1.1 to the CRM, written on the socket, with keep-alive connections per origin.

httpx cost a worker about 0.85 ms of CPU per request, more than everything else a
lookup does: its request and response models, and h11's parser written in Python.
http.client, next, still cost 185-195 µs of CPU a request: a file object over the
socket and a response object for each answer, its headers through the email
package. The engine needs little from HTTP. It makes one request, reads one answer up
to a cap, keeps no cookies and follows redirects itself. So this module writes the
request in one ``sendall`` and reads the answer from a buffer kept with the
connection, by http.client's rules (kept here, each with its test): the status line
and interim ``100 Continue`` answers, headers (folded lines, at most 100), the body
chunked, by Content-Length, or up to the close, and none for HEAD, 1xx, 204 and 304;
and it keeps idle connections for the next request.

What the engine still gets from httpx: a client the caller passes in, and every
request when a proxy is configured in the environment (HTTP_PROXY, HTTPS_PROXY,
ALL_PROXY). httpx honours those; this module does not.
"""

from __future__ import annotations

import codecs
import http.client
import os
import re
import select
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass
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
    headers: Headers  # get() ignores case
    body: bytes


_MAX_LINE = 65536
_MAX_HEADERS = 100


class _Connection:
    """One keep-alive connection: its socket, and what was read past the last line
    taken (the next answer's bytes never are: a connection with bytes left over after
    an answer is closed, not kept)."""

    __slots__ = ("sock", "buffer", "origin", "host")

    def __init__(self, sock: socket.socket, origin: tuple[str, str, int], host: str) -> None:
        self.sock, self.origin, self.host = sock, origin, host
        self.buffer = bytearray()

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        if not data:
            return False
        self.buffer += data
        return True

    def readline(self, limit: int) -> bytes:
        """Up to and with the next newline, at most ``limit`` bytes; what is left at the
        close (b"" when nothing)."""
        buffer = self.buffer
        while True:
            end = buffer.find(b"\n", 0, limit)
            if end >= 0:
                return self._take(end + 1)
            if len(buffer) >= limit:
                return self._take(limit)
            if not self._fill():
                return self._take(len(buffer))

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes; b"" at the close."""
        if not self.buffer and not self._fill():
            return b""
        return self._take(min(size, len(self.buffer)))

    def read_exactly(self, size: int) -> bytes:
        while len(self.buffer) < size:
            if not self._fill():
                raise http.client.IncompleteRead(bytes(self.buffer), size - len(self.buffer))
        return self._take(size)

    def _take(self, size: int) -> bytes:
        taken = bytes(self.buffer[:size])
        del self.buffer[:size]
        return taken

    def close(self) -> None:
        self.sock.close()


# http.client's checks of what a request may carry.
_LEGAL_HEADER_NAME = re.compile(r"[^:\s][^:\r\n]*")
_ILLEGAL_HEADER_VALUE = re.compile(r"\n(?![ \t])|\r(?![ \t\n])")
_DISALLOWED_IN_TARGET = re.compile("[\x00-\x20\x7f]")
_BODY_EXPECTED = frozenset({"PATCH", "POST", "PUT"})


def _request_bytes(method: str, target: str, host: str, headers: dict[str, str], body: bytes | None) -> bytes:
    """The request as http.client writes it: Host unless given, Content-Length for a
    body (0 for a POST, PUT or PATCH without one)."""
    if _DISALLOWED_IN_TARGET.search(target) or _DISALLOWED_IN_TARGET.search(method):
        raise http.client.InvalidURL(f"can't send control characters in {method} {target!r}")
    lines = [f"{method} {target} HTTP/1.1"]
    names = {name.lower() for name in headers}
    if "host" not in names:
        lines.append(f"Host: {host}")
    for name, value in headers.items():
        value = str(value)
        if not _LEGAL_HEADER_NAME.fullmatch(name):
            raise ValueError(f"Invalid header name {name!r}")
        if _ILLEGAL_HEADER_VALUE.search(value):
            raise ValueError(f"Invalid header value {value!r}")
        lines.append(f"{name}: {value}")
    if "content-length" not in names and "transfer-encoding" not in names:
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        elif method.upper() in _BODY_EXPECTED:
            lines.append("Content-Length: 0")
    head = lines[0].encode("ascii") + ("\r\n" + "\r\n".join(lines[1:]) + "\r\n\r\n").encode("latin-1")
    return head + body if body else head


def _read_status(conn: _Connection) -> tuple[int, int]:
    """(HTTP version as 10 or 11, status) of the next answer, interim 100 Continue
    answers skipped (their headers mean nothing here)."""
    while True:
        line = conn.readline(_MAX_LINE + 1)
        if len(line) > _MAX_LINE:
            raise http.client.LineTooLong("status line")
        if not line:
            raise http.client.RemoteDisconnected("Remote end closed connection without response")
        text = line.decode("iso-8859-1")
        parts = text.split(None, 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/"):
            raise http.client.BadStatusLine(text)
        try:
            status = int(parts[1])
        except ValueError:
            raise http.client.BadStatusLine(text) from None
        if not 100 <= status <= 999:
            raise http.client.BadStatusLine(text)
        if status != http.client.CONTINUE:
            break
        _read_header_lines(conn)
    version = parts[0]
    if version in ("HTTP/1.0", "HTTP/0.9"):
        return 10, status
    if version.startswith("HTTP/1."):
        return 11, status
    raise http.client.UnknownProtocol(version)


def _will_close(version: int, headers: Headers) -> bool:
    """Whether the server closes the connection after this answer (http.client's rule)."""
    connection = (headers.get("connection") or "").lower()
    if version == 11:
        return "close" in connection
    return not (headers.get("keep-alive") or "keep-alive" in connection
                or "keep-alive" in (headers.get("proxy-connection") or "").lower())


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
        self._idle: dict[tuple[str, str, int], list[tuple[_Connection, float]]] = {}
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
            except BaseException:
                conn.close()  # a request that cannot be written (a header with a line break)
                raise
            return answer

    def _exchange(self, conn: _Connection, method: str, target: str, headers: dict[str, str],
                  body: bytes | None, max_bytes: int) -> Answer:
        conn.sock.sendall(_request_bytes(method, target, conn.host, headers, body))
        version, status = _read_status(conn)
        answer_headers = Headers(_read_header_lines(conn))
        encoding = answer_headers.get("transfer-encoding")
        chunked = bool(encoding) and encoding.lower() == "chunked"
        length = None
        if not chunked and (declared := answer_headers.get("content-length")):
            try:
                length = int(declared)
            except ValueError:
                length = None
            if length is not None and length < 0:
                length = None
        if status in (http.client.NO_CONTENT, http.client.NOT_MODIFIED) or status < 200 or method.upper() == "HEAD":
            chunked, length = False, 0
        will_close = _will_close(version, answer_headers) or (not chunked and length is None)
        if length is not None and length > max_bytes:
            raise AnswerTooLarge(status)
        body_reader = _Body(status, answer_headers.get("content-encoding", ""), max_bytes)
        if chunked:
            _read_chunked(conn, body_reader)
        elif length is not None:
            if length:
                body_reader.add(conn.read_exactly(length))
        else:
            while chunk := conn.read(65536):  # the body ends when the server closes
                body_reader.add(chunk)
        if will_close or conn.buffer:
            conn.close()
        else:
            self._put_back(conn)
        return Answer(status, answer_headers, body_reader.done())

    def _connection(self, origin: tuple[str, str, int]) -> tuple[_Connection, bool]:
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
            sock = socket.create_connection((host, port), timeout=self.connect_timeout)
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                if scheme == "https":
                    if self._tls is None:
                        self._tls = _tls_context()
                    sock = self._tls.wrap_socket(sock, server_hostname=host)
            except BaseException:
                sock.close()
                raise
        except TimeoutError:
            raise TransportError("ConnectTimeout", timed_out=True) from None
        except OSError as err:
            raise TransportError(str(err) or type(err).__name__) from None
        sock.settimeout(self.read_timeout)
        return _Connection(sock, origin, _host_header(host, port, 443 if scheme == "https" else 80)), False

    def _put_back(self, conn: _Connection) -> None:
        with self._lock:
            idle = self._idle.setdefault(conn.origin, [])
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


def _host_header(host: str, port: int, default_port: int) -> str:
    """The Host header http.client sends: IDNA for a name not in ASCII, an IPv6 address
    in brackets, the port unless it is the scheme's."""
    try:
        host.encode("ascii")
    except UnicodeEncodeError:
        host = host.encode("idna").decode("ascii")
    if ":" in host:
        host = f"[{host}]"
    return host if port == default_port else f"{host}:{port}"


class _Body:
    """An answer's body as it comes: decompressed (gzip, deflate), refused past the cap."""

    __slots__ = ("status", "decoder", "max_bytes", "data")

    def __init__(self, status: int, encoding: str, max_bytes: int) -> None:
        self.status, self.decoder, self.max_bytes = status, _decoder(encoding), max_bytes
        self.data = bytearray()

    def add(self, chunk: bytes) -> None:
        if self.decoder is not None:
            chunk = self.decoder.decompress(chunk, self.max_bytes + 1 - len(self.data))
        self.data += chunk
        if len(self.data) > self.max_bytes:
            raise AnswerTooLarge(self.status)

    def done(self) -> bytes:
        if self.decoder is not None:
            self.data += self.decoder.flush()
        return bytes(self.data)


def _read_chunked(conn: _Connection, body: _Body) -> None:
    """A chunked body: each chunk's size in hex (extensions after ';' ignored), its
    bytes and a line end, up to the zero-size chunk; then the trailer lines, unread."""
    while True:
        line = conn.readline(_MAX_LINE + 1)
        if len(line) > _MAX_LINE:
            raise http.client.LineTooLong("chunk size")
        try:
            size = int(line.split(b";", 1)[0], 16)
        except ValueError:
            raise http.client.IncompleteRead(b"") from None
        if size < 0:
            raise http.client.IncompleteRead(b"")
        if size == 0:
            break
        if body.decoder is None and len(body.data) + size > body.max_bytes:
            raise AnswerTooLarge(body.status)
        body.add(conn.read_exactly(size))
        conn.read_exactly(2)  # the chunk's line end
    _read_header_lines(conn)  # trailers


def _closed_by_peer(conn: _Connection) -> bool:
    """An idle connection with something to read has been closed by the server (or
    sent what nobody asked for): either way it is not used again."""
    try:
        if isinstance(conn.sock, ssl.SSLSocket) and conn.sock.pending():
            return True  # bytes the TLS layer decrypted but nobody read
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
