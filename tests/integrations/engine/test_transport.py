"""HTTP to the CRM on the socket: connections kept, requests written and answers read as\nhttp.client writes and reads them."""

from __future__ import annotations

import datetime
import gzip
import ipaddress
import ssl
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


def certificate(subject: str, key, issuer=None, issuer_key=None, *, ca: bool = False):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import NameOID

    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    now = datetime.datetime.now(datetime.UTC)
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(issuer.subject if issuer else name)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if not ca:
        builder = builder.add_extension(x509.SubjectAlternativeName(
            [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
    return builder.sign(issuer_key or key, hashes.SHA256())


@pytest.fixture
def tls_server(tmp_path):
    """The server above over TLS, with a certificate from a CA of its own (ca.pem)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = certificate("pbxcrm test CA", ca_key, ca=True)
    cert = certificate("localhost", key, ca, ca_key)
    pem = serialization.Encoding.PEM
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(pem))
    (tmp_path / "server.pem").write_bytes(cert.public_bytes(pem) + key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "server.pem")
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.seen, httpd.daemon_threads, httpd.ca = [], True, tmp_path / "ca.pem"
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
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


def test_https_to_a_server_whose_certificate_is_trusted_through_ssl_cert_file(tls_server, monkeypatch):
    monkeypatch.setenv("SSL_CERT_FILE", str(tls_server.ca))
    pool = transport.Pool(connect_timeout=2, read_timeout=2)
    for host in ("localhost", "127.0.0.1"):
        answer = pool.request("GET", f"https://{host}:{tls_server.server_address[1]}/", {}, None, max_bytes=100)
        assert answer.body == b"hello"
    pool.close()


def test_https_to_a_server_whose_certificate_nobody_trusts_is_refused(tls_server, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    pool = transport.Pool(connect_timeout=2, read_timeout=2)
    with pytest.raises(transport.TransportError, match="CERTIFICATE_VERIFY_FAILED"):
        pool.request("GET", f"https://localhost:{tls_server.server_address[1]}/", {}, None, max_bytes=100)
    pool.close()


def test_with_a_proxy_in_the_environment_the_engine_uses_httpx(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    engine = Engine(loaded(crm_template("basic")), settings=settings_for("basic", "https://crm.example"))
    assert engine.pool is None and engine.client is not None
    engine.close()


@pytest.fixture
def raw_server():
    """A server that answers every request with the bytes the test sets, as written, and
    closes the connection; with ``drop_later`` set it keeps the connection and drops it
    when the next request comes (as a server whose idle timeout ran out just then)."""
    import socket

    listener = socket.create_server(("127.0.0.1", 0))
    state = {"answer": b"", "requests": [], "drop_later": False}

    def drop_on_next_request(conn) -> None:
        conn.recv(65536)
        conn.close()

    def serve() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            state["requests"].append(conn.recv(65536))
            conn.sendall(state["answer"])
            if state["drop_later"]:
                threading.Thread(target=drop_on_next_request, args=(conn,), daemon=True).start()
            else:
                conn.close()

    threading.Thread(target=serve, daemon=True).start()
    state["url"] = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    yield state
    listener.close()


def test_answer_headers_ignore_case_and_give_the_first_of_a_repeated_name(pool, raw_server):
    raw_server["answer"] = (b"HTTP/1.1 200 OK\r\nX-Seen: one\r\nx-seen: two\r\nContent-Length: 2\r\n"
                            b"Connection: close\r\n\r\nok")
    answer = pool.request("GET", raw_server["url"], {}, None, max_bytes=1024)
    assert (answer.body, answer.headers.get("X-SEEN"), answer.headers["x-seen"]) == (b"ok", "one", "one")
    assert "CONTENT-length" in answer.headers and answer.headers.get_all("x-seen") == ["one", "two"]
    assert answer.headers.get("missing", "none") == "none"


def test_a_folded_header_line_continues_the_value_before_it(pool, raw_server):
    raw_server["answer"] = (b"HTTP/1.1 200 OK\r\nContent-Type: text/plain;\r\n charset=ISO-8859-1\r\n"
                            b"Content-Length: 5\r\nConnection: close\r\n\r\ncaf\xe9!")
    answer = pool.request("GET", raw_server["url"], {}, None, max_bytes=1024)
    assert transport.charset(answer.headers.get("content-type")) == "iso8859-1"  # codecs' name


def test_an_interim_100_continue_is_skipped_for_the_answer_after_it(pool, raw_server):
    raw_server["answer"] = (b"HTTP/1.1 100 Continue\r\nX-Interim: yes\r\n\r\n"
                            b"HTTP/1.1 201 Created\r\nContent-Length: 3\r\nConnection: close\r\n\r\nnew")
    answer = pool.request("POST", raw_server["url"], {}, b"{}", max_bytes=1024)
    assert (answer.status, answer.body, "x-interim" in answer.headers) == (201, b"new", False)


def test_an_answer_without_a_length_is_read_until_the_server_closes(pool, raw_server):
    raw_server["answer"] = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it"
    assert pool.request("GET", raw_server["url"], {}, None, max_bytes=1024).body == b"all of it"


def test_a_no_content_answer_has_no_body_even_with_bytes_after_it(pool, raw_server):
    raw_server["answer"] = b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
    answer = pool.request("DELETE", raw_server["url"], {}, None, max_bytes=1024)
    assert (answer.status, answer.body) == (204, b"")


def test_more_than_a_hundred_headers_is_an_error_not_a_hang(pool, raw_server):
    raw_server["answer"] = b"HTTP/1.1 200 OK\r\n" + b"X-A: b\r\n" * 101 + b"Content-Length: 0\r\n\r\n"
    with pytest.raises(transport.TransportError):
        pool.request("GET", raw_server["url"], {}, None, max_bytes=1024)


def test_a_chunked_answer_is_read_whole_its_extensions_and_trailers_left_out(pool, raw_server):
    raw_server["answer"] = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                            b"5;name=value\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: yes\r\n\r\n")
    assert pool.request("GET", raw_server["url"], {}, None, max_bytes=1024).body == b"hello, world"


def test_a_gzipped_chunked_answer_is_read_unzipped(pool, raw_server):
    import gzip

    squeezed = gzip.compress(b'{"data": []}')
    raw_server["answer"] = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n"
                            b"Connection: close\r\n\r\n" + f"{len(squeezed):x}\r\n".encode() + squeezed
                            + b"\r\n0\r\n\r\n")
    assert pool.request("GET", raw_server["url"], {}, None, max_bytes=1024).body == b'{"data": []}'


def test_a_chunked_answer_over_the_cap_is_refused(pool, raw_server):
    raw_server["answer"] = (b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                            b"800\r\n" + b"x" * 2048 + b"\r\n0\r\n\r\n")
    with pytest.raises(transport.AnswerTooLarge):
        pool.request("GET", raw_server["url"], {}, None, max_bytes=1024)


def test_an_answer_cut_short_of_its_length_is_a_transport_error(pool, raw_server):
    raw_server["answer"] = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nonly"
    with pytest.raises(transport.TransportError):
        pool.request("GET", raw_server["url"], {}, None, max_bytes=1024)


def test_a_server_that_answers_nothing_is_a_transport_error(pool, raw_server):
    raw_server["answer"] = b""
    with pytest.raises(transport.TransportError):
        pool.request("POST", raw_server["url"], {}, b"{}", max_bytes=1024)


def test_the_answer_to_head_has_no_body_whatever_its_length_says(pool, raw_server):
    raw_server["answer"] = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\n"
    assert pool.request("HEAD", raw_server["url"], {}, None, max_bytes=1024).body == b""


def request_lines(raw: bytes) -> tuple[str, list[str], bytes]:
    head, _, body = raw.partition(b"\r\n\r\n")
    first, *headers = head.decode().split("\r\n")
    return first, sorted(headers), body


def test_a_request_carries_its_host_the_default_headers_the_templates_and_its_length(pool, raw_server):
    raw_server["answer"] = b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"
    pool.request("POST", raw_server["url"] + "a/b?c=d%20e", {"Authorization": "Bearer t"}, None, max_bytes=1024)
    pool.request("PUT", raw_server["url"], {"Content-Type": "application/json"}, b'{"a": 1}', max_bytes=1024)
    port = raw_server["url"].rsplit(":", 1)[1].rstrip("/")
    empty, with_body = (request_lines(raw) for raw in raw_server["requests"])
    assert empty == ("POST /a/b?c=d%20e HTTP/1.1", sorted([
        f"Host: 127.0.0.1:{port}", "Accept: */*", "Accept-Encoding: gzip, deflate", "User-Agent: pbxcrm",
        "Authorization: Bearer t", "Content-Length: 0"]), b"")
    assert with_body[0] == "PUT / HTTP/1.1" and with_body[2] == b'{"a": 1}'
    assert {"Content-Type: application/json", "Content-Length: 8"} <= set(with_body[1])


def test_a_header_value_with_a_line_break_is_refused_before_anything_is_sent(pool, raw_server):
    with pytest.raises(ValueError):
        pool.request("GET", raw_server["url"], {"X-Token": "a\r\nX-Injected: 1"}, None, max_bytes=1024)
    assert b"X-Injected" not in b"".join(raw_server["requests"])


def test_an_idle_connection_the_server_dropped_is_replaced_for_a_get_but_not_for_a_post(pool, raw_server):
    raw_server["answer"], raw_server["drop_later"] = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", True
    assert pool.request("GET", raw_server["url"], {}, None, max_bytes=1024).body == b"ok"
    assert pool.request("GET", raw_server["url"], {}, None, max_bytes=1024).body == b"ok"  # on a new connection
    assert len(raw_server["requests"]) == 2  # the GET that met the dropped connection reached no one
    with pytest.raises(transport.TransportError):
        pool.request("POST", raw_server["url"], {}, b"{}", max_bytes=1024)  # it may have reached the CRM
