"""python -m integrations.run, as a subprocess against the local CRM: each action, each exit code."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integrations.crm_server import API_KEY, CLIENT_SECRET, PASSWORD, CrmServer, contact
from tests.integrations.crm_templates import crm_template, settings_for
from tests.shared import REPO

CALL = {"type": 30012, "sn": "3631A2124XXX", "msg": json.dumps({
    "call_id": "1700000000.101", "time_start": "2024-03-05 14:07:09", "call_from": "+442071838750",
    "call_to": "1001", "call_duration": 72, "talk_duration": 62, "status": "ANSWERED", "type": "Inbound",
    "recording": "",
})}


@pytest.fixture
def crm() -> Iterator[CrmServer]:
    with CrmServer() as server:
        server.state.contacts = [contact(1, "+14155550100"), contact(3, "+442071838750")]
        server.state.users = [{"id": f"u{n}", "first_name": "A", "last_name": "B", "email": f"{n}@x"} for n in range(250)]
        yield server


def cli(tmp_path: Path, crm: CrmServer, *args: str, auth: str = "basic", settings: dict | None = None):
    template = tmp_path / f"{auth}.xml"
    template.write_text(crm_template(auth))
    values = settings if settings is not None else settings_for(auth, crm.url)
    sets = [f"--set={k}={val}" for k, val in values.items()]
    return subprocess.run(
        [sys.executable, "-m", "integrations.run", str(template), *args, *sets],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_users_prints_every_user_of_every_page(tmp_path, crm):
    done = cli(tmp_path, crm, "users")
    assert done.returncode == 0 and len(lines(done.stdout)) == 250


def test_lookup_prints_each_contact_with_its_popup_url(tmp_path, crm):
    done = cli(tmp_path, crm, "lookup", "+442071838750")
    assert done.returncode == 0
    assert lines(done.stdout) == [{
        "ContactsId": "c3", "FirstName": "First3", "LastName": "Last3", "Email": "c3@example.com",
        "BusinessNumber": "+442071838750", "MobileNumber": "", "Company": "Acme",
        "ContactSyncType": "Contacts", "PopupURL": f"{crm.url}/crm/tab/Contacts/c3",
    }]


def test_lookup_of_an_unknown_number_exits_1(tmp_path, crm):
    done = cli(tmp_path, crm, "lookup", "+15550000000")
    assert (done.returncode, done.stdout) == (1, "")


def test_create_posts_the_contact_and_prints_it(tmp_path, crm):
    done = cli(tmp_path, crm, "create", "+4930999", "--set=FirstName=Ann", "--set=LastName=Lee")
    assert done.returncode == 0 and lines(done.stdout)[0]["ContactsId"] == "new-1"
    assert crm.state.created[0]["Phone"] == "+4930999" and crm.state.created[0]["First_Name"] == "Ann"


def test_journal_sends_one_journal_with_the_guides_subject_and_description(tmp_path, crm):
    call = tmp_path / "call.json"
    call.write_text(json.dumps(CALL))
    done = cli(tmp_path, crm, "journal", str(call))
    assert done.returncode == 0, done.stderr
    assert crm.state.calls == [{
        "Subject": "Extension Call",
        "Description": "2024-03-05 14:07:09 Inbound Completed - from First3 Last3<+442071838750> to 1001 00:01:02",
        "Call_Type": "Inbound", "Call_Duration_in_seconds": 62, "Who_Id": "c3", "Caller": "First3 Last3",
    }]


def test_bearer_fetches_its_own_token(tmp_path, crm):
    done = cli(tmp_path, crm, "lookup", "+442071838750", auth="bearertoken")
    assert done.returncode == 0 and crm.state.token_count == 1


def test_oauth2_takes_an_access_token(tmp_path, crm):
    token = crm.state.issue_token()
    done = cli(tmp_path, crm, "lookup", "+442071838750", "--set", f"AccessToken={token}", auth="oauth2")
    assert done.returncode == 0


def test_a_crm_refusal_exits_2_with_one_clear_line(tmp_path, crm):
    done = cli(tmp_path, crm, "lookup", "+1", settings={**settings_for("basic", crm.url), "password": "wrong"})
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == ["error: request 'Contacts': HTTP 401: the CRM says the token is invalid — "
                                                 '{"code": "INVALID_TOKEN", "message": "invalid oauth token"}']


def test_an_unreachable_crm_exits_2(tmp_path, crm):
    done = cli(tmp_path, crm, "lookup", "+1", settings=settings_for("basic", "http://127.0.0.1:9"))
    assert done.returncode == 2 and done.stderr.startswith("error: request 'Contacts': could not connect")


def test_an_invalid_template_exits_2_with_its_line(tmp_path, crm):
    broken = tmp_path / "broken.xml"
    broken.write_text("<Information>\n<Scenarios></Information>")
    done = subprocess.run([sys.executable, "-m", "integrations.run", str(broken), "users"],
                          cwd=REPO, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "line 2" in done.stderr


def test_verbose_prints_requests_and_answers_with_secrets_masked(tmp_path, crm):
    for auth in ("basic", "none", "bearertoken"):
        done = cli(tmp_path, crm, "lookup", "+442071838750", "--verbose", auth=auth)
        assert "→ GET" in done.stderr and "← 200" in done.stderr
        for secret in (PASSWORD, API_KEY, CLIENT_SECRET, *crm.state.tokens):
            assert secret not in done.stderr + done.stdout
