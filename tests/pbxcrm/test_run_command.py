"""The README's Run command starts web, worker and beat, and TERM stops every one of them."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from tests.servers import free_port, portal_env, wait_for

REPO = Path(__file__).resolve().parents[2]


def run_command() -> str:
    """The one command in the README's ## Run section."""
    section = (REPO / "README.md").read_text().split("## Run", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```\n(.*?)\n```", section, flags=re.S)
    assert len(blocks) == 1
    return blocks[0].strip()


def process_table() -> dict[int, tuple[int, str, str]]:
    """pid -> (parent pid, state, command) of every process on the machine."""
    ps = subprocess.run(["ps", "-ww", "-eo", "pid=,ppid=,stat=,args="], capture_output=True, text=True, check=True)
    table = {}
    for line in ps.stdout.splitlines():
        pid, ppid, stat, args = line.split(None, 3)
        table[int(pid)] = (int(ppid), stat, args)
    return table


def descendants(root: int) -> dict[int, str]:
    """The live processes started by ``root``, at any depth (honcho gives each its own session)."""
    table = process_table()
    found, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, (ppid, stat, args) in table.items():
            if ppid == parent and pid not in found and not stat.startswith("Z"):
                found[pid] = args
                frontier.append(pid)
    return found


def still_alive(pids) -> list[str]:
    table = process_table()
    return [f"{pid} {table[pid][2]}" for pid in pids if pid in table and not table[pid][1].startswith("Z")]


@pytest.fixture
def running_portal(tmp_path):
    port = free_port()
    log = tmp_path / "run.log"
    env = portal_env(tmp_path / "data", PORT=str(port))
    with log.open("w") as out:
        # The command itself, not a shell around it: its pid is the one a user's TERM reaches.
        process = subprocess.Popen(
            shlex.split(run_command()), cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        def ready() -> bool:
            assert process.poll() is None, log.read_text()
            text = log.read_text()
            if "ready." not in text or "beat: Starting" not in text:
                return False
            try:
                return httpx.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        wait_for(ready, "web, worker and beat starting", seconds=120)
        started = {process.pid: "bin/run", **descendants(process.pid)}
        yield process, log, started
    finally:
        # Whatever the test found, leave nothing behind.
        for line in still_alive(started if "started" in locals() else [process.pid]):
            os.kill(int(line.split()[0]), signal.SIGKILL)


def test_the_run_command_starts_a_web_server_a_worker_and_beat(running_portal):
    _, _, started = running_portal
    commands = "\n".join(started.values())
    assert "uvicorn pbxcrm.asgi:application" in commands
    assert "celery -A pbxcrm worker" in commands and "celery -A pbxcrm beat" in commands


def test_term_stops_every_process_within_5_seconds(running_portal):
    process, log, started = running_portal
    assert len(started) >= 5  # honcho, web, worker and its pool, beat
    deadline = time.monotonic() + 5
    process.send_signal(signal.SIGTERM)
    while still_alive(started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert still_alive(started) == [], log.read_text()[-2000:]
