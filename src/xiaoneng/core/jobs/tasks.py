"""Huey tasks: triggers only. The durable state is the Job row.

The periodic schedules of the jobs machinery are declared here, each with a plain-language
comment.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from . import services

logger = logging.getLogger(__name__)


@db_task()
def run_job_task(job_id: int) -> None:
    services.job_run(job_id)


@db_task()
def reconcile_now_task() -> None:
    services.jobs_reconcile()


# Every minute: prove the worker is alive for /healthz.
@db_periodic_task(crontab(minute="*"))
def heartbeat_task() -> None:
    services.worker_heartbeat()


# Every minute: re-run what a dead worker left behind (lease expired or never picked up).
@db_periodic_task(crontab(minute="*"))
def reconcile_task() -> None:
    services.jobs_reconcile()


_started = threading.Event()


@HUEY.on_startup()
def _on_worker_start() -> None:
    """A (re)started worker beats at once and picks up what its predecessor left."""
    close_old_connections()
    try:
        services.worker_heartbeat()
        # Huey calls this hook in every worker thread; reconciling once per process is enough.
        if _started.is_set():
            return
        _started.set()
        services.jobs_reconcile(pending_grace_seconds=0)
        # A job the dead worker was running still holds its lease now; look again as soon as
        # that lease has run out rather than waiting for the next minute.
        reconcile_now_task.schedule(delay=settings.JOB_LEASE_SECONDS + 1)
    except Exception:  # noqa: BLE001 - the periodic tasks retry; the worker must still start
        logger.exception("worker start-up: heartbeat or reconcile failed")
    finally:
        close_old_connections()
