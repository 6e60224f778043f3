"""MaxConcurrentRequest across processes without Redis: leases in the database.

The embedded default (SQLite, no Redis) still runs a web server and worker processes
against one CRM. A request takes a lease row; taking one counts the live leases in a
write transaction that holds the database's write lock (SQLite: IMMEDIATE; PostgreSQL:
an advisory lock per integration), so two processes cannot both take the last slot. A
lease older than ``lease_seconds`` belongs to a killed worker and is dropped.
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from .errors import CrmUnavailable
from .models import RequestSlot


class DatabaseSemaphore:
    def __init__(self, integration_id: int, limit: int, *, lease_seconds: float = 120.0,
                 wait_seconds: float = 60.0) -> None:
        self.integration_id = integration_id
        self.limit = max(1, limit)
        self.lease_seconds = lease_seconds
        self.wait_seconds = wait_seconds

    def _try(self, token: str) -> bool:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x70627863, self.integration_id])
            now = timezone.now()
            live = RequestSlot.objects.filter(integration_id=self.integration_id)
            live.filter(taken__lt=now - timedelta(seconds=self.lease_seconds)).delete()
            if live.count() >= self.limit:
                return False
            RequestSlot.objects.create(integration_id=self.integration_id, token=token, taken=now)
            return True

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        token = uuid.uuid4().hex
        deadline = time.monotonic() + self.wait_seconds
        pause = 0.005
        while not self._try(token):
            if time.monotonic() > deadline:
                raise CrmUnavailable(
                    f"waited {self.wait_seconds:.0f} s for one of the {self.limit} request slots (MaxConcurrentRequest)"
                )
            time.sleep(pause)
            pause = min(pause * 2, 0.1)
        try:
            yield
        finally:
            RequestSlot.objects.filter(token=token).delete()
