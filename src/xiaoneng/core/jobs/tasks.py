"""Huey tasks: triggers only. The durable state is the Job row."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from . import services


@db_task()
def run_job_task(job_id: int) -> None:
    services.job_run(job_id)


# Every minute: prove the worker is alive for /healthz.
@db_periodic_task(crontab(minute="*"))
def heartbeat_task() -> None:
    services.worker_heartbeat()


# Every minute: re-run what a dead worker left behind (lease expired or never picked up).
@db_periodic_task(crontab(minute="*"))
def reconcile_task() -> None:
    services.jobs_reconcile()


@HUEY.on_startup()
def _on_worker_start() -> None:
    # A restarted worker first picks up what its predecessor left, then beats.
    from django.db import close_old_connections

    close_old_connections()
    services.worker_heartbeat()
    services.jobs_reconcile(pending_grace_seconds=0)
