"""Periodic work of the campaigns app."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .reminders import reminders_send


# Every 15 minutes: send the reminders that are due (it does nothing outside working hours
# or on days off, and never sends the same reminder twice).
@db_periodic_task(crontab(minute="*/15"))
def reminders_task() -> None:
    reminders_send()


# Every night at 01:10: re-derive running campaigns' due items, so a unit that joined a
# ranking group (or a new unit) gets its reports and a unit that left has them withdrawn.
@db_periodic_task(crontab(hour="1", minute="10"))
def campaigns_resync_task() -> None:
    from .services import campaigns_resync

    campaigns_resync()
