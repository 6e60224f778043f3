"""Sync CRM users from the page: a real portal process, a real Celery worker, Redis, the local CRM."""

from __future__ import annotations

import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.integrations.crm_server import CrmServer
from tests.integrations.crm_templates import crm_template, settings_for
from tests.servers import ADMIN_PASSWORD, REPO, csrf, portal_env, portal_server, signed_in


@dataclass
class Deployment:
    portal: str  # the portal's URL
    crm: CrmServer


@pytest.fixture
def deployment(tmp_path, redis_url) -> Iterator[Deployment]:
    """The portal and a worker on one data folder and a Redis database of their own,
    connected to the local CRM with `connect_crm`."""
    data = tmp_path / "data"
    # A queue of its own: tests running at once must not take each other's tasks.
    env_extra = {"REDIS_URL": redis_url, "PBXCRM_QUEUE": f"pbxcrm-test-{uuid.uuid4().hex}"}
    with CrmServer() as crm, portal_server(data, **env_extra) as portal:
        template_file = tmp_path / "crm.xml"
        template_file.write_text(crm_template("basic"))
        env = portal_env(data, **env_extra)
        sets = [f"--set={k}={v}" for k, v in settings_for("basic", crm.url).items()]
        subprocess.run([sys.executable, "manage.py", "connect_crm", str(template_file), *sets],
                       cwd=REPO, env=env, check=True, capture_output=True)
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "pbxcrm", "worker", "--pool", "solo", "--without-heartbeat",
             "--without-mingle", "--without-gossip", "--loglevel", "WARNING"],
            cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            yield Deployment(portal, crm)
        finally:
            worker.terminate()
            worker.wait(timeout=15)


def crm_users(count: int) -> list[dict]:
    return [{"id": f"u{n}", "first_name": "A", "last_name": f"B{n}", "email": f"{n}@x.com"} for n in range(count)]


def test_syncing_5000_users_from_the_page_runs_in_a_worker(deployment):
    deployment.crm.state.users = crm_users(5000)
    admin = signed_in(deployment.portal)
    pk = re.search(r'href="/integrations/crm/(\d+)/"', admin.get("/integrations/crm/").text).group(1)
    admin.post(f"/integrations/crm/{pk}/users/sync/", data=csrf(admin))
    deadline = time.monotonic() + 90
    state = progress = ""
    while time.monotonic() < deadline:
        progress = admin.get(f"/integrations/crm/{pk}/users/progress/").text
        state = re.search(r'data-state="(\w+)"', progress).group(1)
        if state in ("done", "failed"):
            break
        time.sleep(0.3)
    assert state == "done", progress
    assert "5000 CRM users synced" in progress
    assert admin.get(f"/integrations/crm/{pk}/").text.count("data-crm-user=") == 5000


@pytest.mark.browser
def test_syncing_users_in_the_browser_shows_the_progress_then_the_users(deployment, browser):
    deployment.crm.state.users = crm_users(1200)
    context = browser.new_context(base_url=deployment.portal)
    context.set_default_timeout(30_000)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill(ADMIN_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Local CRM").click()
        page.get_by_role("button", name="Sync CRM users").click()
        expect(page.locator("#users-progress")).to_contain_text("1200 CRM users synced")
        page.get_by_role("link", name="Show them").click()
        expect(page.locator("[data-crm-user]")).to_have_count(1200)
    finally:
        context.close()
