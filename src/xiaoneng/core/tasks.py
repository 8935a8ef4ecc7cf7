"""Housekeeping that keeps the core tables small. Each task is safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sessions.models import Session
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


# Every night at 02:30: forget old login failures (the lockout window is minutes), the
# records of sessions that no longer exist, and uploaded bytes no row refers to.
@db_periodic_task(crontab(hour="2", minute="30"))
def housekeeping_task() -> None:
    from xiaoneng.core.files.services import file_orphans_delete
    from xiaoneng.core.security.models import LoginFailure, UserSession

    Session.objects.filter(expire_date__lt=timezone.now()).delete()
    LoginFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()
    UserSession.objects.exclude(session_key__in=Session.objects.values("session_key")).delete()
    file_orphans_delete()
