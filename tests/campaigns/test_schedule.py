"""Schedule rules: every generated due date satisfies its rule."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from xiaoneng.campaigns.schedule import AnchorDate, Frequency, Rule, Window, occurrences


class WeekendCalendar:
    """Weekends off, plus a few holidays, to test shifting without the database."""

    holidays = {date(2009, 10, 1), date(2009, 10, 2), date(2009, 10, 5)}

    def is_working_day(self, day):
        return day.weekday() < 5 and day not in self.holidays

    def next_working_day(self, day):
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def add_working_days(self, start, days):
        day = start
        for _ in range(days):
            day = self.next_working_day(day + timedelta(days=1))
        return day if days else self.next_working_day(day)


CAL = WeekendCalendar()


def test_monthly_report_by_the_fifth_covers_the_previous_month():
    window = Window(date(2009, 2, 1), date(2009, 12, 31))
    occ = occurrences(Rule(Frequency.MONTHLY, day=5), window, CAL)
    assert [o.key for o in occ][:2] == ["2009-02", "2009-03"]
    # February's report is due 5 March 2009 (a Thursday).
    assert occ[0].due == date(2009, 3, 5)
    assert occ[0].period_start == date(2009, 2, 1) and occ[0].period_end == date(2009, 2, 28)
    # October's report: 5 November 2009 is a Thursday.
    assert occ[8].key == "2009-10" and occ[8].due == date(2009, 11, 5)
    assert len(occ) == 11


def test_due_date_on_a_holiday_moves_to_the_next_working_day_unless_told_otherwise():
    # September's report due 1 October 2009 (a holiday) → Tuesday 6 October.
    window = Window(date(2009, 9, 1), date(2009, 9, 30))
    assert occurrences(Rule(Frequency.MONTHLY, day=1), window, CAL)[0].due == date(2009, 10, 6)
    assert occurrences(Rule(Frequency.MONTHLY, day=1, shift_holidays=False), window, CAL)[0].due == date(2009, 10, 1)


def test_yearly_on_named_months_gives_one_item_per_month_named():
    window = Window(date(2008, 3, 1), date(2008, 12, 31))
    occ = occurrences(Rule(Frequency.YEARLY, months=(7, 12)), window, CAL)
    assert [o.key for o in occ] == ["2008-07", "2008-12"]
    assert occ[0].due == date(2008, 7, 31)


def test_relative_to_every_phase_end_within_a_week():
    anchors = [AnchorDate("phase_end", 1, "宣传发动阶段", date(2008, 4, 30)),
               AnchorDate("phase_end", 2, "组织实施阶段", date(2008, 10, 31))]
    window = Window(date(2008, 3, 1), date(2008, 12, 31), anchors)
    occ = occurrences(Rule(Frequency.RELATIVE, anchor="phase_end", offset=7), window, CAL)
    assert [o.key for o in occ] == ["phase_end:1:end", "phase_end:2:end"]
    assert occ[0].due == date(2008, 5, 7)


def test_relative_working_days_skip_the_national_day_holidays():
    anchors = [AnchorDate("phase_end", 1, "阶段", date(2009, 9, 30))]
    window = Window(date(2009, 9, 1), date(2009, 12, 31), anchors)
    occ = occurrences(Rule(Frequency.RELATIVE, anchor="phase_end", offset=3, working_days=True), window, CAL)
    # 1, 2 Oct holidays, 3-4 weekend, 5 holiday: the working days are 6, 7, 8 October.
    assert occ[0].due == date(2009, 10, 8)


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)),
    months=st.integers(min_value=0, max_value=30),
    day=st.one_of(st.none(), st.integers(min_value=1, max_value=31)),
    freq=st.sampled_from([Frequency.MONTHLY, Frequency.QUARTERLY, Frequency.HALF_YEARLY]),
    shift=st.booleans(),
)
def test_every_periodic_due_date_satisfies_its_rule(start, months, day, freq, shift):
    end = start + timedelta(days=months * 30)
    occ = occurrences(Rule(freq, day=day, shift_holidays=shift), Window(start, end), CAL)
    assert occ, "a window always overlaps at least one period"
    keys = [o.key for o in occ]
    assert len(keys) == len(set(keys))
    for o in occ:
        assert o.period_start <= end and o.period_end >= start
        # Due in the month after the period ends, on the day named (or the month's last day)...
        nominal_month = (o.period_end + timedelta(days=1))
        if shift:
            assert CAL.is_working_day(o.due)
            assert o.due >= nominal_month
        else:
            assert (o.due.year, o.due.month) == (nominal_month.year, nominal_month.month)
            if day is not None and day <= 28:
                assert o.due.day == day
