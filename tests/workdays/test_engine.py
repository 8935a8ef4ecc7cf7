"""The working-day engine: official holidays, adjusted working days, counting and overrides."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiaoneng.core.workdays import services
from xiaoneng.core.workdays.services import (
    add_working_days,
    calendar_known_until,
    day_info,
    due_date_with_holiday_shift,
    is_calendar_known,
    is_working_day,
    is_working_time,
    next_working_day,
    working_days_between,
    working_deadline,
)

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db

# Dates from the package's first year into years nobody knows yet (the weekends-only fallback).
any_date = st.dates(min_value=D(2004, 1, 1), max_value=D(2029, 12, 31))
property_settings = settings(max_examples=300, deadline=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture])


# --- properties -----------------------------------------------------------------------------
@property_settings
@given(start=any_date, n=st.integers(min_value=1, max_value=40))
def test_adding_n_working_days_lands_on_a_working_day_with_exactly_n_working_days_after_start(start, n):
    result = add_working_days(start, n)
    assert is_working_day(result)
    between = [start + dt.timedelta(days=i) for i in range(1, (result - start).days + 1)]
    assert sum(is_working_day(d) for d in between) == n


@property_settings
@given(start=any_date, n=st.integers(min_value=1, max_value=40))
def test_working_days_between_counts_back_what_add_working_days_added(start, n):
    result = add_working_days(start, n)
    assert working_days_between(start, result) == n
    assert working_days_between(result, start) == -n


@property_settings
@given(start=any_date)
def test_zero_working_days_is_the_next_working_day_with_none_in_between(start):
    result = add_working_days(start, 0)
    assert result == next_working_day(start)
    assert working_days_between(start, result) == (0 if result == start else 1)


@property_settings
@given(day=any_date)
def test_next_working_day_is_idempotent_and_never_earlier(day):
    once = next_working_day(day)
    assert next_working_day(once) == once
    assert once >= day
    assert is_working_day(once)
    assert all(not is_working_day(day + dt.timedelta(days=i)) for i in range((once - day).days))


@property_settings
@given(start=any_date, n=st.integers(min_value=1, max_value=30))
def test_counting_back_n_working_days_leaves_exactly_n_working_days_before_start(start, n):
    result = add_working_days(start, -n)
    assert is_working_day(result)
    span = [result + dt.timedelta(days=i) for i in range((start - result).days)]
    assert sum(is_working_day(d) for d in span) == n


# --- the official calendar of 2024, 2025 and 2026 -----------------------------------------------
@pytest.mark.parametrize(("day", "working", "name"), [
    (D(2025, 1, 26), True, "春节"),       # Sunday worked before the Spring Festival
    (D(2025, 1, 28), False, "春节"),
    (D(2025, 2, 4), False, "春节"),
    (D(2025, 2, 8), True, "春节"),        # Saturday worked after it
    (D(2025, 9, 28), True, "国庆节"),     # Sunday worked before National Day
    (D(2025, 10, 3), False, "国庆节"),
    (D(2025, 10, 6), False, "中秋节"),
    (D(2025, 10, 8), False, "国庆节"),
    (D(2025, 10, 11), True, "国庆节"),    # Saturday worked after it
    (D(2026, 2, 14), True, "春节"),
    (D(2026, 2, 16), False, "春节"),
    (D(2026, 2, 23), False, "春节"),      # a Monday, still off
    (D(2026, 2, 24), True, ""),
    (D(2026, 2, 28), True, "春节"),
    (D(2026, 9, 20), True, "国庆节"),
    (D(2026, 9, 25), False, "中秋节"),
    (D(2026, 10, 7), False, "国庆节"),
    (D(2026, 10, 10), True, "国庆节"),
])
def test_holidays_and_adjusted_working_days_follow_the_official_calendar(day, working, name):
    info = day_info(day)
    assert is_working_day(day) is working
    assert info.name == name
    assert info.is_known


def test_five_working_days_from_the_friday_before_national_day_2024_end_after_the_break():
    # 9-29 (Sunday, worked) is day 1, 9-30 day 2, then 10-8, 10-9, 10-10.
    assert add_working_days(D(2024, 9, 27), 5) == D(2024, 10, 10)


def test_five_working_days_from_the_friday_before_national_day_2025_end_after_the_break():
    assert add_working_days(D(2025, 9, 26), 5) == D(2025, 10, 10)


def test_a_deadline_across_the_2025_spring_festival_counts_the_worked_sunday():
    assert add_working_days(D(2025, 1, 24), 1) == D(2025, 1, 26)
    assert add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)


def test_a_deadline_across_the_2026_spring_festival_skips_the_whole_break():
    assert add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert add_working_days(D(2026, 2, 13), 2) == D(2026, 2, 24)


def test_zero_working_days_is_the_start_if_it_is_a_working_day_else_the_next_one():
    assert add_working_days(D(2025, 9, 30), 0) == D(2025, 9, 30)
    assert add_working_days(D(2025, 10, 1), 0) == D(2025, 10, 9)


def test_a_report_sent_the_day_after_the_break_is_late_by_one_working_day():
    assert working_days_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert working_days_between(D(2025, 10, 9), D(2025, 9, 30)) == -1
    assert working_days_between(D(2025, 10, 9), D(2025, 10, 9)) == 0


def test_a_due_date_on_a_holiday_moves_to_the_next_working_day_unless_the_obligation_says_not():
    assert due_date_with_holiday_shift(D(2025, 10, 5)) == D(2025, 10, 9)
    assert due_date_with_holiday_shift(D(2025, 10, 5), shift=False) == D(2025, 10, 5)
    assert due_date_with_holiday_shift(D(2025, 10, 9)) == D(2025, 10, 9)


def test_counting_back_gives_the_working_day_before_a_break():
    assert add_working_days(D(2025, 10, 9), -1) == D(2025, 9, 30)


def test_an_absurd_number_of_working_days_is_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 1, 1), 50_000)


# --- outside the known years ----------------------------------------------------------------------
def test_the_calendar_is_known_until_the_last_year_the_package_covers():
    assert calendar_known_until() == D(services.PACKAGE_LAST_YEAR, 12, 31)


def test_an_unknown_year_falls_back_to_weekends_and_says_so():
    monday, saturday = D(2031, 1, 6), D(2031, 1, 4)
    assert is_working_day(monday) and not is_working_day(saturday)
    assert not is_calendar_known(monday)
    assert day_info(monday).is_known is False
    assert add_working_days(D(2031, 1, 3), 1) == monday


def test_a_deadline_beyond_the_known_calendar_is_marked_as_an_estimate():
    last = calendar_known_until()
    inside = working_deadline(dt.datetime(2025, 9, 26, 20, 0, tzinfo=SHANGHAI), 5)
    assert inside.due_date == D(2025, 10, 10) and not inside.is_estimate
    assert inside.due_at == dt.datetime(2025, 10, 10, 23, 59, 59, 999999, tzinfo=SHANGHAI)
    beyond = working_deadline(last - dt.timedelta(days=3), 10)
    assert beyond.due_date > last and beyond.is_estimate


def test_a_case_received_after_midnight_beijing_time_counts_from_the_beijing_day():
    # Monday 16:30 UTC is Tuesday 00:30 in Beijing: day 1 is Wednesday, not Tuesday.
    received = dt.datetime(2025, 10, 13, 16, 30, tzinfo=dt.UTC)
    assert working_deadline(received, 1).due_date == D(2025, 10, 15)


# --- working time --------------------------------------------------------------------------------
@pytest.mark.parametrize(("moment", "expected"), [
    (dt.datetime(2025, 10, 9, 9, 0, tzinfo=SHANGHAI), True),
    (dt.datetime(2025, 10, 9, 7, 59, tzinfo=SHANGHAI), False),
    (dt.datetime(2025, 10, 9, 18, 0, tzinfo=SHANGHAI), False),
    (dt.datetime(2025, 10, 9, 1, 30, tzinfo=dt.UTC), True),   # 09:30 in Beijing
    (dt.datetime(2025, 10, 3, 10, 0, tzinfo=SHANGHAI), False),  # National Day
    (dt.datetime(2025, 9, 28, 10, 0, tzinfo=SHANGHAI), True),   # a worked Sunday
])
def test_reminders_go_out_only_on_working_days_within_working_hours(moment, expected):
    assert is_working_time(moment) is expected


def test_working_hours_come_from_settings(settings):
    settings.WORKING_HOURS = (9, 17)
    assert not is_working_time(dt.datetime(2025, 10, 9, 8, 30, tzinfo=SHANGHAI))
    assert is_working_time(dt.datetime(2025, 10, 9, 16, 30, tzinfo=SHANGHAI))
    assert not is_working_time(dt.datetime(2025, 10, 9, 17, 0, tzinfo=SHANGHAI))


# --- the office's changes ---------------------------------------------------------------------------
def test_a_day_the_office_marks_as_holiday_changes_deadlines_immediately(set_day):
    # Warm this process's copy first, so the change must invalidate it.
    assert add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)
    set_day(D(2026, 3, 9), "holiday", "临时停工")
    assert not is_working_day(D(2026, 3, 9))
    assert add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 10)
    assert day_info(D(2026, 3, 9)).source == "manual"


def test_a_weekend_the_office_marks_as_working_becomes_an_adjusted_working_day(set_day):
    row = set_day(D(2026, 3, 7), "workday", "补班")
    assert row.kind == "adjusted_workday"
    assert is_working_day(D(2026, 3, 7))


def test_restoring_a_day_brings_back_the_official_calendar(set_day, office):
    set_day(D(2025, 10, 3), "workday")
    assert is_working_day(D(2025, 10, 3))
    assert services.calendar_day_reset(day=D(2025, 10, 3), user=office)
    assert not is_working_day(D(2025, 10, 3))
    assert day_info(D(2025, 10, 3)).name == "国庆节"


def test_every_change_of_a_day_is_audited_with_before_and_after(set_day):
    from xiaoneng.core.audit.models import AuditEvent

    set_day(D(2026, 3, 9), "holiday", "临时停工")
    event = AuditEvent.objects.filter(action="calendar.change").get()
    assert event.actor_name == "office_wang"
    assert event.detail["before"]["kind"] == "workday"
    assert event.detail["after"] == {"kind": "holiday", "name": "临时停工", "source": "manual"}


def test_a_change_written_by_another_process_is_seen_on_the_next_call():
    from xiaoneng.core.workdays.models import CalendarDay

    assert is_working_day(D(2026, 3, 9))
    # Another web server or worker writes the row and bumps the version; this process's copy is stale.
    CalendarDay.objects.create(date=D(2026, 3, 9), kind="holiday", source="manual")
    services._bump_version()
    assert not is_working_day(D(2026, 3, 9))


def test_a_year_of_deadlines_costs_one_query_per_call(django_assert_max_num_queries):
    services.working_calendar()
    with django_assert_max_num_queries(1):
        add_working_days(D(2025, 1, 1), 250)
