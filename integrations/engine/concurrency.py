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


class RedisSemaphore:
    """At most ``limit`` holders of ``key`` at once, across processes and machines."""

    def __init__(self, client, key: str, limit: int, *, lease_seconds: float = 120.0,
                 wait_seconds: float = 60.0) -> None:
        self.client = client
        self.key = key
        self.limit = max(1, limit)
        self.lease_seconds = lease_seconds
        self.wait_seconds = wait_seconds
        self._acquire = client.register_script(_ACQUIRE)

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        token = uuid.uuid4().hex
        deadline = time.monotonic() + self.wait_seconds
        pause = 0.002
        while not self._acquire(keys=[self.key], args=[self.limit, token, self.lease_seconds]):
            if time.monotonic() > deadline:
                raise CrmUnavailable(
                    f"waited {self.wait_seconds:.0f} s for one of the {self.limit} request slots (MaxConcurrentRequest)"
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.05)
        try:
            yield
        finally:
            self.client.zrem(self.key, token)
