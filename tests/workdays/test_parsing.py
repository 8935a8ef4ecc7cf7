"""Reading the State Council's holiday notice and the simple CSV format."""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xiaoneng.core.workdays.parsing import ScheduleParseError, parse_schedule
from xiaoneng.core.workdays.services import WorkingCalendar

from .conftest import days_of, notice_text

D = dt.date


def calendar_from(schedule) -> WorkingCalendar:
    """The calendar the engine would use with only this schedule imported."""
    return WorkingCalendar({d.date: (d.kind, d.name, "import") for d in schedule.days}, [schedule.year])


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_published_notice_gives_the_same_working_days_as_the_package(year):
    calendar = calendar_from(parse_schedule(notice_text(year), year))
    differences = [d for d in days_of(year) if calendar.is_working_day(d) != chinese_calendar.is_workday(d)]
    assert differences == []


def test_the_2025_notice_is_read_holiday_by_holiday():
    schedule = parse_schedule(notice_text(2025), 2025)
    by_name = {h.name: h for h in schedule.holidays}
    assert list(by_name) == ["元旦", "春节", "清明节", "劳动节", "端午节", "国庆节、中秋节"]
    assert by_name["元旦"].days_off == [D(2025, 1, 1)]
    assert by_name["春节"].off_ranges() == [(D(2025, 1, 28), D(2025, 2, 4))]
    assert by_name["春节"].working_days == [D(2025, 1, 26), D(2025, 2, 8)]
    assert by_name["劳动节"].working_days == [D(2025, 4, 27)]
    assert by_name["端午节"].off_ranges() == [(D(2025, 5, 31), D(2025, 6, 2))]
    assert by_name["国庆节、中秋节"].working_days == [D(2025, 9, 28), D(2025, 10, 11)]
    assert len(by_name["国庆节、中秋节"].days_off) == 8


def test_the_2026_notice_reads_a_range_whose_end_has_no_month_and_lunar_remarks():
    schedule = parse_schedule(notice_text(2026), 2026)
    spring = next(h for h in schedule.holidays if h.name == "春节")
    assert spring.off_ranges() == [(D(2026, 2, 15), D(2026, 2, 23))]
    assert spring.working_days == [D(2026, 2, 14), D(2026, 2, 28)]
    kinds = {d.date: d.kind for d in schedule.days}
    assert kinds[D(2026, 1, 4)] == "adjusted_workday"
    assert kinds[D(2026, 10, 7)] == "holiday"


def test_a_notice_may_set_days_of_the_previous_december():
    text = ("一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。"
            "二、春节：2月4日至10日放假调休，共7天。2月2日（星期六）、2月3日（星期日）上班。")
    schedule = parse_schedule(text, 2019)
    kinds = {d.date: d.kind for d in schedule.days}
    assert kinds[D(2018, 12, 29)] == "adjusted_workday"
    assert kinds[D(2018, 12, 30)] == "holiday"
    assert kinds[D(2019, 2, 10)] == "holiday"


def test_lines_without_numbered_sections_are_read_one_holiday_per_line():
    schedule = parse_schedule("元旦：1月1日放假\n春节：2月15日至23日放假，2月14日上班", 2026)
    assert [h.name for h in schedule.holidays] == ["元旦", "春节"]
    assert schedule.holidays[1].working_days == [D(2026, 2, 14)]


@pytest.mark.parametrize(("text", "year", "fragment"), [
    ("", 2026, "粘贴"),
    ("   ", 2026, "粘贴"),
    ("一、春节：2月30日放假。", 2026, "2月30日"),
    ("一、春节：2月23日至15日放假。", 2026, "颠倒"),
    ("一、春节：2月15日至23日放假调休，共8天。", 2026, "8"),
    ("一、元旦：1月1日至3日放假，共3天。1月4日（周日）上班。", 2027, "1月4日"),  # 2027-01-04 is a Monday
    ("国务院办公厅关于2026年部分节假日安排的通知 一、元旦：1月1日放假。", 2027, "2026"),
    ("一、春节：2月15日至23日。", 2026, "2月15日"),
    ("一、春节：9日放假。", 2026, "9日"),
    ("一、春节：2月14日放假。2月14日上班。", 2026, "2月14日"),
    ("今年的安排另行通知。", 2026, ""),
])
def test_bad_notices_are_refused_with_a_reason(text, year, fragment):
    with pytest.raises(ScheduleParseError) as raised:
        parse_schedule(text, year)
    assert fragment in str(raised.value)
    assert str(raised.value).strip()


def test_a_csv_of_dates_kinds_and_names_is_read():
    text = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-06,班,春节\n2027-02-07,休,春节\n2027-03-01,workday,\n"
    schedule = parse_schedule(text, 2027)
    assert schedule.format == "csv"
    assert [(d.date, d.kind) for d in schedule.days] == [
        (D(2027, 1, 1), "holiday"), (D(2027, 2, 6), "adjusted_workday"), (D(2027, 2, 7), "holiday"),
        (D(2027, 3, 1), "workday"),
    ]


def test_a_csv_workday_on_a_weekend_is_an_adjusted_working_day():
    schedule = parse_schedule("2027-02-06,workday,春节", 2027)
    assert schedule.days[0].kind == "adjusted_workday"


@pytest.mark.parametrize(("text", "fragment"), [
    ("2027-01-01,holiday,元旦\n2027-13-01,holiday,x", "2027-13-01"),
    ("2027-01-01,holiday,元旦\n2027-01-02,maybe,x", "maybe"),
    ("2027-01-01,holiday\n2027-01-04,workday\n2027-01-01,workday", "1月1日"),
    ("2020-01-01,holiday,元旦", "2020-01-01"),
])
def test_a_bad_csv_is_refused_naming_the_line(text, fragment):
    with pytest.raises(ScheduleParseError) as raised:
        parse_schedule(text, 2027)
    assert fragment in str(raised.value)


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("0123456789年月日至到-、，。；：:（）()一二三放假上班休息共天春节\n ,"))),
       year=st.integers(min_value=2000, max_value=2100))
def test_any_text_is_read_or_refused_with_a_reason_never_crashes(text, year):
    try:
        schedule = parse_schedule(text, year)
    except ScheduleParseError as error:
        assert str(error)
    else:
        assert schedule.days
