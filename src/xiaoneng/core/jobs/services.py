"""Creating, claiming, running and reconciling durable jobs."""

from __future__ import annotations

import logging
import os
import socket
import traceback
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Job, JobStatus, WorkerHeartbeat
from .registry import HANDLERS

logger = logging.getLogger(__name__)


def job_enqueue(*, kind: str, payload: dict | None = None, user: Any = None, dedupe_key: str | None = None) -> Job:
    """Create the job row; the worker is triggered once the transaction commits."""
    if kind not in HANDLERS:
        raise ValueError(f"no handler for job kind {kind!r}")
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind, payload=payload or {}, created_by=user if user and user.is_authenticated else None,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        return Job.objects.get(dedupe_key=dedupe_key)
    transaction.on_commit(lambda: _trigger(job.pk))
    return job


def _trigger(job_id: int) -> None:
    from .tasks import run_job_task

    run_job_task(job_id)


def job_claim(job_id: int) -> bool:
    """Take the job for this worker: pending → running with a fresh lease. False if taken."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
        status=JobStatus.RUNNING, attempts=F("attempts") + 1, started_at=now,
        lease_expires_at=now + timedelta(seconds=settings.JOB_LEASE_SECONDS),
    )
    return claimed == 1


def job_renew_lease(job: Job) -> None:
    """Long handlers call this now and then so the reconciler leaves them alone."""
    Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        lease_expires_at=timezone.now() + timedelta(seconds=settings.JOB_LEASE_SECONDS)
    )


def job_run(job_id: int) -> str | None:
    """Claim and run one job; record its result or error. Returns the final status."""
    if not job_claim(job_id):
        return None
    job = Job.objects.get(pk=job_id)
    handler = HANDLERS.get(job.kind)
    try:
        if handler is None:
            raise LookupError(f"no handler for job kind {job.kind!r}")
        result = handler(job)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
        logger.exception("job %s failed", job_id)
        give_up = job.attempts >= settings.JOB_MAX_ATTEMPTS or isinstance(exc, LookupError)
        Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED if give_up else JobStatus.PENDING,
            last_error="".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000],
            finished_at=timezone.now() if give_up else None, lease_expires_at=None,
        )
        return JobStatus.FAILED if give_up else JobStatus.PENDING
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        status=JobStatus.DONE, result=result or {}, finished_at=timezone.now(), lease_expires_at=None,
        last_error="",
    )
    return JobStatus.DONE


def jobs_reconcile(*, pending_grace_seconds: int = 30) -> list[int]:
    """Re-trigger jobs a dead worker left: running with an expired lease, or pending too long."""
    now = timezone.now()
    stuck = Job.objects.filter(status=JobStatus.RUNNING, lease_expires_at__lt=now)
    with transaction.atomic():
        stuck_ids = list(stuck.values_list("pk", flat=True))
        Job.objects.filter(pk__in=stuck_ids, status=JobStatus.RUNNING, lease_expires_at__lt=now).update(
            status=JobStatus.PENDING, lease_expires_at=None, last_error="worker stopped during the job; re-run"
        )
    waiting = Job.objects.filter(
        Q(pk__in=stuck_ids) | Q(status=JobStatus.PENDING, created_at__lt=now - timedelta(seconds=pending_grace_seconds))
    ).values_list("pk", flat=True)
    ids = list(waiting)
    for job_id in ids:
        _trigger(job_id)
    return ids


def worker_heartbeat() -> None:
    """Record that this worker process is alive."""
    name = f"{socket.gethostname()}:{os.getpid()}"
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now(), "pid": os.getpid()})
    # Keep the table small: forget workers silent for a day.
    WorkerHeartbeat.objects.filter(beat_at__lt=timezone.now() - timedelta(days=1)).delete()
