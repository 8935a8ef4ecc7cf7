"""Deadline arithmetic of cases on China's working-day calendar (hypothesis over holidays and 调休)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xiaoneng.core.workdays.services import working_calendar
from xiaoneng.feedback.models import Case, CaseStatus
from xiaoneng.feedback.selectors import case_clock
from xiaoneng.feedback.services import case_deadlines_compute

ZONE = ZoneInfo("Asia/Shanghai")
# Years the chinese_calendar package knows: holidays and adjusted working days are real there.
DATES = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 11, 30))
TIMES = st.times()
PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture
def cal(db):
    return working_calendar()


def _case(received: dt.datetime, *, accepted: dt.datetime | None = None, **fields) -> Case:
    values = {"kind": "complaint", "received_at": received, "accepted_at": accepted, "accept_days": 1,
              "reply_days": 5, "close_days": 15, "status": CaseStatus.RECEIVED}
    values.update(fields)
    return Case(**values)


@PROPS
@given(day=DATES, at=TIMES, days=st.integers(min_value=1, max_value=20))
def test_accept_deadline_is_n_working_days_counted_from_the_next_working_day(cal, day, at, days):
    received = dt.datetime.combine(day, at, tzinfo=ZONE)
    due = case_deadlines_compute(_case(received, accept_days=days), calendar=cal)["accept_due"]
    assert cal.is_working_day(due)
    assert due > day
    assert cal.working_days_between(day, due) == days
    # the day before the due date leaves one working day short
    assert cal.working_days_between(day, due - dt.timedelta(days=1)) == days - 1


@PROPS
@given(day=DATES, reply=st.integers(1, 15), extra=st.integers(0, 15), ext=st.integers(0, 10),
       paused=st.integers(0, 10))
def test_reply_and_close_count_extensions_and_pauses_in_working_days(cal, day, reply, extra, ext, paused):
    accepted = dt.datetime.combine(day, dt.time(10), tzinfo=ZONE)
    case = _case(accepted, accepted=accepted, reply_days=reply, close_days=reply + extra, reply_extension_days=ext,
                 close_extension_days=ext, paused_working_days=paused)
    due = case_deadlines_compute(case, calendar=cal)
    assert cal.working_days_between(day, due["reply_due"]) == reply + ext + paused
    assert cal.working_days_between(day, due["close_due"]) == reply + extra + ext + paused
    assert due["close_due"] >= due["reply_due"]


@PROPS
@given(day=DATES, paused=st.integers(1, 10), ext=st.integers(1, 10))
def test_a_pause_is_kept_when_deadlines_are_recomputed_after_an_extension(cal, day, paused, ext):
    accepted = dt.datetime.combine(day, dt.time(10), tzinfo=ZONE)
    case = _case(accepted, accepted=accepted, paused_working_days=paused)
    with_pause = case_deadlines_compute(case, calendar=cal)["reply_due"]
    case.reply_extension_days = ext
    recomputed = case_deadlines_compute(case, calendar=cal)["reply_due"]
    assert cal.working_days_between(with_pause, recomputed) == ext
    case.paused_working_days = 0
    assert cal.working_days_between(case_deadlines_compute(case, calendar=cal)["reply_due"], recomputed) == paused


@PROPS
@given(day=DATES, hours=st.integers(0, 24 * 40))
def test_colour_is_red_only_after_the_due_day_and_yellow_within_one_working_day(cal, day, hours):
    received = dt.datetime.combine(day, dt.time(9), tzinfo=ZONE)
    case = _case(received, accept_days=3)
    case.accept_due = case_deadlines_compute(case, calendar=cal)["accept_due"]
    now = received + dt.timedelta(hours=hours)
    clock = case_clock(case, now=now, calendar=cal)
    today = now.astimezone(ZONE).date()
    if today > case.accept_due:
        assert clock.colour == "red"
    elif cal.working_days_between(today, case.accept_due) <= 1:
        assert clock.colour == "yellow"
    else:
        assert clock.colour == "green"


@pytest.mark.parametrize(("received", "days", "due"), [
    (dt.date(2025, 9, 26), 5, dt.date(2025, 10, 10)),   # Friday before National Day: after the break
    (dt.date(2025, 9, 27), 1, dt.date(2025, 9, 28)),    # Saturday → Sunday 9/28 is an adjusted working day
    (dt.date(2025, 1, 24), 3, dt.date(2025, 2, 5)),     # Spring Festival: Sunday 1/26 worked, 1/28–2/4 off
    (dt.date(2026, 9, 30), 1, dt.date(2026, 10, 8)),    # National Day 2026: 10/1–10/7 off
])
def test_known_holiday_cases(cal, received, days, due):
    at = dt.datetime.combine(received, dt.time(16, 30), tzinfo=ZONE)
    assert case_deadlines_compute(_case(at, accept_days=days), calendar=cal)["accept_due"] == due


def test_a_day_the_office_sets_by_hand_moves_the_deadline(db, office):
    from xiaoneng.core.workdays.services import calendar_day_set

    received = dt.datetime(2026, 11, 16, 9, tzinfo=ZONE)  # Monday
    before = case_deadlines_compute(_case(received))["accept_due"]
    assert before == dt.date(2026, 11, 17)
    calendar_day_set(day=dt.date(2026, 11, 17), kind="holiday", name="临时休假", user=office)
    assert case_deadlines_compute(_case(received))["accept_due"] == dt.date(2026, 11, 18)


def test_paused_case_has_no_colour(db):
    received = dt.datetime(2026, 11, 16, 9, tzinfo=ZONE)
    case = _case(received, status=CaseStatus.IN_PROGRESS, accepted=received, paused_since=received)
    case.reply_due = dt.date(2026, 11, 17)
    clock = case_clock(case, now=dt.datetime(2026, 12, 1, tzinfo=ZONE))
    assert clock.paused and clock.colour == "none" and clock.stage == "reply"
