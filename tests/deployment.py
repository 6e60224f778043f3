"""A whole deployment for the call tests: the portal (uvicorn), Celery worker and beat
processes on Redis, and the local CRM, connected with ``connect_crm``.

The portal's database belongs to those processes; the tests set it up and read it
with ``manage.py shell`` (``Deployment.django``), and drive calls through the real
intake with the simulator, as a PBX would.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from pbxcrm.pbx import simulator
from tests.integrations.crm_server import CrmServer, contact
from tests.integrations.crm_templates import crm_template, settings_for
from tests.servers import REPO, free_port, portal_env

# The journal body of the tests' template carries every variable the spec defines
# beyond the ones the basic template sends.
JOURNAL_EXTRA = (
    ',"Recording":"{{.RecordPath}}","Play":"{{.EnableCallRecording}}","Owner":"{{.CrmId}}",'
    '"Log_Status":"{{.Call_Log_Status}}","Disposition":"{{.CallDisposition}}","Status":"{{.Call_Status}}",'
    '"Start":"{{.StartTimeUnix}}","End":"{{.EndTimeUnix}}","Number":"{{.ContactNumber}}",'
    '"From":"{{.Call_From}}","To":"{{.Call_To}}","Agent":"{{.ExtensionFirstName}} {{.ExtensionLastName}}",'
    '"Contact_Type":"{{.ContactSyncType}}","Talk":"{{.Talk_Duration}}"'
)
KNOWN = {"+14155550100": 1, "+14155550111": 2, "+14155550122": 3}
FAST_OUTBOX = {
    "JOURNAL_SETTLE_SECONDS": "0.3", "JOURNAL_RETRY_SECONDS": "0.3", "JOURNAL_RETRY_MAX_SECONDS": "1.5",
    "JOURNAL_VISIBILITY_SECONDS": "4", "JOURNAL_SWEEP_SECONDS": "1", "CRM_TIMEOUT_SECONDS": "1.5",
    "LOOKUP_STALE_SECONDS": "4", "PIPELINE_CONTEXT_SECONDS": "0.3",
}

SETUP = """
from integrations.models import Integration, Features, CrmUser, Association
from integrations.features import features_of, save_features
from pbxcrm.pbx.models import Extension, Phonebook
from django.utils import timezone
integration = Integration.objects.get(active=True)
people = [("1001", "Alice", "Agent", "alice@example.com"), ("1002", "Bob", "Brown", "bob@example.com"),
          ("1003", "Carol", "Cole", "carol@example.com"), ("1004", "Dan", "Dunn", "dan@example.com")]
for number, first, last, email in people:
    ext, _ = Extension.objects.update_or_create(number=number, defaults=dict(
        first_name=first, last_name=last, email=email, open_contact_url=True, popup_method="automatic",
        popup_trigger="ringing"))
    user, _ = CrmUser.objects.update_or_create(integration=integration, crm_id="crm-" + number,
        defaults=dict(first_name=first, last_name=last, email=email, synced_at=timezone.now()))
    Association.objects.update_or_create(integration=integration, extension=ext, defaults=dict(crm_user=user))
features = features_of(integration)
features.sync_contacts = True
features.journal = True
features.play_recording = True
features.create_contact = True
features.create_type = "Contacts"
features.create_method = "automatic"
features.create_on_inbound = True
features.create_on_outbound = False
features.always_query_crm = True
save_features(features, new_phonebook="CRM Contacts" if not Phonebook.objects.filter(name="CRM Contacts").exists() else "")
if features.phonebook is None:
    features.phonebook = Phonebook.objects.get(name="CRM Contacts")
    save_features(features)
