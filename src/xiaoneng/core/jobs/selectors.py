"""Reads about jobs and the worker."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from .models import Job, WorkerHeartbeat


def worker_health() -> str:
    """"ok" when some worker beat within the stale limit, else "stale" or "missing"."""
    last = WorkerHeartbeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
    if last is None:
        return "missing"
    if timezone.now() - last > timedelta(seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS):
        return "stale"
    return "ok"


def job_get_for_user(*, user: Any, pk: int) -> Job:
    """A job the user started (the office and admins see only their own too)."""
    from django.http import Http404

    job = Job.objects.filter(pk=pk, created_by=user).first() if user.is_authenticated else None
    if job is None:
        raise Http404
    return job
