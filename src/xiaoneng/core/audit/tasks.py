"""The audit log's periodic schedule."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import audit_purge


# Every night at 03:30: delete events past the retention period (at least 180 days).
@db_periodic_task(crontab(hour="3", minute="30"))
def audit_purge_task() -> None:
    audit_purge()
