"""Real servers for the tests: PostgreSQL, and the portal itself as its own process.

The test suite talks to the same kinds of process a deployment runs. PostgreSQL is the
one on 127.0.0.1:5432 when it answers (a fresh database per use, dropped afterwards),
otherwise a private cluster started from Debian's binaries; the portal is started with
``manage.py`` in a process of its own, on its own data folder.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
ADMIN_PASSWORD = "correct-horse-battery-staple"
# The variables a portal process must not inherit from the test runner.
PROJECT_VARIABLES = ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "PBXCRM_DATA_DIR")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds:.0f} s")
        time.sleep(0.05)


# -- PostgreSQL ------------------------------------------------------------------------------


def _pg_answers(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=2):
            return True
    except psycopg.Error:
        return False


@contextmanager
def postgres_server() -> Iterator[str]:
    """A URL of a PostgreSQL superuser connection: the local server, or a private cluster."""
    local = "postgresql://postgres@127.0.0.1:5432/postgres"
    if os.environ.get("PBXCRM_TEST_OWN_POSTGRES") != "1" and _pg_answers(local):
        yield local
        return
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    assert binaries, "PostgreSQL is not installed (bin/install-system-deps installs it)"
    bindir = Path(binaries[-1]).parent
    home = Path(tempfile.mkdtemp(prefix="pbxcrm-pg-"))
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        shutil.chown(home, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    data = home / "data"
    subprocess.run(
        [*as_postgres, str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"],
        check=True, capture_output=True,
    )
    subprocess.run(
        [*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-w", "-l", str(home / "log"),
         "-o", f"-p {port} -k {home} -c listen_addresses=127.0.0.1", "start"],
        check=True, capture_output=True,
    )
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*as_postgres, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


@contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server for one test, dropped afterwards."""
    import psycopg

    name = f"pbxcrm_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield re.sub(r"/[^/]*$", f"/{name}", server_url)
    finally:
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- the portal as a process ----------------------------------------------------------------


def portal_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in PROJECT_VARIABLES}
    env.update(PBXCRM_DATA_DIR=str(data_dir), PBXCRM_ADMIN_PASSWORD=ADMIN_PASSWORD, **extra)
    return env


@contextmanager
def portal_server(data_dir: Path, port: int | None = None, **extra_env: str) -> Iterator[str]:
    """The portal migrated, with its first admin, served by its own process; yields its URL."""
    env = portal_env(data_dir, **extra_env)
    manage = [sys.executable, str(REPO / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True, cwd=REPO)
    subprocess.run([*manage, "create_first_admin"], env=env, check=True, cwd=REPO, capture_output=True)
    port = port or free_port()
    log = (data_dir / "server.log").open("w")
    # The production server, as the Procfile runs it.
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "pbxcrm.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--lifespan", "off", "--no-access-log", "--timeout-graceful-shutdown", "2",
         "--timeout-keep-alive", "75"],
        env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        assert process.poll() is None, (data_dir / "server.log").read_text()
        try:
            return httpx.get(f"{url}/accounts/login/", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_for(answers, "the portal answering")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def signed_in(url: str, username: str = "admin", password: str = ADMIN_PASSWORD) -> httpx.Client:
    """An HTTP client signed in to the portal at ``url``, as a browser would be."""
    client = httpx.Client(base_url=url, timeout=60, follow_redirects=False)
    client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": client.cookies["csrftoken"]},
        headers={"Referer": f"{url}/accounts/login/"},
    )
    assert response.status_code == 302, response.text[:500]
    return client


def csrf(client: httpx.Client) -> dict[str, str]:
    """The form field and header a POST of this client needs."""
    return {"csrfmiddlewaretoken": client.cookies["csrftoken"]}


# -- an OAuth2 authorization server ------------------------------------------------------------

OAUTH_SERVER = REPO / "tests" / "integrations" / "oauth_server"


@contextmanager
def oauth_provider(redirect_uri: str, client_id: str, client_secret: str) -> Iterator[str]:
    """oidc-provider (npm) on a free loopback port, with its login and consent pages; its URL."""
    assert (OAUTH_SERVER / "node_modules" / "oidc-provider").is_dir(), (
        f"oidc-provider is not installed: npm ci --prefix {OAUTH_SERVER} (bin/test does it)"
    )
    port = free_port()
    process = subprocess.Popen(
        ["node", "provider.mjs", str(port), redirect_uri, client_id, client_secret],
        cwd=OAUTH_SERVER, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert line.strip() == "ready", f"the authorization server did not start: {line!r}"
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
