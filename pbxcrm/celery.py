"""The Celery app: configured from Django settings (CELERY_*), tasks found in every app."""

import gc
import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pbxcrm.settings")

app = Celery("pbxcrm")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Celery's Django fixup closes every database connection before and after each task
# unless told to reuse them: a new connection per task, which on PostgreSQL costs more
# than a call event's whole handling. Workers keep theirs as Django's requests do,
# for WORKER_CONN_MAX_AGE, closing one that is broken or too old between tasks.
app.conf.CELERY_DB_REUSE_MAX = 2**62
app.autodiscover_tasks()


@signals.worker_init.connect
def _keep_connections(**_: object) -> None:
    from django.conf import settings

    for database in settings.DATABASES.values():
        database["CONN_MAX_AGE"] = settings.WORKER_CONN_MAX_AGE
        database["CONN_HEALTH_CHECKS"] = True


@signals.task_postrun.connect
def _close_old_connections(**_: object) -> None:
    from django.db import close_old_connections

    close_old_connections()


@signals.worker_ready.connect
def _freeze_startup_objects(**_: object) -> None:
    # What the worker built at start (Django, Celery, the modules) lives as long as it
    # does: left to the collector, each full collection walks it all, a 70 ms pause
    # measured in the middle of a run of calls. Frozen, collections see only what
    # calls make.
    gc.freeze()
