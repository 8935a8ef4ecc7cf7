"""Schedule rules of obligations, and the due dates they produce. Pure functions, no database.

A rule says when a report is due: once by a date; recurring (weekly, monthly by day N for
the previous month, quarterly, half-yearly, yearly on named months); or relative (N days or
N working days after a phase starts or ends, or after another obligation is due). Each
occurrence has a stable key (``2009-03``, ``2009-Q1``, ``phase:7:end``) so that when a
phase's dates change the same due item moves instead of a new one appearing.

Working days come from a calendar object with ``next_working_day(d)`` and
``add_working_days(d, n)`` (``xiaoneng.core.workdays.services`` in the application).
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol


class WorkingCalendar(Protocol):
    def next_working_day(self, day: date) -> date: ...

    def add_working_days(self, start: date, days: int) -> date: ...


class Frequency:
    ONCE = "once"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"
    RELATIVE = "relative"


class Anchor:
    PHASE_START = "phase_start"
    PHASE_END = "phase_end"
    OBLIGATION = "obligation"


@dataclass(frozen=True)
class Rule:
    """When an obligation is due. Only the fields of its ``frequency`` matter."""

    frequency: str
    due_date: date | None = None  # once
    day: int | None = None  # weekly: ISO weekday 1-7; others: day of the month it is due (None = last day)
    months: tuple[int, ...] = ()  # yearly: the months named (7月和12月各一次 → (7, 12))
    offset: int = 0  # relative: how many days after the anchor
    working_days: bool = False  # relative: count working days, not calendar days
    anchor: str = ""  # relative: phase_start, phase_end or obligation
    anchor_id: int | None = None  # relative: a phase or obligation id; None = every phase
    shift_holidays: bool = True  # 遇节假日顺延: a due date on a day off moves to the next working day


@dataclass(frozen=True)
class Occurrence:
    key: str
    label: str
    due: date
    period_start: date | None = None
    period_end: date | None = None


@dataclass(frozen=True)
class AnchorDate:
    """A date a relative rule can count from: a phase's start or end, or another obligation's due date."""

    kind: str
    id: int
    label: str
    day: date
    key: str = ""  # a stable key for the occurrence it produces; defaults to kind:id


@dataclass
class Window:
    """The span of the campaign the recurring reports cover."""

    start: date
    end: date
    anchors: list[AnchorDate] = field(default_factory=list)


def month_end(year: int, month: int) -> date:
    return date(year, month, _calendar.monthrange(year, month)[1])


def day_in_month(year: int, month: int, day: int | None) -> date:
    """Day ``day`` of the month, clamped to its last day (day 31 in February → the 28th/29th)."""
    last = _calendar.monthrange(year, month)[1]
    return date(year, month, min(day or last, last))


def add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + count
    return index // 12, index % 12 + 1


def _shift(day: date, rule: Rule, cal: WorkingCalendar) -> date:
    return cal.next_working_day(day) if rule.shift_holidays else day


def _periods(window: Window, months_per_period: int) -> Iterable[tuple[date, date, int, int]]:
    """Calendar periods (month, quarter, half-year) overlapping the window, with their first month."""
    year, month = window.start.year, window.start.month
    month -= (month - 1) % months_per_period
    while date(year, month, 1) <= window.end:
        end_year, end_month = add_months(year, month, months_per_period - 1)
        yield date(year, month, 1), month_end(end_year, end_month), year, month
        year, month = add_months(year, month, months_per_period)


def occurrences(rule: Rule, window: Window, cal: WorkingCalendar) -> list[Occurrence]:
    """Every due date ``rule`` produces within ``window``, in date order."""
    result: list[Occurrence] = []
    freq = rule.frequency
    if freq == Frequency.ONCE:
        if rule.due_date is not None:
            result.append(Occurrence("once", "", _shift(rule.due_date, rule, cal)))
    elif freq == Frequency.WEEKLY:
        weekday = rule.day or 5
        start = window.start - timedelta(days=window.start.weekday())
        while start <= window.end:
            end = start + timedelta(days=6)
            due = end + timedelta(days=weekday)  # the given weekday of the following week
            iso = start.isocalendar()
            result.append(Occurrence(f"{iso.year}-W{iso.week:02d}", f"{iso.year}-W{iso.week:02d}",
                                     _shift(due, rule, cal), start, end))
            start += timedelta(days=7)
    elif freq in (Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.HALF_YEARLY):
        size = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.HALF_YEARLY: 6}[freq]
        for first, last, year, month in _periods(window, size):
            due_year, due_month = add_months(last.year, last.month, 1)  # reported in the month after
            due = day_in_month(due_year, due_month, rule.day)
            if size == 1:
                key = f"{year}-{month:02d}"
            elif size == 3:
                key = f"{year}-Q{(month - 1) // 3 + 1}"
            else:
                key = f"{year}-H{(month - 1) // 6 + 1}"
            result.append(Occurrence(key, key, _shift(due, rule, cal), first, last))
    elif freq == Frequency.YEARLY:
        for year in range(window.start.year, window.end.year + 1):
            for month in rule.months or (12,):
                first = date(year, month, 1)
                last = month_end(year, month)
                if last < window.start or first > window.end:
                    continue
                due = day_in_month(year, month, rule.day)
                key = f"{year}-{month:02d}"
                result.append(Occurrence(key, key, _shift(due, rule, cal), first, last))
    elif freq == Frequency.RELATIVE:
        for anchor in window.anchors:
            if anchor.kind != rule.anchor or (rule.anchor_id is not None and anchor.id != rule.anchor_id):
                continue
            if rule.working_days:
                due = cal.add_working_days(anchor.day, rule.offset)
            else:
                due = _shift(anchor.day + timedelta(days=rule.offset), rule, cal)
            suffix = {"phase_start": "start", "phase_end": "end", "obligation": "after"}.get(anchor.kind, anchor.kind)
            result.append(Occurrence(anchor.key or f"{anchor.kind}:{anchor.id}:{suffix}", anchor.label, due))
    else:
        raise ValueError(f"unknown frequency {freq!r}")
    result.sort(key=lambda occ: (occ.due, occ.key))
    return result
