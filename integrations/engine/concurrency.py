"""MaxConcurrentRequest held across every worker process.

A template says how many requests the CRM may have in flight at once; several
Celery worker processes share that number. With Redis configured, a counting
semaphore lives in Redis: a sorted set of leases scored by the Redis server's own
clock (so workers' clocks do not matter), taken and checked in one Lua script. A
lease older than ``lease_seconds`` is taken to belong to a killed worker and is
dropped, so a SIGKILL mid-request cannot leak a slot for good.
"""

from __future__ import annotations

import contextlib
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


class LeaseSemaphore:
    """At most ``limit`` leases at once; a lease older than ``lease_seconds`` is dropped.

    Subclasses say where leases live (``try_take``, ``give_back``); the waiting, with a
    growing pause and a deadline that ends as a retryable error, is the same for all.
    Used as the Engine's limiter: ``with semaphore(): send()``.
    """

    def __init__(self, limit: int, *, lease_seconds: float = 120.0, wait_seconds: float = 60.0) -> None:
        self.limit = max(1, limit)
        self.lease_seconds = lease_seconds
        self.wait_seconds = wait_seconds

    def try_take(self, token: str) -> bool:
        raise NotImplementedError

    def give_back(self, token: str) -> None:
        raise NotImplementedError

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        token = uuid.uuid4().hex
        deadline = time.monotonic() + self.wait_seconds
        pause = 0.002
        while not self.try_take(token):
            if time.monotonic() > deadline:
                raise CrmUnavailable(
                    f"waited {self.wait_seconds:.0f} s for one of the {self.limit} request slots (MaxConcurrentRequest)"
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        try:
            yield
        finally:
            self.give_back(token)


class RedisSemaphore(LeaseSemaphore):
    """Leases in a Redis sorted set: across processes and machines."""

    def __init__(self, client, key: str, limit: int, **options: float) -> None:
        super().__init__(limit, **options)
        self.client = client
        self.key = key
        self._acquire = client.register_script(_ACQUIRE)

    def try_take(self, token: str) -> bool:
        return bool(self._acquire(keys=[self.key], args=[self.limit, token, self.lease_seconds]))

    def give_back(self, token: str) -> None:
        self.client.zrem(self.key, token)
