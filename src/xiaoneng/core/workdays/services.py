"""China's working-day calendar: the one engine every deadline in the product uses.

The ``chinese_calendar`` package knows the official holidays and adjusted working days
(调休上班) of the years it was built with; ``CalendarDay`` rows (an imported State Council
schedule, or a day the office set by hand) override it. Outside the known years the engine
falls back to "Monday to Friday" and says so (``DayInfo.is_known``, ``calendar_known_until``);
it never raises for a date it does not know.

Every public function reads one short row (the calendar version) and reuses this process's
copy of the overrides while that version is unchanged, so a loop over many deadlines costs one
query per call. For a batch, take ``working_calendar()`` once and call its methods.

A deadline of "N个工作日" counts from the next working day: day 1 is the first working day
after the start (``add_working_days``).
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from chinese_calendar import constants as package_data
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from xiaoneng.core.audit.services import audit_record

from .models import CalendarDay, CalendarVersion, DayKind, DaySource

ONE_DAY = dt.timedelta(days=1)
# A guard against a runaway loop (a typo of 50000 instead of 5); ten years of working days.
MAX_WORKING_DAYS = 2500

PACKAGE_FIRST_YEAR: int = min(package_data.holidays).year
PACKAGE_LAST_YEAR: int = max(package_data.holidays).year

# The package names holidays in English; the office reads the official Chinese names.
PACKAGE_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}

WEEKEND = "weekend"  # a display kind only: a Saturday or Sunday with no special status


@dataclass(frozen=True)
class DayInfo:
    """What the calendar says about one date."""

    date: dt.date
    kind: str  # a DayKind value, or WEEKEND
    name: str = ""
    source: str = ""  # a DaySource value; "" when only the weekday rule applies
    is_known: bool = True  # False: the year's official schedule is unknown (weekends-only guess)

    @property
    def is_working(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.ADJUSTED_WORKDAY)


def _weekday_rule(day: dt.date, *, is_known: bool) -> DayInfo:
    kind = DayKind.WORKDAY if day.weekday() < 5 else WEEKEND
    return DayInfo(day, str(kind), is_known=is_known)


class WorkingCalendar:
    """One consistent view of the calendar: the package's data plus the office's rows."""

    def __init__(self, overrides: dict[dt.date, tuple[str, str, str]], imported_years: Iterable[int]):
        self._overrides = overrides
        self.imported_years = frozenset(imported_years)
        last = PACKAGE_LAST_YEAR
        while last + 1 in self.imported_years:
            last += 1
        self._known_until = dt.date(last, 12, 31)

    # --- one day -----------------------------------------------------------------------
    def is_year_known(self, year: int) -> bool:
        return year in self.imported_years or PACKAGE_FIRST_YEAR <= year <= PACKAGE_LAST_YEAR

    def day(self, day: dt.date) -> DayInfo:
        """The status of ``day``: an office row first, then the imported or built-in schedule."""
        day = _as_date(day)
        is_known = self.is_year_known(day.year)
        row = self._overrides.get(day)
        if row is not None:
            kind, name, source = row
            return DayInfo(day, kind, name, source, is_known)
        if day.year in self.imported_years or not is_known:
            # An imported year is described by its rows alone; an unknown year is a guess.
            return _weekday_rule(day, is_known=is_known)
        if day in package_data.workdays:
            kind = DayKind.ADJUSTED_WORKDAY if day.weekday() >= 5 else DayKind.WORKDAY
            return DayInfo(day, str(kind), _package_name(package_data.workdays[day]), DaySource.PACKAGE)
        if day in package_data.holidays:
            return DayInfo(day, str(DayKind.HOLIDAY), _package_name(package_data.holidays[day]), DaySource.PACKAGE)
        return _weekday_rule(day, is_known=True)

    def is_working_day(self, day: dt.date) -> bool:
        return self.day(day).is_working

    def is_known(self, day: dt.date) -> bool:
        return self.is_year_known(_as_date(day).year)

    def known_until(self) -> dt.date:
        return self._known_until

    # --- counting ----------------------------------------------------------------------
    def next_working_day(self, day: dt.date) -> dt.date:
        day = _as_date(day)
        while not self.is_working_day(day):
            day += ONE_DAY
        return day

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        start = _as_date(start)
        if abs(n) > MAX_WORKING_DAYS:
            raise ValueError(f"{n} working days is more than the calendar counts ({MAX_WORKING_DAYS})")
        if n == 0:
            return self.next_working_day(start)
        step = ONE_DAY if n > 0 else -ONE_DAY
        remaining, day = abs(n), start
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        start, end = _as_date(start), _as_date(end)
        if start == end:
            return 0
        sign = 1 if end > start else -1
        low, high = (start, end) if sign > 0 else (end, start)
        count, day = 0, low + ONE_DAY
        while day <= high:
            count += self.is_working_day(day)
            day += ONE_DAY
        return sign * count


def _package_name(english: str) -> str:
    return PACKAGE_HOLIDAY_NAMES.get(english, english)


def _as_date(value: dt.date) -> dt.date:
    # A datetime is a date too (it subclasses it); a deadline is about the calendar day.
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = value.astimezone(_zone())
        return value.date()
    return value


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- the per-process copy ------------------------------------------------------------------
_cache_lock = threading.Lock()
_cached: tuple[str, WorkingCalendar] | None = None


def _current_token() -> str:
    return CalendarVersion.objects.filter(pk=1).values_list("token", flat=True).first() or ""


def working_calendar() -> WorkingCalendar:
    """The calendar as the database has it now (one query while this process's copy is fresh)."""
    global _cached
    token = _current_token()
    cached = _cached
    if cached is not None and cached[0] == token:
        return cached[1]
    with _cache_lock:
        rows = CalendarDay.objects.values_list("date", "kind", "name", "source", "import_year")
        overrides: dict[dt.date, tuple[str, str, str]] = {}
        imported_years: set[int] = set()
        for date, kind, name, source, import_year in rows:
            overrides[date] = (kind, name, source)
            if source == DaySource.IMPORT and import_year:
                imported_years.add(import_year)
        calendar = WorkingCalendar(overrides, imported_years)
        # Keyed by the token read *before* the rows: a write in between only causes a reload.
        _cached = (token, calendar)
    return calendar


def _bump_version() -> None:
    """Give the calendar a new version token, in the caller's transaction."""
    token = uuid.uuid4().hex
    if CalendarVersion.objects.filter(pk=1).update(token=token):
        return
    try:
        with transaction.atomic():
            CalendarVersion.objects.create(pk=1, token=token)
    except IntegrityError:
        CalendarVersion.objects.filter(pk=1).update(token=token)


# --- the public engine ---------------------------------------------------------------------
def day_info(day: dt.date) -> DayInfo:
    """What the calendar says about ``day`` (kind, holiday name, source, whether it is known)."""
    return working_calendar().day(day)


def is_working_day(day: dt.date) -> bool:
    """Whether ``day`` is a working day (weekday not on holiday, or an adjusted working day)."""
    return working_calendar().is_working_day(day)


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the first working day after it."""
    return working_calendar().next_working_day(day)


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The date ``n`` working days after ``start``, counting from the next working day.

    Day 1 is the first working day after ``start`` (a deadline of "5个工作日" received on a
    Friday before the National Day break ends after the break). ``n == 0`` gives
    ``next_working_day(start)``; a negative ``n`` counts back (the working day ``-n`` working
    days before ``start``, e.g. for a reminder ahead of a due date).
    """
    return working_calendar().add_working_days(start, n)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days lie in ``(start, end]`` (negative when ``end`` is before ``start``).

    "Late by N working days": ``working_days_between(due_date, submitted_on)``.
    """
    return working_calendar().working_days_between(start, end)


def due_date_with_holiday_shift(day: dt.date, shift: bool = True) -> dt.date:
    """A due date that falls on a holiday or weekend moves to the next working day (遇节假日顺延),
    unless the obligation says it does not (``shift=False``)."""
    day = _as_date(day)
    return next_working_day(day) if shift else day


def calendar_known_until() -> dt.date:
    """The last date whose official schedule is known (built in, or imported for a later year)."""
    return working_calendar().known_until()


def is_calendar_known(day: dt.date) -> bool:
    """Whether the official schedule of ``day``'s year is known (else only weekends are assumed)."""
    return working_calendar().is_known(day)


@dataclass(frozen=True)
class WorkingDeadline:
    """A deadline in working days: the last day, its end as a moment, and whether it is a guess."""

    due_date: dt.date
    due_at: dt.datetime  # the end of the due day, local time (aware)
    is_estimate: bool  # the due date lies beyond the known calendar (weekends-only guess)


def working_deadline(start: dt.datetime | dt.date, n: int) -> WorkingDeadline:
    """The deadline ``n`` working days after ``start`` (a case received at any hour counts from
    the next working day), e.g. "5个工作日内办结"."""
    calendar = working_calendar()
    start_day = _as_date(start)
    due = calendar.add_working_days(start_day, n)
    end_of_day = dt.datetime.combine(due + ONE_DAY, dt.time.min, tzinfo=_zone()) - dt.timedelta(microseconds=1)
    return WorkingDeadline(due_date=due, due_at=end_of_day, is_estimate=due > calendar.known_until())


def is_working_time(moment: dt.datetime | None = None) -> bool:
    """Whether ``moment`` (default: now) falls on a working day within settings.WORKING_HOURS,
    in the bureau's time zone; reminders are sent only then."""
    moment = moment or timezone.now()
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=_zone())
    local = moment.astimezone(_zone())
    start_hour, end_hour = settings.WORKING_HOURS
    return start_hour <= local.hour < end_hour and is_working_day(local.date())


