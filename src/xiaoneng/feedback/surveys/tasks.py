"""The surveys' periodic schedule."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import period_secrets_purge


# Every night at 02:10: forget the per-period secrets and browser tokens of periods that are
# over (old tokens can then never be joined to anything) and form keys older than two days.
@db_periodic_task(crontab(hour="2", minute="10"))
def surveys_forget_old_tokens() -> None:
    period_secrets_purge()
