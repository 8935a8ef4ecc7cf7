"""The office's calendar screens: the year, setting a day, importing a schedule, the warning."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xiaoneng.core.audit.models import AuditEvent
from xiaoneng.core.workdays.models import CalendarDay
from xiaoneng.core.workdays.services import calendar_known_until, is_working_day

from .conftest import notice_text

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def cell(html: str, day: D) -> str:
    """The table cell of ``day`` in the year page."""
    start = html.index(f'data-date="{day.isoformat()}"')
    return html[html.rindex("<td", 0, start): html.index("</td>", start)]


def test_the_office_sees_twelve_months_with_holidays_and_adjusted_working_days(client_for, office):
    response = client_for(office).get(reverse("workdays:year_of", args=[2025]))
    assert response.status_code == 200
    html = response.content.decode()
    assert all(f'data-testid="month-{m}"' in html for m in range(1, 13))
    assert 'data-kind="holiday"' in cell(html, D(2025, 10, 3))
    assert "国庆节" in cell(html, D(2025, 10, 3))
    assert 'data-kind="adjusted_workday"' in cell(html, D(2025, 9, 28))
    assert 'data-kind="weekend"' in cell(html, D(2025, 3, 1))
    assert 'data-kind="workday"' in cell(html, D(2025, 3, 3))
    assert "春节" in html  # the month's summary names the holiday


def test_the_calendar_page_defaults_to_this_year_and_is_in_the_office_menu(client_for, office):
    with time_machine.travel(dt.datetime(2026, 5, 1, 9, tzinfo=SHANGHAI), tick=False):
        response = client_for(office).get(reverse("workdays:year"))
    assert response.status_code == 200
    assert response.context["year"] == 2026
    assert any(item["url"] == reverse("workdays:year") for item in response.context["nav_items"])


def test_a_year_nobody_knows_yet_is_shown_as_a_weekends_only_guess(client_for, office):
    response = client_for(office).get(reverse("workdays:year_of", args=[2031]))
    assert response.status_code == 200
    assert 'data-testid="year-unknown"' in response.content.decode()


@pytest.mark.parametrize("persona", ["liaison_a", "leader_a", "inspector", "bureau_leader", "system_admin",
                                     "audit_admin"])
def test_only_the_office_may_open_or_change_the_calendar(request, client_for, persona):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("workdays:year")).status_code == 403
    assert client.get(reverse("workdays:year_of", args=[2025])).status_code == 403
    assert client.get(reverse("workdays:import")).status_code == 403
    response = client.post(reverse("workdays:day_set"), {"date": "2026-03-09", "kind": "holiday"})
    assert response.status_code == 403
    assert client.post(reverse("workdays:import"), {"year": 2025, "text": notice_text(2025),
                                                    "action": "confirm"}).status_code == 403
    assert not CalendarDay.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("workdays:year"))
    assert response.status_code == 302
    assert reverse("security:login") in response["Location"]


def test_the_office_marks_a_day_as_holiday_and_deadlines_follow(client_for, office):
    client = client_for(office)
    response = client.post(reverse("workdays:day_set"),
                           {"date": "2026-03-09", "kind": "holiday", "name": "临时停工", "note": "市政府通知"})
    assert response.status_code == 302
    assert response["Location"] == reverse("workdays:year_of", args=[2026])
    assert not is_working_day(D(2026, 3, 9))
    html = client.get(response["Location"]).content.decode()
    assert "xn-day-manual" in cell(html, D(2026, 3, 9))
    assert "市政府通知" in html
    assert AuditEvent.objects.filter(action="calendar.change", actor_name="office_wang").count() == 1


def test_sending_the_same_day_twice_keeps_one_row(client_for, office):
    client = client_for(office)
    for _ in range(2):
        client.post(reverse("workdays:day_set"), {"date": "2026-03-09", "kind": "holiday"})
    assert CalendarDay.objects.filter(date=D(2026, 3, 9)).count() == 1


def test_a_bad_day_keeps_what_was_typed_and_shows_the_error(client_for, office):
    response = client_for(office).post(reverse("workdays:day_set"),
                                       {"date": "2026-02-30", "kind": "holiday", "note": "写错了日期"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "invalid-feedback" in html
    assert "写错了日期" in html
    assert not CalendarDay.objects.exists()


def test_the_office_restores_the_official_status_of_a_day(client_for, office):
    client = client_for(office)
    client.post(reverse("workdays:day_set"), {"date": "2025-10-03", "kind": "workday"})
    assert is_working_day(D(2025, 10, 3))
    response = client.post(reverse("workdays:day_reset"), {"date": "2025-10-03"})
    assert response.status_code == 302
    assert not is_working_day(D(2025, 10, 3))


# --- import -------------------------------------------------------------------------------------
def the_2027_notice() -> str:
    # A schedule for a year the package does not know: 2026's pattern moved to 2027's weekdays.
    return ("国务院办公厅关于2027年部分节假日安排的通知\n"
            "一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
            "二、春节：2月5日（周五）至11日（周四）放假调休，共7天。2月20日（周六）上班。\n"
            "三、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。\n")


def test_an_import_shows_a_preview_and_stores_nothing_until_confirmed(client_for, office):
    client = client_for(office)
    response = client.post(reverse("workdays:import"), {"year": 2027, "text": the_2027_notice(), "action": "preview"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="preview"' in html
    assert "2027-02-05 – 2027-02-11" in html
    assert "2027-09-26" in html
    assert not CalendarDay.objects.exists()
    assert calendar_known_until() == D(2026, 12, 31)


def test_confirming_an_import_stores_the_year_and_extends_the_known_calendar(client_for, office):
    client = client_for(office)
    preview = client.post(reverse("workdays:import"), {"year": 2027, "text": the_2027_notice(), "action": "preview"})
    digest = preview.context["form"].data["digest"]
    response = client.post(reverse("workdays:import"), {"year": 2027, "text": the_2027_notice(), "digest": digest,
                                                        "action": "confirm"})
    assert response.status_code == 302
    assert response["Location"] == reverse("workdays:year_of", args=[2027])
    assert calendar_known_until() == D(2027, 12, 31)
    assert not is_working_day(D(2027, 2, 8))  # a Monday in the Spring Festival
    assert is_working_day(D(2027, 2, 20))     # a Saturday worked
    assert is_working_day(D(2027, 5, 3))      # not in this (partial) notice: an ordinary Monday
    assert CalendarDay.objects.filter(source="import", import_year=2027).count() == 3 + 7 + 1 + 7 + 2
    assert AuditEvent.objects.filter(action="calendar.import").count() == 1


def test_a_confirmation_of_text_that_changed_since_the_preview_stores_nothing(client_for, office):
    client = client_for(office)
    preview = client.post(reverse("workdays:import"), {"year": 2027, "text": the_2027_notice(), "action": "preview"})
    digest = preview.context["form"].data["digest"]
    changed = the_2027_notice().replace("2月5日（周五）至11日（周四）放假调休，共7天", "2月5日至12日放假，共8天")
    response = client.post(reverse("workdays:import"), {"year": 2027, "text": changed, "digest": digest,
                                                        "action": "confirm"})
    assert response.status_code == 200
    assert 'data-testid="preview"' in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_importing_a_year_again_replaces_its_imported_days_and_keeps_the_offices(client_for, office):
    from xiaoneng.core.workdays.parsing import parse_schedule
    from xiaoneng.core.workdays.services import calendar_day_set, calendar_import_apply

    first = parse_schedule(the_2027_notice(), 2027)
    calendar_import_apply(year=2027, days=first.days, user=office)
    calendar_day_set(day=D(2027, 10, 9), kind="holiday", name="本局安排", user=office)
    second = parse_schedule("一、元旦：1月1日至3日放假，共3天。二、国庆节：10月1日至7日放假，共7天。10月9日上班。", 2027)
    outcome = calendar_import_apply(year=2027, days=second.days, user=office)
    assert outcome.kept_manual == [D(2027, 10, 9)]
    assert is_working_day(D(2027, 2, 8))        # the first import's Spring Festival is gone
    assert not is_working_day(D(2027, 10, 9))   # the office's own day stands
    assert CalendarDay.objects.get(date=D(2027, 10, 9)).source == "manual"


def test_a_bad_notice_keeps_the_text_shows_the_reason_and_stores_nothing(client_for, office):
    text = "一、春节：2月5日至11日放假调休，共9天。"
    response = client_for(office).post(reverse("workdays:import"), {"year": 2027, "text": text, "action": "confirm"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "一、春节：2月5日至11日放假调休，共9天。" in html
    assert "invalid-feedback" in html and "春节" in html.split("invalid-feedback", 1)[1]
    assert not CalendarDay.objects.exists()


def test_a_csv_file_can_be_uploaded_and_its_content_is_previewed(client_for, office):
    upload = SimpleUploadedFile("2027.csv", "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-20,班,春节\n".encode())
    response = client_for(office).post(reverse("workdays:import"), {"year": 2027, "file": upload, "action": "preview"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2027-02-20" in html and 'data-testid="preview"' in html
    assert "2027-01-01,holiday,元旦" in html  # the file's text is now in the box, ready to confirm


def test_a_file_that_is_not_text_is_refused(client_for, office):
    upload = SimpleUploadedFile("2027.csv", b"\xff\xfe\x00\x81\x00\xff" * 10)
    response = client_for(office).post(reverse("workdays:import"), {"year": 2027, "file": upload, "action": "preview"})
    assert response.status_code == 400
    assert not CalendarDay.objects.exists()


# --- the warning --------------------------------------------------------------------------------
def home_attention(user) -> list[dict]:
    """What the calendar tells the home page for ``user`` (the provider the home page calls)."""
    from xiaoneng.core.selectors import ATTENTION_PROVIDERS
    from xiaoneng.core.workdays.selectors import calendar_attention_for_user

    assert calendar_attention_for_user in ATTENTION_PROVIDERS
    return calendar_attention_for_user(user)


def test_the_office_is_warned_weeks_before_the_calendar_runs_out(client_for, office):
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=SHANGHAI), tick=False):
        year_page = client_for(office).get(reverse("workdays:year")).content.decode()
        attention = home_attention(office)
    assert 'data-testid="calendar-warning"' in year_page
    assert any(text in year_page for text in ("2027年的节假日安排尚未导入", "The 2027 holiday schedule"))
    assert f'{reverse("workdays:import")}?year=2027' in year_page
    assert [item["url"] for item in attention] == [f'{reverse("workdays:import")}?year=2027']
    assert attention[0]["count"] == 38  # days until 2026-12-31


def test_no_warning_while_the_calendar_is_known_for_months_ahead(client_for, office):
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=SHANGHAI), tick=False):
        year_page = client_for(office).get(reverse("workdays:year")).content.decode()
        attention = home_attention(office)
    assert 'data-testid="calendar-warning"' not in year_page
    assert attention == []


def test_the_warning_goes_once_next_years_schedule_is_imported(client_for, office):
    from xiaoneng.core.workdays.parsing import parse_schedule
    from xiaoneng.core.workdays.services import calendar_import_apply

    calendar_import_apply(year=2027, days=parse_schedule(the_2027_notice(), 2027).days, user=office)
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=SHANGHAI), tick=False):
        html = client_for(office).get(reverse("workdays:year")).content.decode()
        attention = home_attention(office)
    assert 'data-testid="calendar-warning"' not in html
    assert attention == []


def test_a_calendar_that_has_run_out_still_warns_and_still_counts(client_for, office):
    with time_machine.travel(dt.datetime(2027, 1, 15, 9, tzinfo=SHANGHAI), tick=False):
        html = client_for(office).get(reverse("workdays:year")).content.decode()
        attention = home_attention(office)
    assert 'data-testid="calendar-warning"' in html and 'data-testid="year-unknown"' in html
    assert attention[0]["count"] == 0


def test_a_liaison_is_not_told_about_the_calendar_on_the_home_page(liaison_a):
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, tzinfo=SHANGHAI), tick=False):
        assert home_attention(liaison_a) == []
