"""A real Celery worker process runs the portal's tasks, over Redis and over the embedded broker."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery import Celery

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def start_worker(tmp_path):
    """Start `celery -A pbxcrm worker` with this environment; stopped after the test."""
    processes, logs = [], []

    def start(queue: str, **env: str) -> subprocess.Popen:
        clean = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
        clean.update(PBXCRM_DATA_DIR=str(tmp_path), **env)
        log = (tmp_path / f"worker-{queue}.log").open("wb")  # noqa: SIM115 - closed after the test
        logs.append(log)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "pbxcrm",
                "worker",
                "--pool",
                "solo",
                "--queues",
                queue,
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "--loglevel",
                "WARNING",
            ],
            cwd=REPO,
            env=clean,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    for log in logs:
        log.close()


def test_a_worker_answers_ping_over_redis(redis_url, start_worker):
    queue = f"test-{uuid.uuid4().hex}"
    start_worker(queue, REDIS_URL=redis_url)
    client = Celery(broker=redis_url, backend=redis_url)
    result = client.send_task("pbxcrm.pbx.tasks.ping", queue=queue)
    assert result.get(timeout=60) == "pong"


def test_a_worker_answers_ping_over_the_embedded_broker_without_redis(tmp_path, start_worker):
    queue = f"test-{uuid.uuid4().hex}"
    start_worker(queue)
    client = Celery(
        broker=f"sqla+sqlite:///{tmp_path / 'celery-broker.sqlite'}",
        backend=f"db+sqlite:///{tmp_path / 'celery-results.sqlite'}",
    )
    result = client.send_task("pbxcrm.pbx.tasks.ping", queue=queue)
    assert result.get(timeout=60) == "pong"
