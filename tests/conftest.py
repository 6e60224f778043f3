"""Fixtures shared by the whole suite: users, a real Chromium, a real Redis, real templates."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.shared import CONFORMANCE, REALWORLD, SHARED  # noqa: F401  (SHARED: for tests that import it)

# Playwright's sync API runs an event loop in the test thread; Django would then
# refuse database access from that thread. The tests never run Django code inside
# that loop, so the check only gets in the way.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[1]
ADMIN_PASSWORD = "correct-horse-battery-staple"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(autouse=True)
def _forget_phonebook_marks() -> None:
    # The process remembers the phonebook entries it marked synced lately
    # (pbxcrm/pbx/directory.py); each test's database starts afresh, and so must that.
    import sys

    directory = sys.modules.get("pbxcrm.pbx.directory")
    if directory is not None:
        directory.forget_marks()




def pytest_sessionstart(session: pytest.Session) -> None:
    for folder in (REALWORLD, CONFORMANCE):
        if not folder.is_dir():
            raise pytest.UsageError(
                f"{folder} is missing: the suite reads the team's shared folder beside the repository "
                f"({SHARED}); put it there (CI lays it out that way) and run again."
            )


# Users and clients -----------------------------------------------------------------


@pytest.fixture
def admin_user(db, django_user_model):
    """A superuser "admin" whose password is conftest.ADMIN_PASSWORD."""
    return django_user_model.objects.create_superuser("admin", "admin@example.com", ADMIN_PASSWORD)


@pytest.fixture
def client_logged_in(client, admin_user):
    client.force_login(admin_user)
    return client


# Real-world templates ----------------------------------------------------------------


@pytest.fixture(scope="session")
def realworld_dir() -> Path:
    return REALWORLD


@pytest.fixture(scope="session")
def realworld_template_path() -> Path:
    """A valid template exported from a real PBX setup (OAuth2, helpdesk)."""
    return REALWORLD / "helpdesk-oauth2-zendesk-style.xml"


@pytest.fixture(scope="session")
def malformed_template_path() -> Path:
    """The same kind of template with an unescaped & in a URL (an XML error on line 10)."""
    return REALWORLD / "helpdesk-oauth2-unescaped-MALFORMED.xml"


# Browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, transactional_db, admin_user):
    """A fresh browser context signed in as admin_user against live_server.

    The session cookie is made by Django's test client rather than by filling the
    sign-in form, which the sign-in tests cover once.
    """
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(admin_user)
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(10_000)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def download_selected(page) -> Callable[..., Path]:
    """Tick templates by name on Template Management, press Download, return the file."""

    def download(*names: str) -> Path:
        page.goto("/integrations/crm/templates/")
        for name in names:
            page.get_by_label(f"Select {name}").check()
        with page.expect_download() as info:
            page.get_by_role("button", name="Download").click()
        return Path(info.value.path())

    return download


# Redis -------------------------------------------------------------------------------


def _redis_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A real Redis: the one on 127.0.0.1:6379 if it answers, else a private redis-server."""
    if _redis_answers("127.0.0.1", 6379):
        yield "redis://127.0.0.1:6379/0"
        return
    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed (bin/install-system-deps installs it)"
    port = _free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not _redis_answers("127.0.0.1", port):
            assert process.poll() is None, "redis-server exited at start"
            assert time.monotonic() < deadline, "redis-server did not answer within 10 s"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def template_xml(realworld_template_path):
    """Make a valid template text: the real-world one with another Key/Name/Version.

    ``template_xml("acme")`` gives Key="acme", Name="Acme CRM"; the real file's
    Information line is replaced, everything else is kept byte for byte.
    """
    original = realworld_template_path.read_text()

    def make(
        key: str = "lovable_helpdesk",
        name: str | None = None,
        version: str = "1.0.0",
        remark: str = "Lovable Helpdesk Integration",
    ) -> str:
        name = name if name is not None else f"{key.replace('_', ' ').title()} CRM"
        text = original.replace('Name="Lovable Helpdesk"', f'Name="{name}"', 1)
        text = text.replace('Key="lovable_helpdesk"', f'Key="{key}"', 1)
        text = text.replace('Remark="Lovable Helpdesk Integration"', f'Remark="{remark}"', 1)
        return text.replace('Version="1.0.0"', f'Version="{version}"', 1)

    return make


@pytest.fixture(scope="session")
def png_logo() -> bytes:
    """A real 150×150 PNG, as the guide suggests for logos."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (150, 150), "#1664d9").save(buffer, "PNG")
    return buffer.getvalue()


def png_declaring(width: int, height: int, payload_kb: int = 300_000) -> bytes:
    """A PNG whose header declares width × height pixels over a compressed run of zeros:
    a decompression bomb, small on disk and gigabytes once decoded."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    zeros = zlib.compress(b"\0" * (payload_kb * 1000), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zeros) + chunk(b"IEND", b"")


@pytest.fixture(scope="session")
def png_bomb() -> bytes:
    """A 388 KB-class PNG declaring 20,000 × 20,000 pixels."""
    return png_declaring(20_000, 20_000)


# PostgreSQL ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A PostgreSQL superuser URL: the server on 127.0.0.1:5432, or a private cluster."""
    from tests.servers import postgres_server

    with postgres_server() as url:
        yield url