# --- writes by the office --------------------------------------------------------------------
def _normalise_kind(day: dt.date, kind: str) -> str:
    """A working weekend day is an adjusted working day; a working weekday is a plain one."""
    if kind == DayKind.HOLIDAY:
        return str(DayKind.HOLIDAY)
    return str(DayKind.ADJUSTED_WORKDAY if day.weekday() >= 5 else DayKind.WORKDAY)


def _describe(info: DayInfo) -> dict[str, str]:
    return {"kind": info.kind, "name": info.name, "source": info.source}


@transaction.atomic
def calendar_day_set(
    *, day: dt.date, kind: str, name: str = "", note: str = "", user: Any, request: Any = None
) -> CalendarDay:
    """Set one date's status by hand (it overrides the built-in and imported schedule)."""
    before = working_calendar().day(day)
    row, _created = CalendarDay.objects.select_for_update().update_or_create(
        date=day,
        defaults={
            "kind": _normalise_kind(day, kind), "name": name.strip(), "note": note.strip(),
            "source": DaySource.MANUAL, "import_year": None, "updated_by": user,
        },
    )
    _bump_version()
    after = working_calendar().day(day)
    audit_record(
        "calendar.change", request=request, actor=user, obj=row,
        detail={"date": day.isoformat(), "before": _describe(before), "after": _describe(after), "note": row.note},
    )
    return row


