"""The request engine: runs a template's requests against a CRM (docs/request-engine.md).

    engine = Engine(template, settings={"crm_url": "https://crm"})
    engine.connect()                          # the auth method, then GetGlobalInfo
    engine.lookup("+14155550100")             # contacts, each with its popup URL
    engine.users()                            # every CRM user, all pages
    engine.run("CallJournal", "CallJournal", variables)

One request is: render ``URLFormat``, the headers and the ``Data`` body with the
Go-template engine over one scope (custom fields, the auth method's values such as
AccessToken, GetGlobalInfo's outputs, the call's variables), send it (transport.py),
and read its Outputs with GJSON through the model's Output Path. Array paths give one
record per index; ``Outputs Next="X"`` runs the Common request X once per record and
fills its outputs in. Plain Python: no Django.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from templates_app import gotemplate
from templates_app.gjson import valid as valid_json
from templates_app.output_path import evaluate_output_path
from templates_app.xmlmodel import IntegrationTemplate, Request
from templates_app.xmlmodel import vocabulary as v

from ..auth import METHODS, AuthMethod, Credentials
from ..errors import BadAnswer, ConfigurationError, CrmError, CrmRefused, CrmUnavailable, TokenInvalid
from . import transport
from .jsonbody import escaped_scope, is_json_body
from .records import first_values, zip_records
from .redact import Redactor

# httpx logs every request's full URL at INFO, and a template may put an API key in a
# query string: the engine reports exchanges itself, redacted (Exchange), instead.
logging.getLogger("httpx").setLevel(logging.WARNING)

MAX_ANSWER_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
EXCERPT_CHARS = 300
TIMEOUT = httpx.Timeout(connect=5.0, read=20.0, write=20.0, pool=30.0)


@dataclass
class Exchange:
    """One request and its answer, redacted: what Test lookup and --verbose show."""

    request: str
    method: str
    url: str
    headers: list[tuple[str, str]]
    body: str
    status: int | None = None
    milliseconds: float = 0.0
    answer: str = ""
    error: str = ""

    def as_json(self) -> dict:
        """As ``dataclasses.asdict`` gives it, without its deep copy (a few per call)."""
        return {"request": self.request, "method": self.method, "url": self.url, "headers": list(self.headers),
                "body": self.body, "status": self.status, "milliseconds": self.milliseconds,
                "answer": self.answer, "error": self.error}


@dataclass
class Contact:
    """A contact found in the CRM: its mapped fields, its type and its popup URL."""

    fields: dict[str, str]
    contact_type: str
    popup_url: str = ""

    def as_json(self) -> dict[str, str]:
        return {**self.fields, "ContactSyncType": self.contact_type, "PopupURL": self.popup_url}


@dataclass
class Engine:
    template: IntegrationTemplate
    settings: Mapping[str, str] = field(default_factory=dict)
    credentials: Credentials | None = None
    client: httpx.Client | None = None
    timezone: str = "UTC"
    max_answer_bytes: int = MAX_ANSWER_BYTES
    timeout: httpx.Timeout = field(default_factory=lambda: TIMEOUT)
    observer: Callable[[Exchange], None] | None = None
    # A context manager around each request: the portal passes one that holds the
    # template's MaxConcurrentRequest across every worker process.
    limiter: Callable[[], contextlib.AbstractContextManager] | None = None
    clock: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        self.settings = dict(self.settings)
        scenario = self.template.auth_method_scenario
        if scenario is None:
            raise ConfigurationError("the template has no AuthMethod scenario")
        method = (scenario.auth_method or self.template.auth_type or "none").strip()
        if method not in METHODS:
            raise ConfigurationError(f'unknown authentication method "{method}"')
        self.auth: AuthMethod = METHODS[method](
            scenario, self.settings, self.credentials, self._send_raw, clock=self.clock
        )
        self.credentials = self.auth.credentials
        self.globals: dict[str, str] = {}
        self._own_client = self.client is None
        # http.client unless the caller brought an httpx client or a proxy is configured
        # (which httpx honours): transport.py says why.
        self.pool: transport.Pool | None = None
        if self.client is None and not transport.proxy_configured():
            self.pool = transport.Pool(connect_timeout=self.timeout.connect or TIMEOUT.connect,
                                       read_timeout=self.timeout.read or TIMEOUT.read)
        elif self.client is None:
            self.client = httpx.Client(timeout=self.timeout, follow_redirects=False)
        if self.limiter is None:
            semaphore = threading.BoundedSemaphore(self.template.max_concurrent_requests or 10)
            self.limiter = lambda: semaphore
        self.redactor = Redactor()
        self._refresh_secrets()

    # -- life cycle -----------------------------------------------------------------------

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
        if self._own_client and self.client is not None:
            self.client.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def connect(self, *, verify: bool = False) -> None:
        """Prepare the auth method (a token…), then read GetGlobalInfo.

        ``verify``: prove the settings work with one request even when the method
        obtains nothing (None, Basic) and there is no GetGlobalInfo: the first page of
        users, else a lookup that finds nobody.
        """
        self.auth.prepare()
        self._refresh_secrets()
        if self.template.scenario(v.GET_GLOBAL_INFO):
            self.load_globals()
        elif verify:
            self.probe()

    def probe(self) -> None:
        """One harmless request that needs working credentials."""
        users = self.template.scenario(v.USER_ASSOCIATION)
        request = (users.request(v.USER_ASSOCIATION) or (users.requests or [None])[0]) if users else None
        if request is not None:
            self.send(request, self.scope({"Page": "1", "PageIndex": "0", "Offset": "0", "PageSize": "1"}))
        elif self.contact_types():
            self.lookup("0", self.contact_types()[:1])

    def load_globals(self) -> dict[str, str]:
        """Run GetGlobalInfo's requests; their outputs join every later scope."""
        scenario = self.template.scenario(v.GET_GLOBAL_INFO)
        found: dict[str, str] = {}
        for request in scenario.requests if scenario else []:
            answer = self.send(request, self.scope())
            found.update(first_values(self._outputs(request, answer, self.scope())))
        self.globals = found
        return found

    # -- scopes -------------------------------------------------------------------------

    def scope(self, variables: Mapping[str, object] | None = None, *, with_globals: bool = True) -> dict[str, object]:
        """Custom fields, the auth method's values, GetGlobalInfo's outputs, then ``variables``."""
        scope: dict[str, object] = {**self.settings, **self.auth.scope_values()}
        if with_globals:
            scope.update(self.globals)
        if variables:
            scope.update(variables)
        return scope

    def render(self, text: str | None, scope: Mapping[str, object], name: str) -> str:
        if not text:
            return ""
        try:
            return gotemplate.render(text, scope, name=name, timezone=self.timezone, missingkey="empty")
        except gotemplate.TemplateError as err:
            raise ConfigurationError(f"cannot render: {err}", request=name) from None

    # -- one request ----------------------------------------------------------------------

    def send(self, request: Request, scope: Mapping[str, object]) -> str:
        """Send one request of the template; the answer's text. A TokenInvalid answer
        refreshes the token and tries once more."""
        try:
            return self._send_request(request, scope)
        except TokenInvalid:
            self.auth.refresh()
            self._refresh_secrets()
            return self._send_request(request, {**scope, **self.auth.scope_values()})

    def _send_request(self, request: Request, scope: Mapping[str, object]) -> str:
        name = request.name or "request"
        url = self.render(request.address, scope, name).strip()
        headers = self.headers(scope)
        body_param = request.body
        body = ""
        if body_param is not None and body_param.value:
            body_scope = escaped_scope(scope) if is_json_body(body_param.value) else scope
            body = self.render(body_param.value, body_scope, name)
        self.auth.authorize(headers)
        method = (request.method or "GET").upper()
        status, text = self._send_raw(method, url, headers, body, name)
        # A 2xx HTML page from a JSON API is a proxy's or a login's page, not an answer:
        # even a request that reads nothing (a journal) did not reach the CRM.
        if text.strip() and (request.outputs or text.lstrip()[:1] == "<") and not valid_json(text):
            raise BadAnswer("the answer is not JSON", request=name, status=status, excerpt=self._excerpt(text))
        return text

    def headers(self, scope: Mapping[str, object]) -> dict[str, str]:
        """The template's custom headers (PopulateTemplateString, Type Header), rendered."""
        headers: dict[str, str] = {}
        auth = self.template.auth_method_scenario
        for param in auth.headers if auth else []:
            if (param.type or "") == v.HEADER_TYPE and param.name:
                headers[param.name] = self.render(param.value, scope, f"header {param.name}").strip()
        return headers

    def _send_raw(self, method: str, url: str, headers: dict[str, str], body: str, name: str) -> tuple[int, str]:
        """Send, follow same-host redirects, cap the answer, classify the outcome."""
        if urlsplit(url).scheme not in ("http", "https"):
            raise ConfigurationError(f"not an http(s) address: {self.redactor.text(url)!r}", request=name)
        exchange = Exchange(name, method, self.redactor.text(url), self.redactor.headers(headers.items()),
                            self.redactor.text(body))
        started = time.perf_counter()
        try:
            with self.limiter():  # type: ignore[misc]
                status, text, retry_after = self._transfer(method, url, headers, body, name)
            exchange.status = status
            exchange.answer = self._excerpt(text, 4000)
            self._classify(status, text, retry_after, name)
            return status, text
        except CrmError as err:
            exchange.error = str(err)
            raise
        finally:
            exchange.milliseconds = (time.perf_counter() - started) * 1000
            if self.observer is not None:
                self.observer(exchange)

    def _transfer(self, method: str, url: str, headers: dict[str, str], body: str, name: str) -> tuple[int, str, float | None]:
        origin = urlsplit(url).netloc
        for _ in range(MAX_REDIRECTS + 1):
            status, answer_headers, data = self._exchange(method, url, headers, body, name)
            if status in REDIRECT_STATUSES and "location" in answer_headers:
                target = urljoin(url, answer_headers["location"])
                if urlsplit(target).netloc != origin:
                    raise CrmRefused(f"redirected to another host ({urlsplit(target).netloc}); not followed",
                                     request=name, status=status)
                url = target
                if status in (301, 302, 303):
                    method, body = ("GET", "") if method != "HEAD" else (method, body)
                continue
            text = data.decode(transport.charset(answer_headers.get("content-type")), errors="replace")
            return status, text, _retry_after(answer_headers.get("retry-after"))
        raise CrmRefused(f"more than {MAX_REDIRECTS} redirects", request=name)

    def _exchange(self, method: str, url: str, headers: dict[str, str], body: str, name: str):
        """One request, no redirect followed: (status, headers, the answer's bytes)."""
        content = body.encode() if body else None
        try:
            if self.pool is not None:
                answer = self.pool.request(method, url, headers, content, max_bytes=self.max_answer_bytes)
                return answer.status, answer.headers, answer.body
            return self._exchange_httpx(method, url, headers, content)
        except transport.AnswerTooLarge as err:
            raise BadAnswer(f"the answer is larger than {self.max_answer_bytes // (1024 * 1024)} MB; not read",
                            request=name, status=err.status) from None
        except transport.TransportError as err:
            if err.timed_out:
                raise CrmUnavailable(f"timed out ({err})", request=name) from None
            raise CrmUnavailable(f"could not connect: {self.redactor.text(str(err))}", request=name) from None
        except httpx.TimeoutException as err:
            raise CrmUnavailable(f"timed out ({type(err).__name__})", request=name) from None
        except httpx.TransportError as err:
            raise CrmUnavailable(f"could not connect: {self.redactor.text(str(err)) or type(err).__name__}",
                                 request=name) from None

    def _exchange_httpx(self, method: str, url: str, headers: dict[str, str], content: bytes | None):
        assert self.client is not None
        with self.client.stream(method, url, headers=headers, content=content) as answer:
            data = bytearray()
            for chunk in answer.iter_bytes():
                data += chunk
                if len(data) > self.max_answer_bytes:
                    raise transport.AnswerTooLarge(answer.status_code)
            return answer.status_code, answer.headers, bytes(data)

    def _classify(self, status: int, text: str, retry_after: float | None, name: str) -> None:
        if 200 <= status < 300:
            return
        excerpt = self._excerpt(text)
        marker = self.token_invalid_marker()
        if status != 200 and marker and marker in text:
            raise TokenInvalid("the CRM says the token is invalid", request=name, status=status, excerpt=excerpt)
        if status == 429 or status >= 500:
            raise CrmUnavailable("the CRM is busy or failing", request=name, status=status, excerpt=excerpt,
                                 retry_after=retry_after)
        raise CrmRefused("the CRM refused the request", request=name, status=status, excerpt=excerpt)

    def token_invalid_marker(self) -> str:
        auth = self.template.auth_method_scenario
        return (auth.token_invalid or "").strip() if auth else ""

    def _excerpt(self, text: str, limit: int = EXCERPT_CHARS) -> str:
        flat = " ".join(text.split())
        flat = flat[:limit] + ("…" if len(flat) > limit else "")
        return self.redactor.text(flat)

    def _refresh_secrets(self) -> None:
        auth = self.template.auth_method_scenario
        for param in auth.custom_fields if auth else []:
            if param.editor == "password" and param.name:
                self.redactor.add(self.settings.get(param.name, ""))
        for secret in self.auth.secrets():
            self.redactor.add(secret)

    # -- outputs and records ------------------------------------------------------------

    def _outputs(self, request: Request, answer: str, scope: Mapping[str, object]):
        return [
            (o.name, evaluate_output_path(o.path, answer, scope, timezone=self.timezone))
            for o in request.outputs
            if o.name and o.path and o.path.strip()
        ]

    def records(self, request: Request, scope: Mapping[str, object]) -> list[dict[str, str]]:
        """Send ``request``; its Outputs zipped into records, Next requests filled in."""
        answer = self.send(request, scope)
        found = zip_records(self._outputs(request, answer, scope))
        if request.next:
            common = self.template.scenario(v.COMMON)
            follow = common.request(request.next) if common else None
            if follow is None:
                raise ConfigurationError(f'Next="{request.next}" names no request of the Common scenario',
                                         request=request.name or "")
            for record in found:
                more_scope = {**scope, **record}
                more = first_values(self._outputs(follow, self.send(follow, more_scope), more_scope))
                record.update({k: val for k, val in more.items() if val})
        return found

    def run(self, scenario_id: str, request_name: str | None, variables: Mapping[str, object] | None = None) -> list[dict[str, str]]:
        """Run one request of a scenario (its first when no name is given)."""
        scenario = self.template.scenario(scenario_id)
        if scenario is None:
            raise ConfigurationError(f"the template has no {scenario_id} scenario")
        request = scenario.request(request_name) if request_name else (scenario.requests or [None])[0]
        if request is None:
            raise ConfigurationError(f"the {scenario_id} scenario has no request {request_name or ''}".strip())
        return self.records(request, self.scope(variables))

    # -- what the features need -----------------------------------------------------------

    def contact_types(self) -> list[str]:
        scenario = self.template.scenario(v.SYNC_CONTACT_AUTO)
        return [r.name for r in scenario.requests if r.name] if scenario else []

    def lookup(self, numbers: list[str] | str, types: list[str] | None = None,
               variables: Mapping[str, object] | None = None) -> list[Contact]:
        """Contacts for a number: each selected type in order, each number form in order;
        the first type and form that finds any wins (the guide: first match)."""
        scenario = self.template.scenario(v.SYNC_CONTACT_AUTO)
        if scenario is None:
            raise ConfigurationError("the template has no SyncContactAuto scenario")
        forms = [numbers] if isinstance(numbers, str) else list(numbers)
        wanted = types or self.contact_types()
        for type_name in wanted:
            request = scenario.request(type_name)
            if request is None:
                raise ConfigurationError(f'no contact type "{type_name}" in SyncContactAuto')
            for number in forms:
                scope = self.scope({**(variables or {}), **number_variables(number), "ContactSyncType": type_name})
                found = [r for r in self.records(request, scope) if r.get("ContactsId") or r.get("FirstName")]
                if found:
                    return [Contact(r, type_name, self.popup_url(r, type_name, scope)) for r in found]
        return []

    def popup_url(self, record: Mapping[str, str], type_name: str, scope: Mapping[str, object]) -> str:
        """The contact's page: URLFormat rendered, or read from the ContactFieldForUri path."""
        scenario = self.template.scenario(v.SYNC_CONTACT_AUTO)
        if scenario is None:
            return ""
        variables = {**scope, **record, "ContactSyncType": type_name, "ContactId": record.get("ContactsId", "")}
        if (scenario.value("ContactUrlType") or "") == "retrieve_from_contact":
            return record.get("ContactUrl", "") or record.get(scenario.value("ContactFieldForUri") or "", "")
        return self.render(scenario.value("URLFormat"), variables, "URLFormat").strip()

    def users(self, page_size_hint: int | None = None, max_pages: int = 10_000) -> Iterator[dict[str, str]]:
        """Every CRM user of the UserAssociation scenario, following pages.

        Templates that page write ``{{.Page}}`` (from 1), ``{{.PageIndex}}`` (from 0) or
        ``{{.Offset}}`` in their URL; ``{{.PageSize}}`` is offered too (the first page's
        size once known). Paging stops at an empty page, a page shorter than the first,
        or a page that brings no new user (a template that ignores the page variables).
        """
        scenario = self.template.scenario(v.USER_ASSOCIATION)
        if scenario is None:
            raise ConfigurationError("the template has no UserAssociation scenario")
        request = scenario.request(v.USER_ASSOCIATION) or (scenario.requests or [None])[0]
        if request is None:
            raise ConfigurationError("the UserAssociation scenario has no request")
        pages = any(word in (request.address or "") for word in (".Page", ".Offset"))
        seen: set[str] = set()
        first_size = page_size_hint
        offset = 0
        for index in range(max_pages if pages else 1):
            page_vars = {"Page": str(index + 1), "PageIndex": str(index), "Offset": str(offset),
                         "PageSize": str(first_size or 100)}
            batch = self.records(request, self.scope(page_vars))
            fresh = [u for u in batch if (u.get("UserUniqueId") or repr(sorted(u.items()))) not in seen]
            for user in fresh:
                seen.add(user.get("UserUniqueId") or repr(sorted(user.items())))
                yield user
            if not fresh:
                return
            if first_size is None:
                first_size = len(batch)
            elif len(batch) < first_size:
                return
            offset += len(batch)


def number_variables(number: str) -> dict[str, str]:
    """The names templates use for the number being looked up (the spec's Phone, the
    real templates' CallerNumber, the search scenario's SearchValue)."""
    return {"Phone": number, "CallerNumber": number, "ContactNumber": number, "SearchValue": number}


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    with contextlib.suppress(TypeError, ValueError, IndexError, OverflowError):
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    return None
