"""The escalation ladder's pure rule: which step is due at a moment, across holidays,
adjusted working days (调休上班) and outside working hours."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiaoneng.core.workdays.services import WorkingCalendar
from xiaoneng.feedback.escalation.ladder import LadderDecision, LadderStep, steps_due

ZONE = ZoneInfo("Asia/Shanghai")
CAL = WorkingCalendar({}, [])  # the built-in official calendar, no office rows
DEFAULT = [LadderStep("reminder", -1), LadderStep("urge", 1), LadderStep("blue", 2), LadderStep("orange", 4),
           LadderStep("red", 6), LadderStep("report", 8)]


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59, 999999), tzinfo=ZONE)


def at(day: str, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=ZONE)


def decide(due: str, now: dt.datetime, recorded=(), steps=DEFAULT) -> tuple[str | None, list[str]]:
    decision = steps_due(steps=steps, due_at=end_of(dt.date.fromisoformat(due)), now=now, calendar=CAL,
                         recorded=set(recorded), zone=ZONE)
    return (decision.send.code if decision.send else None), [s.code for s in decision.skip]


# Due Wednesday 2026-09-30, just before the National Day break (10-01..10-07 off, Saturday 10-10
# worked): reminder 09-29, urging notice 10-08, blue 10-09, orange 10-12 (+3 is Saturday 10-10),
# red 10-14, circulated-criticism proposal 10-16.
@pytest.mark.parametrize(("now", "recorded", "expected"), [
    (at("2026-09-28", 10), (), (None, [])),                     # two working days before: nothing yet
    (at("2026-09-29", 7, 59), (), (None, [])),                  # the reminder's day, before working hours
    (at("2026-09-29", 8, 0), (), ("reminder", [])),
    (at("2026-09-29", 17, 59), (), ("reminder", [])),
    (at("2026-09-29", 18, 0), (), (None, [])),                  # after working hours
    (at("2026-09-29", 10), ("reminder",), (None, [])),          # already sent: never twice
    (at("2026-09-30", 11), ("reminder",), (None, [])),          # the due day itself: nothing new
    (at("2026-10-01", 10), ("reminder",), (None, [])),          # National Day: nothing is sent
    (at("2026-10-07", 10), ("reminder",), (None, [])),
    (at("2026-10-08", 9), ("reminder",), ("urge", [])),         # first working day after the deadline
    (at("2026-10-08", 9), (), ("urge", ["reminder"])),          # a missed reminder is not sent late
    (at("2026-10-09", 9), ("reminder", "urge"), ("blue", [])),
    (at("2026-10-10", 9), ("reminder", "urge", "blue"), (None, [])),     # Saturday, worked: orange is on 10-12
    (at("2026-10-10", 9), ("reminder", "urge"), ("blue", [])),           # … but a due blue goes out that Saturday
    (at("2026-10-11", 9), ("reminder", "urge"), (None, [])),             # Sunday off
    (at("2026-10-12", 9), ("reminder", "urge", "blue"), ("orange", [])),
    (at("2026-10-14", 9), ("reminder", "urge", "blue", "orange"), ("red", [])),
    (at("2026-10-16", 9), ("reminder", "urge", "blue", "orange", "red"), ("report", [])),
    (at("2026-10-20", 9), ("reminder", "urge"), ("report", ["blue", "orange", "red"])),  # the worker was down
    (at("2026-10-20", 9), ("reminder", "urge", "blue", "orange", "red", "report"), (None, [])),
])
def test_ladder_table_around_the_national_day(now, recorded, expected):
    assert decide("2026-09-30", now, recorded) == expected


def test_an_extension_keeps_what_was_sent_and_later_steps_follow_the_new_deadline():
    sent = ("reminder", "urge", "blue")  # under the first deadline 2026-09-30
    # Extended to Friday 2026-10-16: orange is 4 working days later, Thursday 10-22.
    assert decide("2026-10-16", at("2026-10-15", 10), sent) == (None, [])   # no second reminder
    assert decide("2026-10-16", at("2026-10-20", 10), sent) == (None, [])   # no second urging notice
    assert decide("2026-10-16", at("2026-10-21", 10), sent) == (None, [])
    assert decide("2026-10-16", at("2026-10-22", 10), sent) == ("orange", [])


def test_a_reminder_that_is_the_only_step_due_after_the_deadline_is_skipped_not_sent():
    steps = [LadderStep("reminder", 0), LadderStep("urge", 3)]
    # Due 2026-11-20 (Friday); Monday 11-23 the reminder's day is past and the deadline too.
    assert decide("2026-11-20", at("2026-11-23", 9), (), steps) == (None, ["reminder"])
    assert decide("2026-11-20", at("2026-11-20", 9), (), steps) == ("reminder", [])


def test_spring_festival_moves_every_step_past_the_holiday():
    # Due Friday 2026-02-13; 2026-02-14 (Saturday) is worked, then Spring Festival 02-15..02-23.
    assert decide("2026-02-13", at("2026-02-14", 9), ("reminder",)) == ("urge", [])
    assert decide("2026-02-13", at("2026-02-16", 9), ("reminder", "urge")) == (None, [])
    assert decide("2026-02-13", at("2026-02-24", 9), ("reminder", "urge")) == ("blue", [])


def test_a_manual_office_day_off_stops_the_ladder_that_day():
    calendar = WorkingCalendar({dt.date(2026, 11, 24): ("holiday", "台风停工", "manual")}, [])
    decision = steps_due(steps=DEFAULT, due_at=end_of(dt.date(2026, 11, 23)), now=at("2026-11-24", 10),
                         calendar=calendar, recorded={"reminder"}, zone=ZONE)
    assert decision == LadderDecision()
    decision = steps_due(steps=DEFAULT, due_at=end_of(dt.date(2026, 11, 23)), now=at("2026-11-25", 10),
                         calendar=calendar, recorded={"reminder"}, zone=ZONE)
    assert decision.send == LadderStep("urge", 1)


# --- properties --------------------------------------------------------------------------------
working_dates = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 10, 31)).filter(CAL.is_working_day)
offset_gaps = st.lists(st.integers(min_value=1, max_value=4), min_size=5, max_size=5)


def ladder_from(first: int, gaps: list[int]) -> list[LadderStep]:
    codes = ["urge", "blue", "orange", "red", "report"]
    offsets, value = [], first
    for gap in gaps:
        offsets.append(value)
        value += gap
    return [LadderStep("reminder", -1)] + [LadderStep(code, off) for code, off in zip(codes, offsets, strict=True)]


@settings(max_examples=40, deadline=None)
@given(due=working_dates, first=st.integers(min_value=1, max_value=3), gaps=offset_gaps,
       hours=st.lists(st.integers(min_value=0, max_value=23), min_size=1, max_size=4, unique=True))
def test_scanning_every_day_sends_each_step_once_in_order_on_its_day_and_only_in_working_hours(due, first, gaps,
                                                                                               hours):
    steps = ladder_from(first, gaps)
    due_at = end_of(due)
    recorded: dict[str, dt.datetime] = {}
    skipped: list[str] = []
    day = due - dt.timedelta(days=10)
    while day <= due + dt.timedelta(days=60):
        for hour in sorted(hours):
            now = dt.datetime.combine(day, dt.time(hour, 17), tzinfo=ZONE)
            decision = steps_due(steps=steps, due_at=due_at, now=now, calendar=CAL, recorded=set(recorded),
                                 zone=ZONE)
            if decision.send is None and not decision.skip:
                continue
            assert CAL.is_working_day(day) and 8 <= hour < 18
            for step in decision.skip:
                assert step.code not in recorded
                recorded[step.code] = now
                skipped.append(step.code)
            if decision.send:
                assert decision.send.code not in recorded
                assert CAL.add_working_days(due, decision.send.offset) <= day
                recorded[decision.send.code] = now
        day += dt.timedelta(days=1)
    working_hours_scanned = any(8 <= h < 18 for h in hours)
    if working_hours_scanned:
        # Every step went out, in ladder order, each on its own working day, none skipped.
        assert list(recorded) == [s.code for s in steps]
        assert skipped == []
        for step in steps:
            assert recorded[step.code].date() == CAL.add_working_days(due, step.offset)
    else:
        assert recorded == {}


@settings(max_examples=60, deadline=None)
@given(due=working_dates, now_day=st.integers(min_value=-15, max_value=40), hour=st.integers(0, 23),
       recorded=st.sets(st.sampled_from([s.code for s in DEFAULT])))
def test_never_a_step_at_or_below_one_already_recorded(due, now_day, hour, recorded):
    now = dt.datetime.combine(due + dt.timedelta(days=now_day), dt.time(hour), tzinfo=ZONE)
    decision = steps_due(steps=DEFAULT, due_at=end_of(due), now=now, calendar=CAL, recorded=recorded, zone=ZONE)
    codes = [s.code for s in DEFAULT]
    top = max((codes.index(code) for code in recorded), default=-1)
    for step in (*decision.skip, *([decision.send] if decision.send else [])):
        assert codes.index(step.code) > top
    if decision.send or decision.skip:
        assert CAL.is_working_day(now.date()) and 8 <= hour < 18
