"""Creating, claiming, running and reconciling durable jobs.

The Job row is the truth; the Huey task that runs it is only a trigger, because Huey does
not acknowledge tasks: a worker killed mid-task loses the task, never the row. A running job
holds a lease that the worker keeps renewing while the handler runs; when the lease runs
out the reconciler puts the row back to pending and triggers it again. Handlers are
therefore run at least once and must be safe to run twice.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from xiaoneng.core.middleware import log_context

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
        if dedupe_key is None:
            raise
        return Job.objects.get(dedupe_key=dedupe_key)
    job_id = job.pk
    transaction.on_commit(lambda: _trigger(job_id))
    return job


def _trigger(job_id: int) -> None:
    from .tasks import run_job_task

    try:
        run_job_task(job_id)
    except Exception:  # noqa: BLE001 - the queue being down must not undo the committed row
        # The row is committed; the reconciler triggers it once the queue is back.
        logger.exception("could not trigger job %s; the reconciler will pick it up", job_id)


def _lease_end():
    return timezone.now() + timedelta(seconds=settings.JOB_LEASE_SECONDS)


def job_claim(job_id: int) -> int | None:
    """Take the job for this worker: pending → running with a fresh lease.

    Returns the attempt number this run owns, or None if the job is not pending (another
    worker has it, or it is finished): a second trigger of the same job does nothing.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = Job.objects.filter(pk=job_id, status=JobStatus.PENDING).update(
            status=JobStatus.RUNNING, attempts=F("attempts") + 1, started_at=now, lease_expires_at=_lease_end(),
        )
        if claimed != 1:
            return None
        return Job.objects.values_list("attempts", flat=True).get(pk=job_id)


def job_renew_lease(job: Job) -> bool:
    """Extend the lease of a running job; False when the run no longer owns the row."""
    renewed = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
        lease_expires_at=_lease_end()
    )
    return renewed == 1


@contextmanager
def _lease_kept(job: Job) -> Iterator[None]:
    """Renew the job's lease in the background while the handler runs.

    A live worker thus never loses a long job to the reconciler, and the lease can stay
    short, so a dead worker's job is picked up again soon.
    """
    stop = threading.Event()
    interval = max(settings.JOB_LEASE_SECONDS / 3, 0.5)

    def keep() -> None:
        try:
            while not stop.wait(interval):
                if not job_renew_lease(job):
                    return
        except Exception:  # noqa: BLE001 - a failed renewal only risks a harmless re-run
            logger.exception("could not renew the lease of job %s", job.pk)
        finally:
            connection.close()

    keeper = threading.Thread(target=keep, name=f"job-{job.pk}-lease", daemon=True)
    keeper.start()
    try:
        yield
    finally:
        stop.set()
        keeper.join(timeout=10)


def job_run(job_id: int) -> str | None:
    """Claim and run one job; record its result or error. Returns the final status.

    Every final update is guarded by the attempt number, so a run that lost its lease
    (the reconciler handed the job to another worker) cannot overwrite the newer run.
    """
    # Log lines written while the job runs carry "job-<id>" where a request's carry its id.
    with log_context(f"job-{job_id}"):
        return _job_run(job_id)


def _job_run(job_id: int) -> str | None:
    attempt = job_claim(job_id)
    if attempt is None:
        return None
    job = Job.objects.get(pk=job_id)
    job.attempts = attempt
    this_run = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, attempts=attempt)
    handler = HANDLERS.get(job.kind)
    if handler is None:
        this_run.update(status=JobStatus.FAILED, last_error=f"no handler for job kind {job.kind!r}",
                        finished_at=timezone.now(), lease_expires_at=None)
        return JobStatus.FAILED
    try:
        with _lease_kept(job):
            result = handler(job)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row
        logger.exception("job %s (%s) failed on attempt %s", job_id, job.kind, attempt)
        give_up = attempt >= settings.JOB_MAX_ATTEMPTS
        this_run.update(
            status=JobStatus.FAILED if give_up else JobStatus.PENDING,
            last_error="".join(traceback.format_exception_only(type(exc), exc)).strip()[:2000],
            finished_at=timezone.now() if give_up else None, lease_expires_at=None,
        )
        return JobStatus.FAILED if give_up else JobStatus.PENDING
    this_run.update(
        status=JobStatus.DONE, result=result or {}, finished_at=timezone.now(), lease_expires_at=None,
        last_error="",
    )
    return JobStatus.DONE


def jobs_reconcile(*, pending_grace_seconds: int = 30) -> list[int]:
    """Re-trigger jobs a dead worker left: running with an expired lease, or pending too long.

    A job whose worker died on every one of its attempts (it may be what kills the worker)
    is failed instead of being run again. Returns the ids triggered.
    """
    now = timezone.now()
    expired = Q(status=JobStatus.RUNNING, lease_expires_at__lt=now)
    with transaction.atomic():
        Job.objects.filter(expired, attempts__gte=settings.JOB_MAX_ATTEMPTS).update(
            status=JobStatus.FAILED, lease_expires_at=None, finished_at=now,
            last_error="the worker stopped during every attempt; given up",
        )
        stuck_ids = list(Job.objects.filter(expired).values_list("pk", flat=True))
        if stuck_ids:
            Job.objects.filter(expired, pk__in=stuck_ids).update(
                status=JobStatus.PENDING, lease_expires_at=None,
                last_error="the worker stopped during the job; run again",
            )
            logger.warning("jobs left running by a stopped worker, run again: %s", stuck_ids)
    # A failed attempt waits here as pending too: its created_at is old, so it is retried.
    ids = list(
        Job.objects.filter(
            Q(pk__in=stuck_ids)
            | Q(status=JobStatus.PENDING, created_at__lte=now - timedelta(seconds=pending_grace_seconds))
        ).filter(status=JobStatus.PENDING).order_by("pk").values_list("pk", flat=True)
    )
    for job_id in ids:
        _trigger(job_id)
    return ids


def worker_heartbeat() -> None:
    """Record that this worker process is alive."""
    name = f"{socket.gethostname()}:{os.getpid()}"
    WorkerHeartbeat.objects.update_or_create(name=name, defaults={"beat_at": timezone.now(), "pid": os.getpid()})
    # Keep the table small: forget workers silent for a day.
    WorkerHeartbeat.objects.filter(beat_at__lt=timezone.now() - timedelta(days=1)).delete()
