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
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import time
import uuid
from collections.abc import Iterator

from ..errors import CrmUnavailable

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
    """This process's places for one semaphore: woken on release, urgent ones first."""

    def __init__(self, limit: int) -> None:
        self.free = limit
        self.urgent_waiting = 0
        self.changed = threading.Condition()

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


_gates: dict[tuple[str, int], _Gate] = {}
_gates_lock = threading.Lock()


class LeaseSemaphore:
    """At most ``limit`` leases at once; a lease older than ``lease_seconds`` is dropped.

    Subclasses say where leases live (``try_take``, ``give_back``) and name them
    (``name``: the engines of one process sharing a name share its gate); the waiting,
    with a growing pause and a deadline that ends as a retryable error, is the same for
    all. Used as the Engine's limiter: ``with semaphore(): send()``.
    """

    name = ""

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
        with _gates_lock:
            return _gates.setdefault(key, _Gate(self.limit))

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        token = uuid.uuid4().hex
        deadline = time.monotonic() + self.wait_seconds
        gate = self._gate()
        if not gate.enter(_urgent.get(), deadline):
            raise self._waited_too_long()
        try:
            pause = 0.002
            while not self.try_take(token):  # held by other processes
                if time.monotonic() > deadline:
                    raise self._waited_too_long()
                time.sleep(pause)
                pause = min(pause * 2, 0.02)
            try:
                yield
            finally:
                self.give_back(token)
        finally:
            gate.leave()

    def _waited_too_long(self) -> CrmUnavailable:
        return CrmUnavailable(
            f"waited {self.wait_seconds:.0f} s for one of the {self.limit} request slots (MaxConcurrentRequest)")


class RedisSemaphore(LeaseSemaphore):
    """Leases in a Redis sorted set: across processes and machines."""

    def __init__(self, client, key: str, limit: int, **options: float) -> None:
        super().__init__(limit, **options)
        self.client = client
        self.key = self.name = key
        self._acquire = client.register_script(_ACQUIRE)

    def try_take(self, token: str) -> bool:
        return bool(self._acquire(keys=[self.key], args=[self.limit, token, self.lease_seconds]))

    def give_back(self, token: str) -> None:
        self.client.zrem(self.key, token)
