"""The escalation ladder as pure logic: which step is due now for one deadline.

No database here: the caller passes the deadline, the moment, a calendar (anything with
``is_working_day(date)`` and ``add_working_days(date, n)``, e.g. ``core.workdays``'
``WorkingCalendar``) and the steps already recorded for this deadline; the answer is the step
to send now and the earlier steps that are skipped (their moment passed while a later step is
due too, e.g. after the worker was down, so the unit gets one notice, not a burst).

Rules:

* A step's day is the due date moved by its offset in working days (``-1``: the working day
  before the due date; ``+1``: the working day after it). A step is due on its day or later.
* Nothing is due outside working hours or on a day off.
* Steps go up only: a step at or below the highest step already recorded for this deadline is
  never sent (an extension moves the due date; what was sent stays, later steps follow the new
  date).
* A step before or on the deadline (offset <= 0, the reminder) is only sent while the deadline
  has not passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo


class Calendar(Protocol):
    def is_working_day(self, day: dt.date) -> bool: ...

    def add_working_days(self, start: dt.date, n: int) -> dt.date: ...


@dataclass(frozen=True)
class LadderStep:
    """One rung: a code (see ``models.Step``) and its offset in working days from the due date."""

    code: str
    offset: int


@dataclass(frozen=True)
class LadderDecision:
    """The step to send now (or None) and the earlier steps recorded as skipped with it."""

    send: LadderStep | None = None
    skip: tuple[LadderStep, ...] = ()


NOTHING = LadderDecision()


def step_day(calendar: Calendar, due_date: dt.date, offset: int) -> dt.date:
    """The working day on which a step with ``offset`` falls for ``due_date``."""
    return calendar.add_working_days(due_date, offset)


def is_within_working_hours(calendar: Calendar, local: dt.datetime, working_hours: tuple[int, int]) -> bool:
    start_hour, end_hour = working_hours
    return start_hour <= local.hour < end_hour and calendar.is_working_day(local.date())


def steps_due(
    *,
    steps: Sequence[LadderStep],
    due_at: dt.datetime,
    now: dt.datetime,
    calendar: Calendar,
    recorded: Collection[str] = (),
    zone: ZoneInfo,
    working_hours: tuple[int, int] = (8, 18),
) -> LadderDecision:
    """What the ladder does at ``now`` for a deadline ending at ``due_at`` (both aware)."""
    local = now.astimezone(zone)
    if not is_within_working_hours(calendar, local, working_hours):
        return NOTHING
    today = local.date()
    due_date = due_at.astimezone(zone).date()
    deadline_passed = now > due_at
    done = [index for index, step in enumerate(steps) if step.code in recorded]
    start = max(done) + 1 if done else 0
    candidates = []
    for step in steps[start:]:
        if step_day(calendar, due_date, step.offset) > today:
            break  # offsets increase along the ladder: no later step is due either
        candidates.append(step)
    if not candidates:
        return NOTHING
    send = candidates[-1]
    if send.offset <= 0 and deadline_passed:
        # Only "before the deadline" steps are due and the deadline has passed: the next
        # step (after the deadline) will come on its day; the reminder is simply late.
        return LadderDecision(send=None, skip=tuple(candidates))
    return LadderDecision(send=send, skip=tuple(candidates[:-1]))
