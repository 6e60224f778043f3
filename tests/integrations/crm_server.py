"""A local CRM the tests talk to over real HTTP, shaped like real CRM answers.

Its answers follow Zoho CRM's v2 API, the CRM most templates of this format target:
``{"data": [...]}`` for records, ``204 No Content`` for a search with no match,
``{"users": [...], "info": {"more_records": …}}`` for users, and
``{"data": [{"code": "SUCCESS", "details": {"id": …}}]}`` for what it creates. It
checks Basic credentials, API keys and bearer tokens, can revoke tokens (answering
401 ``INVALID_TOKEN``), and has routes that misbehave: slow, HTML, huge, failing.
Every request it receives is kept for the tests to inspect.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx

USERNAME, PASSWORD, API_KEY = "pbx", "s3cret-Password!", "key-0123456789abcdef"
CLIENT_ID, CLIENT_SECRET = "client-abc", "client-secret-xyz-987"


@dataclass
class Received:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    at: float = field(default_factory=time.monotonic)


@dataclass
class CrmState:
    contacts: list[dict] = field(default_factory=list)
    leads: list[dict] = field(default_factory=list)
    users: list[dict] = field(default_factory=list)
    identities: dict[str, list[dict]] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    token_count: int = 0
    received: list[Received] = field(default_factory=list)
    created: list[dict] = field(default_factory=list)
    calls: list[dict] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    delay: float = 0.0  # seconds every search waits, for concurrency tests
    # What the next journal POSTs meet, one each, before the CRM takes them again:
    # "timeout" (no answer for calls_hang seconds, nothing recorded), "429" (with
    # Retry-After: 1), "503", "html" (a 200 maintenance page, nothing recorded).
    call_faults: list[str] = field(default_factory=list)
    calls_hang: float = 3.0
    calls_raw: list[bytes] = field(default_factory=list)
    calls_delay: float = 0.0  # seconds each journal takes to be recorded, for worker-kill drills
    calls_status: int = 0  # when set, every journal POST is refused with this status
    # (introspection URL, client id, client secret) of an authorization server whose
    # tokens this CRM also accepts, asked on every request (so a revocation counts at once).
    introspect: tuple[str, str, str] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def issue_token(self) -> str:
        with self.lock:
            self.token_count += 1
            token = f"tok-{self.token_count}-{secrets.token_hex(8)}"
            self.tokens.add(token)
            return token

    def revoke_all(self) -> None:
        with self.lock:
            self.tokens.clear()


def contact(n: int, phone: str, **extra: str) -> dict:
    return {"id": f"c{n}", "First_Name": f"First{n}", "Last_Name": f"Last{n}", "Email": f"c{n}@example.com",
            "Phone": phone, "Mobile": "", "Account_Name": {"name": "Acme"}, **extra}


class Handler(BaseHTTPRequestHandler):
    server: CrmServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and
    # the client's delayed ACK hold the body back 40 ms, as no real CRM's server does.
    disable_nagle_algorithm = True

    def log_message(self, *args: object) -> None:  # quiet
        return

    # -- helpers ----------------------------------------------------------------------

    def answer(self, status: int, payload: object = None, *, content_type: str = "application/json",
               raw: bytes | None = None, headers: dict[str, str] | None = None) -> None:
        body = raw if raw is not None else (b"" if payload is None else json.dumps(payload).encode())
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, val in (headers or {}).items():
            self.send_header(k, val)
        self.end_headers()
        self.wfile.write(body)

    def authorized(self, query: dict[str, list[str]]) -> bool:
        auth = self.headers.get("Authorization", "")
        state = self.server.state
        if auth.startswith("Basic "):
            return base64.b64decode(auth[6:]).decode() in (f"{USERNAME}:{PASSWORD}", API_KEY)
        if auth.startswith(("Bearer ", "Zoho-oauthtoken ")):
            token = auth.split(" ", 1)[1]
            if token in state.tokens:
                return True
            if state.introspect:
                url, client_id, secret = state.introspect
                answer = httpx.post(url, data={"token": token, "client_id": client_id, "client_secret": secret})
                return answer.status_code == 200 and answer.json().get("active") is True
            return False
        return query.get("api_key", [""])[0] == API_KEY

    # -- routes -----------------------------------------------------------------------

    def do_GET(self) -> None:
        self.route("GET")

    def do_POST(self) -> None:
        self.route("POST")

    def do_PUT(self) -> None:
        self.route("PUT")

    def route(self, method: str) -> None:
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        state = self.server.state
        with state.lock:
            state.received.append(Received(method, parts.path, query, dict(self.headers), body))
            state.in_flight += 1
            state.max_in_flight = max(state.max_in_flight, state.in_flight)
        try:
            self.dispatch(method, parts.path, query, body)
        finally:
            with state.lock:
                state.in_flight -= 1

    def dispatch(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> None:
        state = self.server.state
        if path == "/oauth/token" and method == "POST":
            form = parse_qs(body.decode()) | query
            if form.get("client_id", [""])[0] != CLIENT_ID or form.get("client_secret", [""])[0] != CLIENT_SECRET:
                return self.answer(401, {"error": "invalid_client"})
            return self.answer(200, {"access_token": state.issue_token(), "token_type": "Bearer", "expires_in": 3600})
        if path == "/html":
            return self.answer(500, raw=b"<html><body><h1>502 Bad Gateway</h1></body></html>", content_type="text/html")
        if path == "/ok-html":
            return self.answer(200, raw=b"<!doctype html><html><body>Login</body></html>", content_type="text/html")
        if path == "/slow":
            time.sleep(float(query.get("seconds", ["3"])[0]))
            return self.answer(200, {"data": []})
        if path == "/huge":
            chunk = b'{"data":[' + (b'{"id":"x","pad":"' + b"y" * 1000 + b'"},') * 20_000 + b'{"id":"z"}]}'
            return self.answer(200, raw=chunk)
        if path == "/busy":
            return self.answer(429, {"code": "TOO_MANY_REQUESTS"}, headers={"Retry-After": "7"})
        if path == "/redirect-away":
            return self.answer(302, None, headers={"Location": "http://localhost:9/steal"})
        if path == "/redirect-here":
            return self.answer(302, None, headers={"Location": "/crm/v2/org"})
        if not self.authorized(query):
            return self.answer(401, {"code": "INVALID_TOKEN", "message": "invalid oauth token"})
        if path == "/crm/v2/org":
            return self.answer(200, {"org": [{"id": "org-42", "domain_name": "acme"}]})
        if path.startswith("/crm/v2/") and path.endswith("/search"):
            time.sleep(state.delay)
            module = path.split("/")[3]
            phone = query.get("phone", [""])[0]
            rows = state.contacts if module == "Contacts" else state.leads
            found = [r for r in rows if phone and phone in (r.get("Phone"), r.get("Mobile"))]
            return self.answer(200, {"data": found, "info": {"count": len(found)}}) if found else self.answer(204)
        if path.startswith("/crm/v2/contacts/") and path.endswith("/identities"):
            cid = path.split("/")[4]
            return self.answer(200, {"identities": state.identities.get(cid, [])})
        if path == "/crm/v2/users" and method == "GET":
            page = int(query.get("page", ["1"])[0])
            per_page = int(query.get("per_page", ["200"])[0])
            chunk = state.users[(page - 1) * per_page: page * per_page]
            more = page * per_page < len(state.users)
            return self.answer(200, {"users": chunk, "info": {"page": page, "per_page": per_page, "more_records": more}})
        if path in ("/crm/v2/Contacts", "/crm/v2/Leads") and method == "POST":
            record = json.loads(body)["data"][0]
            record_id = f"new-{len(state.created) + 1}"
            state.created.append({"module": path.rsplit("/", 1)[1], "id": record_id, **record})
            return self.answer(201, {"data": [{"code": "SUCCESS", "details": {"id": record_id}}]})
        if path == "/crm/v2/Calls" and method == "POST":
            with state.lock:
                fault = state.call_faults.pop(0) if state.call_faults else ""
            if fault == "timeout":
                time.sleep(state.calls_hang)
                return self.answer(504, {"code": "TIMEOUT"})
            if fault == "429":
                return self.answer(429, {"code": "TOO_MANY_REQUESTS"}, headers={"Retry-After": "1"})
            if fault == "503":
                return self.answer(503, raw=b"Service Unavailable", content_type="text/plain")
            if fault == "html":
                return self.answer(200, raw=b"<!doctype html><html><body><h1>Down for maintenance</h1></body></html>",
                                   content_type="text/html")
            if state.calls_status:
                return self.answer(state.calls_status, {"code": "INVALID_DATA", "message": "Who_Id is invalid"})
            time.sleep(state.calls_delay)
            record = json.loads(body)["data"][0]
            with state.lock:
                state.calls.append(record)
                state.calls_raw.append(body)
            return self.answer(201, {"data": [{"code": "SUCCESS", "details": {"id": f"call-{len(state.calls)}"}}]})
        return self.answer(404, {"code": "INVALID_URL_PATTERN"})


class CrmServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.state = CrmState()
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request, client_address) -> None:
        # A client that hung up on purpose (a timeout test, a refused 20 MB answer) is not
        # an error of this server; anything else is still reported.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)

    def __enter__(self) -> CrmServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