from pbxcrm.pbx import intake
print(intake.event_token())
"""


@dataclass
class Deployment:
    portal: str
    crm: CrmServer
    data: Path
    env: dict[str, str]
    token: str = ""
    worker_threads: int = 4
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    # -- the portal's database ------------------------------------------------------------

    def django(self, code: str, timeout: float = 60) -> str:
        """Run Python in the portal's Django (manage.py shell); what it printed."""
        done = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=REPO, env=self.env,
                              capture_output=True, text=True, timeout=timeout)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def query(self, expression: str):
        """The JSON value of a Python expression evaluated in the portal's Django."""
        out = self.django(f"import json\nfrom integrations.models import *\nfrom pbxcrm.pbx.models import *\n"
                          f"print(json.dumps({expression}, default=str))")
        return json.loads(out.strip().splitlines()[-1])

    # -- processes ---------------------------------------------------------------------------

    def start(self, name: str) -> subprocess.Popen:
        if name == "web":
            return self._start_web()
        args = {
            "worker": ["worker", "--pool", "threads", "--concurrency", str(self.worker_threads), "--without-heartbeat",
                       "--without-mingle", "--without-gossip", "--loglevel", "WARNING"],
            "beat": ["beat", "--loglevel", "WARNING", "--schedule", str(self.data / f"beat-{uuid.uuid4().hex}")],
        }[name]
        log = (self.data / f"{name}.log").open("a")
        process = subprocess.Popen([sys.executable, "-m", "celery", "-A", "pbxcrm", *args], cwd=REPO, env=self.env,
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = process
        return process

    def _start_web(self) -> subprocess.Popen:
        port = self.portal.rsplit(":", 1)[1]
        log = (self.data / "web.log").open("a")
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "pbxcrm.asgi:application", "--host", "127.0.0.1", "--port", port,
             "--lifespan", "off", "--no-access-log", "--timeout-graceful-shutdown", "1",
             "--timeout-keep-alive", "75"],
            cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.processes["web"] = process

        def answers() -> bool:
            assert process.poll() is None, (self.data / "web.log").read_text()[-3000:]
            try:
                return httpx.get(f"{self.portal}/accounts/login/", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(answers, "the portal answering")
        return process

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)

    # -- calls ----------------------------------------------------------------------------------

    def simulate(self, count: int = 1, *, kinds: tuple[str, ...], rate: float = 20.0, pace: float = 0.15,
                 seed: int | None = None, callers: list[str] | None = None, recorded: float = 0.0,
                 extensions: list[str] | None = None) -> list[simulator.SimulatedCall]:
        calls = simulator.plan(count, seed=seed if seed is not None else time.monotonic_ns(), kinds=kinds,
                               extensions=extensions or ["1001", "1002", "1003"],
                               callers=callers if callers is not None else list(KNOWN), pace=pace,
                               recorded=recorded)
        simulator.write_recordings(calls, self.data / "recordings")
        # A thread of its own: the caller may be inside an event loop (Playwright's).
        with ThreadPoolExecutor(1) as thread:
            report = thread.submit(asyncio.run, simulator.post(calls, f"{self.portal}/pbx/events", self.token,
                                                               rate=rate)).result()
        assert not report.refused, report.refused
        return calls

    def post_event(self, event: dict | str, token: str | None = None) -> httpx.Response:
        body = event if isinstance(event, str) else json.dumps(event)
        return httpx.post(f"{self.portal}/pbx/events", content=body, timeout=10,
                          headers={"Authorization": f"Bearer {token if token is not None else self.token}"})

    def journals_for(self, call_ids: list[str]) -> list[dict]:
        """The journals the CRM received for these calls (by the Call_Id the test template sends)."""
        return [c for c in self.crm.state.calls if c.get("Call_Id") in call_ids]


def wait_until(check: Callable[[], object], what: str, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds:.0f} s")
        time.sleep(0.05)


@contextmanager
def deployment(tmp_path: Path, redis_url: str, *, beat: bool = True, worker_threads: int = 4,
               **extra_env: str) -> Iterator[Deployment]:
    data = tmp_path / "data"
    port = free_port()
    env_extra = {
        "REDIS_URL": redis_url, "PBXCRM_QUEUE": f"pbxcrm-test-{uuid.uuid4().hex}",
        "PBXCRM_PUBLIC_URL": f"http://127.0.0.1:{port}", "RECORDINGS_DIR": str(data / "recordings"),
        **FAST_OUTBOX, **extra_env,
    }
    data.mkdir(parents=True, exist_ok=True)
    env = portal_env(data, **env_extra)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=REPO)
    subprocess.run([*manage, "create_first_admin"], env=env, check=True, cwd=REPO, capture_output=True)
    with CrmServer() as crm:
        crm.state.contacts = [contact(n, number) for number, n in KNOWN.items()]
        template_file = tmp_path / "crm.xml"
        template_file.write_text(crm_template("basic", journal_extra=',"Call_Id":"{{.CallId}}"' + JOURNAL_EXTRA))
        sets = [f"--set={k}={v}" for k, v in settings_for("basic", crm.url).items()]
        subprocess.run([*manage, "connect_crm", str(template_file), *sets],
                       cwd=REPO, env=env, check=True, capture_output=True)
        found = Deployment(f"http://127.0.0.1:{port}", crm, data, env, worker_threads=worker_threads)
        found.token = found.django(SETUP).strip().splitlines()[-1]
        found.start("web")
        found.start("worker")
        if beat:
            found.start("beat")
        try:
            yield found
        finally:
            found.stop_all()
