"""MaxConcurrentRequest held across every worker process.

A template says how many requests the CRM may have in flight at once; several
Celery worker processes share that number. With Redis configured, a counting
semaphore lives in Redis: a sorted set of leases scored by the Redis server's own
clock (so workers' clocks do not matter), taken and checked in one Lua script. A
lease older than ``lease_seconds`` is taken to belong to a killed worker and is
dropped, so a SIGKILL mid-request cannot leak a slot for good.

Within one process, threads first queue at a gate of ``limit`` places: a thread giving
its slot back wakes the next at once (polling the shared semaphore alone made a
waiting thread sleep up to its pause after a slot came free), and a request marked
``urgent()`` (a caller's lookup, which an agent waits for) goes before the others
(journals, which nobody watches).

Taking and giving back a lease costs two round trips to Redis per request, which a
busy worker felt (about a millisecond a call). So a process keeps a lease it has just
used for KEEP_SECONDS, and the next request of any of its threads takes it over
without asking Redis; a lease kept longer than that unused goes back. A lease is
taken over only while young (a quarter of ``lease_seconds``), so no request can
outlive it; the leases a process keeps count against its own places, so the limit
holds as before.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import threading
import time
import uuid
from collections.abc import Iterator

from ..errors import CrmUnavailable

log = logging.getLogger(__name__)
# How long a process keeps a lease it is not using, for its next request.
KEEP_SECONDS = 0.2

_ACQUIRE = """
local now = redis.call('TIME')
local t = tonumber(now[1]) + tonumber(now[2]) / 1000000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', t - tonumber(ARGV[3]))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], t, ARGV[2])
  redis.call('EXPIRE', KEYS[1], math.ceil(tonumber(ARGV[3])) + 5)
  return 1
end
return 0
"""


_urgent: contextvars.ContextVar[bool] = contextvars.ContextVar("pbxcrm_urgent_request", default=False)


@contextlib.contextmanager
def urgent() -> Iterator[None]:
    """Requests made inside go first when threads of this process wait for a slot."""
    token = _urgent.set(True)
    try:
        yield
    finally:
        _urgent.reset(token)


class _Gate:
    """This process's places for one semaphore: woken on release, urgent ones first; and
    the leases it keeps between requests."""

    def __init__(self, limit: int) -> None:
        self.free = limit
        self.urgent_waiting = 0
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        # (token, taken at, given back at, the semaphore that gives it back to Redis)
        self.kept: list[tuple[str, float, float, LeaseSemaphore]] = []
        self.returner: threading.Thread | None = None

    def enter(self, urgent_request: bool, deadline: float) -> bool:
        with self.changed:
            self.urgent_waiting += urgent_request
            try:
                while self.free <= 0 or (self.urgent_waiting and not urgent_request):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        return False
                    self.changed.wait(remaining)
                self.free -= 1
                return True
            finally:
                self.urgent_waiting -= urgent_request

    def leave(self) -> None:
        with self.changed:
            self.free += 1
            self.changed.notify_all()

    def take_kept(self, max_age: float) -> tuple[str, float] | None:
        """A lease this process kept, young enough to be used again: (token, taken at)."""
        too_old = []
        try:
            with self.lock:
                now = time.monotonic()
                while self.kept:
                    token, taken, _, owner = self.kept.pop()
                    if now - taken < max_age:
                        return token, taken
                    too_old.append((token, owner))
                return None
        finally:
            _give_back(too_old)

    def keep(self, token: str, taken: float, owner: LeaseSemaphore) -> None:
        _return_at_exit()
        with self.lock:
            self.kept.append((token, taken, time.monotonic(), owner))
            # The returner sleeps until the oldest kept lease is due, and a lease kept
            # now is due after it: nothing to wake. Waking it on every request made a
            # thread switch per request, which a busy worker's threads paid for.
            if self.returner is None or not self.returner.is_alive():
                self.returner = threading.Thread(target=self._return_unused, name="lease-returner", daemon=True)
                self.returner.start()

    def return_all(self) -> None:
        with self.lock:
            leases, self.kept = [(token, owner) for token, _, _, owner in self.kept], []
        _give_back(leases)

    def _return_unused(self) -> None:
        while True:
            with self.lock:
                now = time.monotonic()
                unused = [(token, owner) for token, _, released, owner in self.kept if now - released >= KEEP_SECONDS]
                self.kept = [entry for entry in self.kept if now - entry[2] < KEEP_SECONDS]
                if not self.kept:
                    # Nothing left to watch: this thread ends, and the next lease kept
                    # starts another (under the lock, so none is kept unwatched).
                    self.returner = None
                due = min((released for _, _, released, _ in self.kept), default=now) + KEEP_SECONDS - now
            _give_back(unused)
            if self.returner is not threading.current_thread():
                return
            time.sleep(max(due, 0.001))


def _give_back(leases: list[tuple[str, LeaseSemaphore]]) -> None:
    for token, owner in leases:
        try:
            owner.give_back(token)
        except Exception:  # Redis away: the lease expires by itself after lease_seconds
            log.warning("could not give back a request slot; it expires by itself", exc_info=True)


_gates: dict[tuple[str, int], _Gate] = {}
_gates_lock = threading.Lock()


_exit_hooked = False


def _return_at_exit() -> None:
    """Give back the kept leases when this process exits: else a worker restarted would
    hold its slots from the others until they expire. Both hooks, because a process
    that multiprocessing forked ends without running atexit's."""
    global _exit_hooked
    if _exit_hooked:
        return
    _exit_hooked = True
    import atexit
    from multiprocessing import util

    atexit.register(_return_all)
    util.Finalize(None, _return_all, exitpriority=100)


