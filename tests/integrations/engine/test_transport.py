"""HTTP to the CRM over http.client: connections kept, answers read as httpx read them."""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from integrations.engine import Engine, transport
from tests.integrations.crm_templates import crm_template, loaded, settings_for


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.server.seen.append((self.path, dict(self.headers), self.client_address))
        if self.path == "/slow":
            time.sleep(1)
        body, headers = b"hello", {"Content-Type": "text/plain"}
        if self.path == "/gzip":
            body, headers = gzip.compress(b"squeezed " * 100), {"Content-Encoding": "gzip"}
        elif self.path == "/latin":
            body, headers = "café".encode("latin-1"), {"Content-Type": "text/plain; charset=ISO-8859-1"}
        elif self.path == "/close":
            headers["Connection"] = "close"
        self.send_response(200)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        if self.path == "/close":
            self.close_connection = True

    do_POST = do_GET


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.seen = []
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def pool():
    found = transport.Pool(connect_timeout=2, read_timeout=0.3)
    yield found
    found.close()


def url(server, path: str) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{path}"


def get(pool, server, path: str, headers: dict[str, str] | None = None) -> transport.Answer:
    return pool.request("GET", url(server, path), headers or {}, None, max_bytes=1024)


def test_requests_one_after_another_share_one_connection(pool, server):
    for _ in range(3):
        assert get(pool, server, "/").body == b"hello"
    assert len({client for _, _, client in server.seen}) == 1


def test_a_connection_the_server_closes_is_not_used_again(pool, server):
    get(pool, server, "/close")
    assert get(pool, server, "/").body == b"hello"
    assert len({client for _, _, client in server.seen}) == 2


def test_a_gzipped_answer_is_read_unzipped(pool, server):
    assert get(pool, server, "/gzip").body == b"squeezed " * 100


def test_an_unzipped_answer_over_the_cap_is_refused(pool, server):
    with pytest.raises(transport.AnswerTooLarge):
        pool.request("GET", url(server, "/gzip"), {}, None, max_bytes=100)


def test_the_charset_of_the_content_type_decodes_the_text():
    assert transport.charset("text/plain; charset=ISO-8859-1") == "iso8859-1"
    assert transport.charset('application/json; charset="utf-8"') == "utf-8"
    assert transport.charset("application/json") == "utf-8"
    assert transport.charset("text/plain; charset=no-such-thing") == "utf-8"


def test_a_template_header_replaces_the_default_of_the_same_name(pool, server):
    get(pool, server, "/", {"user-agent": "my-crm-client", "X-Api-Key": "k"})
    sent = {name.lower(): value for name, value in server.seen[0][1].items()}
    assert sent["user-agent"] == "my-crm-client" and sent["x-api-key"] == "k" and sent["accept"] == "*/*"


def test_an_answer_slower_than_the_read_timeout_times_out(pool, server):
    with pytest.raises(transport.TransportError) as caught:
        get(pool, server, "/slow")
    assert caught.value.timed_out


def test_a_refused_connection_is_a_transport_error(pool):
    with pytest.raises(transport.TransportError) as caught:
        pool.request("GET", "http://127.0.0.1:9/", {}, None, max_bytes=10)
    assert not caught.value.timed_out


def test_the_engine_decodes_a_latin_1_answer(server):
    engine = Engine(loaded(crm_template("basic")), settings=settings_for("basic", url(server, "")))
    status, text = engine._send_raw("GET", url(server, "/latin"), {}, "", "Test")
    assert (status, text) == (200, "café")
    engine.close()


def test_with_a_proxy_in_the_environment_the_engine_uses_httpx(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    engine = Engine(loaded(crm_template("basic")), settings=settings_for("basic", "https://crm.example"))
    assert engine.pool is None and engine.client is not None
    engine.close()
