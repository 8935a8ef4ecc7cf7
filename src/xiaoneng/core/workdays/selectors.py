"""Reads for the calendar screens and the home page's warning."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.org.models import Role

from .models import CalendarDay, DayKind, DaySource
from .services import DayInfo, working_calendar

# Warn the office this many days before the known calendar runs out (the State Council
# usually publishes next year's schedule in late October or November).
WARNING_DAYS: int = getattr(settings, "WORKDAYS_WARNING_DAYS", 60)

WEEKDAY_LABELS = [gettext_lazy("Mo"), gettext_lazy("Tu"), gettext_lazy("We"), gettext_lazy("Th"),
                  gettext_lazy("Fr"), gettext_lazy("Sa"), gettext_lazy("Su")]


def user_manages_calendar(user: Any) -> bool:
    """Only the office sees and changes the working-day calendar."""
    return bool(user and user.is_authenticated and not user.is_admin_role_holder and user.has_role(Role.OFFICE))


def ensure_calendar_office(user: Any) -> None:
    if not user_manages_calendar(user):
        raise PermissionDenied


@dataclass
class MonthSummaryItem:
    name: str
    kind: str
    first: dt.date
    last: dt.date


@dataclass
class MonthGrid:
    year: int
    month: int
    weeks: list[list[DayInfo | None]]
    summary: list[MonthSummaryItem] = field(default_factory=list)


def _month_grid(calendar, year: int, month: int) -> MonthGrid:
    weeks = []
    for week in stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([calendar.day(d) if d.month == month else None for d in week])
    summary: list[MonthSummaryItem] = []
    for week in weeks:
        for info in week:
            if info is None or info.kind not in (DayKind.HOLIDAY, DayKind.ADJUSTED_WORKDAY):
                continue
            previous = summary[-1] if summary else None
            if (previous and info.kind == DayKind.HOLIDAY and previous.kind == info.kind
                    and previous.name == info.name and previous.last + dt.timedelta(days=1) == info.date):
                previous.last = info.date
            else:
                summary.append(MonthSummaryItem(info.name, info.kind, info.date, info.date))
    return MonthGrid(year, month, weeks, summary)


def calendar_year_for_user(*, user: Any, year: int) -> dict:
    """The twelve month grids of ``year`` with each day's kind and name, for the office."""
    ensure_calendar_office(user)
    calendar = working_calendar()
    return {
        "year": year,
        "months": [_month_grid(calendar, year, month) for month in range(1, 13)],
        "is_known": calendar.is_year_known(year),
        "is_imported": year in calendar.imported_years,
        "known_until": calendar.known_until(),
        "today": timezone.localdate(),
        "weekday_labels": WEEKDAY_LABELS,
    }


def calendar_days_for_user(*, user: Any, year: int, source: str = DaySource.MANUAL) -> list[CalendarDay]:
    """The office's own rows of ``year`` (default: the days set by hand), for the corrections list."""
    ensure_calendar_office(user)
    return list(CalendarDay.objects.filter(date__year=year, source=source).select_related("updated_by"))


def calendar_warning(today: dt.date | None = None) -> dict | None:
    """A warning when the known calendar ends less than ``WARNING_DAYS`` after ``today``."""
    today = today or timezone.localdate()
    known_until = working_calendar().known_until()
    days_left = (known_until - today).days
    if days_left >= WARNING_DAYS:
        return None
    missing_year = known_until.year + 1
    return {
        "year": missing_year,
        "known_until": known_until,
        "days_left": max(days_left, 0),
        "ran_out": days_left < 0,
        "message": _("The %(year)s holiday schedule has not been imported yet") % {"year": missing_year},
        "url": f"{reverse('workdays:import')}?year={missing_year}",
    }


def calendar_attention_for_user(user: Any) -> list[dict]:
    """For the home page: the office hears that next year's schedule is missing."""
    if not user_manages_calendar(user):
        return []
    warning = calendar_warning()
    if warning is None:
        return []
    return [{"label": warning["message"], "url": warning["url"], "count": warning["days_left"]}]
