"""MaxConcurrentRequest across processes without Redis: leases in the database.

The embedded default (SQLite, no Redis) still runs a web server and worker processes
against one CRM. A request takes a lease row; taking one counts the live leases in a
write transaction that holds the database's write lock (SQLite: IMMEDIATE; PostgreSQL:
an advisory lock per integration), so two processes cannot both take the last slot. A
lease older than ``lease_seconds`` belongs to a killed worker and is dropped.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from .engine.concurrency import LeaseSemaphore
from .models import RequestSlot


class DatabaseSemaphore(LeaseSemaphore):
    def __init__(self, integration_id: int, limit: int, **options: float) -> None:
        super().__init__(limit, **options)
        self.integration_id = integration_id
        self.name = f"database-slots:{integration_id}"

    def try_take(self, token: str) -> bool:
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

    def give_back(self, token: str) -> None:
        RequestSlot.objects.filter(token=token).delete()