def _return_all() -> None:
    for gate in list(_gates.values()):
        gate.return_all()


def _forget_gates() -> None:
    # A forked child shares neither the parent's places nor the leases it keeps (two
    # processes using one lease would break the limit).
    global _gates_lock, _exit_hooked
    _gates.clear()
    _gates_lock = threading.Lock()
    _exit_hooked = False  # the child's own hooks (multiprocessing's are per process)


os.register_at_fork(after_in_child=_forget_gates)


class LeaseSemaphore:
    """At most ``limit`` leases at once; a lease older than ``lease_seconds`` is dropped.

    Subclasses say where leases live (``try_take``, ``give_back``) and name them
    (``name``: the engines of one process sharing a name share its gate); the waiting,
    with a growing pause and a deadline that ends as a retryable error, is the same for
    all. Used as the Engine's limiter: ``with semaphore(): send()``.
    """

    name = ""
    # Whether a lease is kept for KEEP_SECONDS after a request (see the module's doc).
    keeps_leases = False

    def __init__(self, limit: int, *, lease_seconds: float = 120.0, wait_seconds: float = 60.0) -> None:
        self.limit = max(1, limit)
        self.lease_seconds = lease_seconds
        self.wait_seconds = wait_seconds

    def try_take(self, token: str) -> bool:
        raise NotImplementedError

    def give_back(self, token: str) -> None:
        raise NotImplementedError

    def _gate(self) -> _Gate:
        key = (self.name or f"semaphore-{id(self)}", self.limit)
        gate = _gates.get(key)
        if gate is None:
            with _gates_lock:
                gate = _gates.setdefault(key, _Gate(self.limit))
        return gate

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        token = uuid.uuid4().hex
        deadline = time.monotonic() + self.wait_seconds
        gate = self._gate()
        if not gate.enter(_urgent.get(), deadline):
            raise self._waited_too_long()
        try:
            kept = gate.take_kept(self.lease_seconds / 4) if self.keeps_leases else None
            if kept is None:
                taken = time.monotonic()
                pause = 0.002
                while not self.try_take(token):  # held by other processes
                    if time.monotonic() > deadline:
                        raise self._waited_too_long()
                    time.sleep(pause)
                    pause = min(pause * 2, 0.02)
            else:
                token, taken = kept
            try:
                yield
            finally:
                if self.keeps_leases:
                    gate.keep(token, taken, self)
                else:
                    self.give_back(token)
        finally:
            gate.leave()

    def _waited_too_long(self) -> CrmUnavailable:
        return CrmUnavailable(
            f"waited {self.wait_seconds:.0f} s for one of the {self.limit} request slots (MaxConcurrentRequest)")


class RedisSemaphore(LeaseSemaphore):
    """Leases in a Redis sorted set: across processes and machines."""

    keeps_leases = True

    def __init__(self, client, key: str, limit: int, **options: float) -> None:
        super().__init__(limit, **options)
        self.client = client
        self.key = self.name = key
        self._acquire = client.register_script(_ACQUIRE)

    def try_take(self, token: str) -> bool:
        return bool(self._acquire(keys=[self.key], args=[self.limit, token, self.lease_seconds]))

    def give_back(self, token: str) -> None:
        self.client.zrem(self.key, token)
