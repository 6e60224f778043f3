"""The agent page in real Chromium, and its live stream under load: a real portal
(uvicorn), worker, Redis and the local CRM."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from playwright.sync_api import expect

from tests.deployment import deployment
from tests.servers import signed_in

AGENT_PASSWORD = "agent-pass-Qx81!"


@pytest.fixture(scope="module")
def live(tmp_path_factory, redis_url):
    with deployment(tmp_path_factory.mktemp("agent"), redis_url, beat=False) as found:
        found.django("from pbxcrm.pbx.models import Extension\nfrom pbxcrm.pbx.extensions import set_agent_password\n"
                     f"set_agent_password(Extension.objects.get(number='1001'), '{AGENT_PASSWORD}')")
        yield found


def popup_settings(live, number: str, method: str, trigger: str = "ringing") -> None:
    live.django(f"from pbxcrm.pbx.models import Extension\nExtension.objects.filter(number='{number}')"
                f".update(popup_method='{method}', popup_trigger='{trigger}')")
    time.sleep(0.4)  # the workers read extensions again after PIPELINE_CONTEXT_SECONDS (0.3 s here)


@pytest.fixture
def agent(live, browser):
    context = browser.new_context(base_url=live.portal)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.goto("/accounts/login/")
    tab.get_by_label("Username").fill("1001")
    tab.get_by_label("Password").fill(AGENT_PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    expect(tab).to_have_url(f"{live.portal}/agent/1001/")
    expect(tab.locator("[data-live-state]")).to_have_attribute("data-state", "live")
    yield tab
    context.close()


@pytest.mark.browser
def test_a_ringing_call_from_a_crm_contact_opens_the_contacts_page_in_a_new_tab(live, agent):
    popup_settings(live, "1001", "automatic", "ringing")
    with agent.context.expect_page(timeout=15_000) as opened:
        live.simulate(kinds=("inbound_answered",), callers=["+14155550100"], extensions=["1001"])
    assert opened.value.url == f"{live.crm.url}/crm/tab/Contacts/c1"
    card = agent.locator(".popup-card").first
    expect(card).to_contain_text("First1 Last1")
    expect(card).to_contain_text("+14155550100")


@pytest.mark.browser
def test_manually_shows_an_open_in_crm_button_and_opens_nothing(live, agent):
    popup_settings(live, "1001", "manual")
    pages_before = len(agent.context.pages)
    try:
        live.simulate(kinds=("inbound_answered",), callers=["+14155550111"], extensions=["1001"])
        button = agent.locator(".popup-card").filter(has_text="First2 Last2").get_by_role("link", name="Open in CRM")
        expect(button).to_have_attribute("href", f"{live.crm.url}/crm/tab/Contacts/c2")
        assert len(agent.context.pages) == pages_before
    finally:
        popup_settings(live, "1001", "automatic", "ringing")


@pytest.mark.browser
def test_after_a_server_restart_the_page_reconnects_and_the_next_call_still_pops(live, agent):
    live.kill("web", signal.SIGTERM)
    expect(agent.locator("[data-live-state]")).to_have_attribute("data-state", "reconnecting")
    live.start("web")
    expect(agent.locator("[data-live-state]")).to_have_attribute("data-state", "live")
    with agent.context.expect_page(timeout=15_000) as opened:
        live.simulate(kinds=("inbound_answered",), callers=["+14155550122"], extensions=["1001"])
    assert opened.value.url == f"{live.crm.url}/crm/tab/Contacts/c3"


@pytest.mark.browser
def test_a_reloaded_page_does_not_replay_old_popups(live, agent):
    popup_settings(live, "1001", "automatic", "ringing")
    with agent.context.expect_page(timeout=15_000):
        live.simulate(kinds=("inbound_answered",), callers=["+14155550100"], extensions=["1001"])
    pages = len(agent.context.pages)
    agent.reload()
    expect(agent.locator("[data-live-state]")).to_have_attribute("data-state", "live")
    agent.wait_for_timeout(1500)
    assert len(agent.context.pages) == pages


def test_an_agent_account_cannot_open_the_admin_pages_or_another_extensions_page(live):
    client = signed_in(live.portal, "1001", AGENT_PASSWORD)
    assert client.get("/integrations/crm/").headers["location"] == "/agent/"
    assert client.get("/agent/1002/").status_code == 404
    assert client.get("/agent/1001/").status_code == 200


def test_200_open_agent_pages_all_get_the_popup_and_the_portal_still_answers(live):
    admin = signed_in(live.portal)
    cookies = dict(admin.cookies)
    popup_settings(live, "1002", "automatic", "ringing")

    async def scenario() -> list[dict]:
        async with httpx.AsyncClient(base_url=live.portal, cookies=cookies, timeout=30,
                                     limits=httpx.Limits(max_connections=300)) as client:
            ready = 0
            got: list[dict] = []

            async def listen() -> None:
                nonlocal ready
                async with client.stream("GET", "/agent/1002/stream") as answer:
                    assert answer.status_code == 200
                    async for line in answer.aiter_lines():
                        if line == ": connected":
                            ready += 1
                        if line.startswith("data: "):
                            got.append(json.loads(line[6:]))
                            return

            streams = [asyncio.create_task(listen()) for _ in range(200)]
            deadline = time.monotonic() + 30
            while ready < 200:
                assert time.monotonic() < deadline, f"only {ready} streams opened"
                await asyncio.sleep(0.05)
            page = await client.get("/integrations/crm/calls/")
            assert page.status_code == 200 and "Calls &amp; Journal" in page.text
            await asyncio.to_thread(live.simulate, kinds=("inbound_answered",), callers=["+14155550100"],
                                    extensions=["1002"])
            await asyncio.wait_for(asyncio.gather(*streams), 30)
            return got

    with ThreadPoolExecutor(1) as thread:  # Playwright's loop may be running in this thread
        got = thread.submit(asyncio.run, scenario()).result()
    assert len(got) == 200
    assert {(m["kind"], m["number"]) for m in got} == {("open", "+14155550100")}
