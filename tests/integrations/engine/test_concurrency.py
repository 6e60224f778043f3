"""MaxConcurrentRequest is never exceeded: 3 worker processes, 50 concurrent lookups, one Redis."""

from __future__ import annotations

import contextlib
import multiprocessing
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis

from integrations.engine import Engine
from integrations.engine.concurrency import LeaseSemaphore, RedisSemaphore, urgent
from tests.integrations.crm_server import CrmServer, contact
from tests.integrations.crm_templates import crm_template, loaded, settings_for

LIMIT = 4  # the local CRM template's MaxConcurrentRequest
LOOKUPS = 50
PROCESSES = 3


def worker(crm_url: str, redis_url: str | None, key: str, count: int, results) -> None:
    """One worker process: ``count`` lookups at once, through the shared semaphore (or none)."""
    template = loaded(crm_template("basic"))
    limiter = None
    if redis_url:
        limiter = RedisSemaphore(redis.Redis.from_url(redis_url), key, template.max_concurrent_requests)
    engine = Engine(template, settings=settings_for("basic", crm_url), limiter=limiter)
    with ThreadPoolExecutor(count) as pool:
        found = list(pool.map(lambda _: len(engine.lookup("+442071838750")), range(count)))
    results.put(sum(found))


def run_workers(crm: CrmServer, redis_url: str | None) -> int:
    key = f"pbxcrm:test:slots:{uuid.uuid4().hex}"
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    shares = [LOOKUPS // PROCESSES + (1 if i < LOOKUPS % PROCESSES else 0) for i in range(PROCESSES)]
    processes = [context.Process(target=worker, args=(crm.url, redis_url, key, n, results)) for n in shares]
    for p in processes:
        p.start()
    total = sum(results.get(timeout=120) for _ in processes)
    for p in processes:
        p.join(timeout=30)
    return total


@pytest.fixture
def slow_crm():
    with CrmServer() as server:
        server.state.contacts = [contact(3, "+442071838750")]
        server.state.delay = 0.05
        yield server


def test_three_processes_never_exceed_max_concurrent_request(slow_crm, redis_url):
    assert run_workers(slow_crm, redis_url) == LOOKUPS
    assert slow_crm.state.max_in_flight == LIMIT


def test_without_the_shared_semaphore_the_limit_would_be_exceeded(slow_crm):
    # The control: each process alone keeps its own limit, together they do not.
    assert run_workers(slow_crm, None) == LOOKUPS
    assert slow_crm.state.max_in_flight > LIMIT


def test_a_lease_of_a_killed_worker_expires(redis_url):
    client = redis.Redis.from_url(redis_url)
    key = f"pbxcrm:test:slots:{uuid.uuid4().hex}"
    semaphore = RedisSemaphore(client, key, 1, lease_seconds=0.2, wait_seconds=5)
    client.zadd(key, {"a-killed-worker": 0})  # a lease from long ago, never released
    with semaphore():
        assert client.zcard(key) == 1


def test_waiting_too_long_for_a_slot_is_retryable(redis_url):
    from integrations.engine import CrmUnavailable

    client = redis.Redis.from_url(redis_url)
    semaphore = RedisSemaphore(client, f"pbxcrm:test:slots:{uuid.uuid4().hex}", 1, wait_seconds=0.1)
    with semaphore(), pytest.raises(CrmUnavailable, match="request slots"), semaphore():
        pass


class CountingTakes(RedisSemaphore):
    takes = 0

    def try_take(self, token: str) -> bool:
        self.takes += 1
        return super().try_take(token)


@pytest.fixture
def counting(redis_url):
    client = redis.Redis.from_url(redis_url)
    key = f"pbxcrm:test:slots:{uuid.uuid4().hex}"
    return client, key, lambda **options: CountingTakes(client, key, 2, **options)


def test_the_next_request_of_a_process_uses_the_lease_it_just_gave_up(counting):
    client, key, make = counting
    semaphore = make()
    for _ in range(3):
        with semaphore():
            assert client.zcard(key) == 1
    assert semaphore.takes == 1


def _given_back(client, key, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while client.zcard(key) and time.monotonic() < deadline:
        time.sleep(0.02)
    return client.zcard(key) == 0


def test_a_lease_left_unused_goes_back_to_redis(counting):
    client, key, make = counting
    with make()():
        pass
    assert _given_back(client, key)


def test_a_lease_kept_after_the_last_went_back_goes_back_too(counting):
    client, key, make = counting
    semaphore = make()
    with semaphore():
        pass
    assert _given_back(client, key)
    with semaphore():
        pass
    assert _given_back(client, key)
    assert semaphore.takes == 2


def test_leases_kept_one_after_the_other_each_go_back(counting):
    client, key, make = counting
    semaphore = make()
    inside = threading.Barrier(2)

    def request() -> None:
        with semaphore():
            inside.wait(5)

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(5)
    with semaphore():  # takes one kept lease over and keeps it again, later than the other
        pass
    assert _given_back(client, key)


def test_a_lease_too_old_to_outlive_another_request_is_not_used_again(counting):
    client, key, make = counting
    semaphore = make(lease_seconds=0.2)  # used again while younger than 0.05 s
    with semaphore():
        pass
    time.sleep(0.1)
    with semaphore():
        assert client.zcard(key) == 1  # the old one given back, a new one taken
    assert semaphore.takes == 2


def _one_request_then_exit(redis_url: str, key: str) -> None:
    with RedisSemaphore(redis.Redis.from_url(redis_url), key, 2)():
        pass


def test_a_process_that_ends_gives_back_the_lease_it_kept(redis_url):
    client = redis.Redis.from_url(redis_url)
    key = f"pbxcrm:test:slots:{uuid.uuid4().hex}"
    process = multiprocessing.get_context("fork").Process(target=_one_request_then_exit, args=(redis_url, key))
    process.start()
    process.join(30)
    assert process.exitcode == 0
    assert client.zcard(key) == 0


def test_threads_of_one_process_never_hold_more_leases_than_the_limit(counting):
    client, key, make = counting
    semaphore = make()
    most = 0

    def request(_: int) -> None:
        nonlocal most
        with semaphore():
            most = max(most, client.zcard(key))
            time.sleep(0.005)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(request, range(40)))
    assert most == 2
    assert semaphore.takes == 2


class InProcess(LeaseSemaphore):
    """Leases nowhere: only the process's own gate limits."""

    def try_take(self, token: str) -> bool:
        return True

    def give_back(self, token: str) -> None:
        pass


def test_a_lookup_waiting_for_a_slot_goes_before_a_journal_that_waited_longer():
    semaphore = InProcess(1, wait_seconds=10)
    order: list[str] = []

    def request(name: str, is_urgent: bool) -> None:
        with urgent() if is_urgent else contextlib.nullcontext(), semaphore():
            order.append(name)

    with semaphore():
        journal = threading.Thread(target=request, args=("journal", False))
        journal.start()
        time.sleep(0.2)
        lookup = threading.Thread(target=request, args=("lookup", True))
        lookup.start()
        time.sleep(0.2)
        assert order == []
    journal.join(5)
    lookup.join(5)
    assert order == ["lookup", "journal"]

