"""Periodic work of the escalation app."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import escalation_scan


# Every 15 minutes: take the escalation steps that are due (reminder, urging notice, blue/orange/red
# notices, circulated-criticism proposal) and create the call-backs due after closing. It does
# nothing outside working hours or on days off, and never sends a step twice (safe to run twice,
# and on several workers at once).
@db_periodic_task(crontab(minute="*/15"))
def escalation_scan_task() -> None:
    escalation_scan()