@transaction.atomic
def calendar_day_reset(*, day: dt.date, user: Any, request: Any = None) -> bool:
    """Remove the office's row for ``day``, so the official schedule applies again."""
    before = working_calendar().day(day)
    deleted, _ = CalendarDay.objects.filter(date=day).delete()
    if not deleted:
        return False
    _bump_version()
    after = working_calendar().day(day)
    audit_record(
        "calendar.change", request=request, actor=user, object_type="workdays.calendarday",
        object_id=day.isoformat(), object_repr=day.isoformat(),
        detail={"date": day.isoformat(), "before": _describe(before), "after": _describe(after), "reset": True},
    )
    return True


@dataclass(frozen=True)
class ImportOutcome:
    """What an import stored."""

    year: int
    stored: int
    replaced: int  # imported rows of the same year removed first
    kept_manual: list[dt.date]  # dates the office set by hand, left as they are


@transaction.atomic
def calendar_import_apply(*, year: int, days: list, user: Any, request: Any = None) -> ImportOutcome:
    """Store a parsed official schedule for ``year``: the year's earlier imported rows are
    replaced, days the office set by hand are kept. All or nothing."""
    # Serialise imports (and the version bump) by locking the version row first.
    _bump_version()
    replaced, _ = CalendarDay.objects.filter(source=DaySource.IMPORT, import_year=year).delete()
    dates = [d.date for d in days]
    existing = {row.date: row for row in CalendarDay.objects.select_for_update().filter(date__in=dates)}
    kept_manual = sorted(d for d, row in existing.items() if row.source == DaySource.MANUAL)
    to_create, to_update = [], []
    for parsed in days:
        fields = {"kind": _normalise_kind(parsed.date, parsed.kind), "name": parsed.name,
                  "source": DaySource.IMPORT, "import_year": year, "updated_by": user, "note": ""}
        row = existing.get(parsed.date)
        if row is None:
            to_create.append(CalendarDay(date=parsed.date, **fields))
        elif row.source != DaySource.MANUAL:
            # A row another year's notice set (e.g. a late-December day): this notice wins.
            for key, value in fields.items():
                setattr(row, key, value)
            row.updated_at = timezone.now()  # bulk_update does not touch auto_now fields
            to_update.append(row)
    CalendarDay.objects.bulk_create(to_create)
    if to_update:
        CalendarDay.objects.bulk_update(to_update, ["kind", "name", "source", "import_year", "updated_by", "note",
                                                   "updated_at"])
    outcome = ImportOutcome(year=year, stored=len(to_create) + len(to_update), replaced=replaced,
                            kept_manual=kept_manual)
    audit_record(
        "calendar.import", request=request, actor=user, object_type="workdays.calendarday",
        object_id=str(year), object_repr=f"{year}",
        detail={"year": year, "stored": outcome.stored, "replaced": replaced,
                "kept_manual": [d.isoformat() for d in kept_manual]},
    )
    return outcome
