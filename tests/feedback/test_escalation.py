"""The escalation ladder on real cases: sent once, only in working hours, following extensions and
pauses; call-backs after closing; printable notices; accountability; statistics; the public summary."""

from __future__ import annotations

import datetime as dt
import io
import secrets
import threading
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from xiaoneng.core.notify.models import Notification
from xiaoneng.feedback.crypto import phone_hash, pii_encrypt
from xiaoneng.feedback.escalation.models import (
    AccountabilityRecord,
    Alert,
    AlertStatus,
    CallBack,
    LadderConfig,
)
from xiaoneng.feedback.escalation.selectors import accountability_counts
from xiaoneng.feedback.escalation.services import callback_complete, escalation_scan
from xiaoneng.feedback.models import Case, CaseStatus

ZONE = ZoneInfo("Asia/Shanghai")
COMPLAINANT_NAME = "张秀英"
COMPLAINANT_PHONE = "13812341234"
CASE_TEXT = "挂号窗口工作人员态度恶劣，排队两小时无人处理"


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=ZONE)


@pytest.fixture
def make_case(db):
    counter = iter(range(1, 10_000))

    def make(*, unit=None, status=CaseStatus.IN_PROGRESS, reply_due="2026-11-25", received="2026-11-02", **fields):
        n = next(counter)
        values = {
            "number": f"2026-{900000 + n:06d}", "tracking_code_hash": secrets.token_hex(32), "kind": "complaint",
            "channel": "web", "unit": unit, "assignee_unit": unit, "what": CASE_TEXT, "where": "门诊大厅",
            "name_encrypted": pii_encrypt(COMPLAINANT_NAME), "phone_encrypted": pii_encrypt(COMPLAINANT_PHONE),
            "phone_hash": phone_hash(COMPLAINANT_PHONE), "status": status, "received_at": at(received, 9),
            "accept_due": dt.date.fromisoformat(received) + dt.timedelta(days=1),
            "reply_due": dt.date.fromisoformat(reply_due) if reply_due else None,
            "close_due": dt.date.fromisoformat(reply_due) + dt.timedelta(days=14) if reply_due else None,
        }
        if status != CaseStatus.RECEIVED:
            values["accepted_at"] = at(received, 15)
        values.update(fields)
        return Case.objects.create(**values)

    return make


@pytest.fixture
def cast(office, liaison_a, leader_a, liaison_b, bureau_leader):
    return {"office": office, "liaison_a": liaison_a, "leader_a": leader_a, "liaison_b": liaison_b,
            "bureau_leader": bureau_leader}


def titles_for(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("title", flat=True))


# --- the ladder on cases -----------------------------------------------------------------------
def test_reminder_goes_to_the_handler_once_and_the_urging_notice_to_the_unit_and_its_leader(make_case, unit_a, cast):
    case = make_case(unit=unit_a, reply_due="2026-11-25")  # Wednesday
    assert escalation_scan(now=at("2026-11-23")).sent == 0          # two working days before: nothing
    assert escalation_scan(now=at("2026-11-24")).sent == 1          # the working day before: reminder
    assert escalation_scan(now=at("2026-11-24", 15)).sent == 0      # a second scan sends nothing
    assert len(titles_for(cast["liaison_a"])) == 1
    assert titles_for(cast["leader_a"]) == []                       # the reminder is for the handler only
    assert escalation_scan(now=at("2026-11-26")).sent == 1          # the working day after: urging notice
    assert escalation_scan(now=at("2026-11-26", 16)).sent == 0
    assert len(titles_for(cast["liaison_a"])) == 2
    assert len(titles_for(cast["leader_a"])) == 1                   # copied to the unit's leader
    assert titles_for(cast["liaison_b"]) == []
    steps = list(Alert.objects.filter(case=case).order_by("sent_at").values_list("step", flat=True))
    assert steps == ["reminder", "urge"]
    assert case.events.filter(kind="escalation").count() == 2       # in the case's history


@pytest.mark.parametrize("moment", [
    at("2026-11-26", 7, 59),   # before working hours
    at("2026-11-26", 18, 0),   # after working hours
    at("2026-11-28", 10),      # Saturday
    at("2026-10-05", 10),      # National Day holiday
])
def test_nothing_is_sent_outside_working_hours_or_on_days_off(make_case, unit_a, cast, moment):
    make_case(unit=unit_a, reply_due="2026-09-30")
    make_case(unit=unit_a, reply_due="2026-11-20")
    assert escalation_scan(now=moment).sent == 0
    assert Alert.objects.count() == 0
    assert Notification.objects.count() == 0


def test_a_paused_case_gets_no_alert_and_a_closed_one_neither(make_case, unit_a, cast):
    make_case(unit=unit_a, reply_due="2026-11-20", paused_since=at("2026-11-19"))
    make_case(unit=unit_a, reply_due="2026-11-20", status=CaseStatus.CLOSED, closed_at=at("2026-11-19"),
              is_anonymous=False, kind="complaint")
    escalation_scan(now=at("2026-11-24"))
    assert Alert.objects.count() == 0


def test_an_extension_keeps_sent_alerts_and_later_steps_follow_the_new_deadline(make_case, unit_a, cast):
    case = make_case(unit=unit_a, reply_due="2026-11-20")  # Friday
    escalation_scan(now=at("2026-11-19"))                  # reminder
    escalation_scan(now=at("2026-11-23"))                  # urging notice
    assert set(Alert.objects.values_list("step", flat=True)) == {"reminder", "urge"}
    Case.objects.filter(pk=case.pk).update(reply_due=dt.date(2026, 11, 27))  # extension approved: +5 working days
    for day in ("2026-11-24", "2026-11-26", "2026-11-27", "2026-11-30"):
        assert escalation_scan(now=at(day)).sent == 0      # no second reminder, no second urging notice
    assert escalation_scan(now=at("2026-12-01")).sent == 1  # blue: 2 working days after the new deadline
    assert Alert.objects.filter(case=case, step="blue", due_at__date=dt.date(2026, 11, 27)).exists()


def test_a_worker_that_was_down_sends_the_highest_due_step_and_records_the_others_as_skipped(
        make_case, unit_a, cast):
    case = make_case(unit=unit_a, reply_due="2026-11-02")
    result = escalation_scan(now=at("2026-11-23"))
    assert (result.sent, result.skipped) == (1, 5)
    sent = Alert.objects.get(case=case, status=AlertStatus.SENT)
    assert sent.step == "report"
    # The proposal goes to the office, not the unit.
    assert len(titles_for(cast["office"])) == 1 and titles_for(cast["liaison_a"]) == []
    assert escalation_scan(now=at("2026-11-24")).sent == 0


def test_an_unrouted_case_alerts_its_first_responder(make_case, cast, make_person, bureau):
    second_office = make_person("office_zhao", unit=bureau, roles=["office"])
    make_case(unit=None, status=CaseStatus.RECEIVED, reply_due=None, received="2026-11-18",
              accept_due=dt.date(2026, 11, 19), first_responder=cast["office"])
    escalation_scan(now=at("2026-11-20"))  # urging notice on acceptance
    alert = Alert.objects.get(step="urge")
    assert alert.stage == "accept" and alert.unit_id is None
    assert len(titles_for(cast["office"])) == 1 and len(titles_for(second_office)) == 1
    # Not addressed to a unit: only the office reads it.
    assert cast_client(cast["liaison_a"]).get(reverse("feedback_escalation:notice", args=[alert.pk])).status_code == 403


def test_the_office_settings_change_the_ladder(make_case, unit_a, cast):
    LadderConfig.objects.create(pk=1, reminder_enabled=False, urge_offset=3, blue_offset=4, orange_offset=5)
    make_case(unit=unit_a, reply_due="2026-11-18")
    assert escalation_scan(now=at("2026-11-17")).sent == 0   # no reminder any more
    assert escalation_scan(now=at("2026-11-20")).sent == 0   # urge now 3 working days after
    assert escalation_scan(now=at("2026-11-23")).sent == 1
    assert Alert.objects.get().step == "urge"


def test_orange_notice_carries_a_fixed_answer_date(make_case, unit_a, cast):
    make_case(unit=unit_a, reply_due="2026-11-16")
    for day in ("2026-11-17", "2026-11-18", "2026-11-20"):
        escalation_scan(now=at(day))
    orange = Alert.objects.get(step="orange")
    assert orange.reply_due_on == dt.date(2026, 11, 24)  # 2 working days after Friday 11-20


# --- concurrency -------------------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_send_each_step_once(unit_a, liaison_a, leader_a, office):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent transactions need PostgreSQL")
    for n in range(6):
        Case.objects.create(number=f"2026-95000{n}", tracking_code_hash=secrets.token_hex(32), kind="complaint",
                            unit=unit_a, assignee_unit=unit_a, what="x", status=CaseStatus.IN_PROGRESS,
                            received_at=at("2026-11-02", 9), accepted_at=at("2026-11-02", 10),
                            reply_due=dt.date(2026, 11, 20 - n % 3), close_due=dt.date(2026, 12, 10))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []
    sent_counts: list[int] = []

    def run():
        from django.db import connections
        try:
            barrier.wait()
            for _ in range(3):
                sent_counts.append(escalation_scan(now=at("2026-11-24")).sent)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(sent_counts) == 6  # each step counted by the one scan that took it
    sent = Alert.objects.filter(status=AlertStatus.SENT)
    assert sent.count() == 6
    # One notification per recipient per alert: liaison and leader each got one per case.
    assert Notification.objects.filter(user=liaison_a).count() == 6
    assert Notification.objects.filter(user=leader_a).count() == 6


# --- call-backs --------------------------------------------------------------------------------
def test_call_back_comes_the_working_day_after_closing_once_and_not_for_anonymous_reports(make_case, unit_a, cast):
    case = make_case(unit=unit_a, status=CaseStatus.CLOSED, closed_at=at("2026-11-20", 16))  # Friday
    make_case(unit=unit_a, status=CaseStatus.CLOSED, closed_at=at("2026-11-20", 16), kind="report",
              is_anonymous=True, phone_hash="", name_encrypted="", phone_encrypted="")
    assert escalation_scan(now=at("2026-11-20", 17)).callbacks == 0   # not on the day of closing
    assert escalation_scan(now=at("2026-11-23", 9)).callbacks == 1    # Monday
    assert escalation_scan(now=at("2026-11-23", 11)).callbacks == 0
    callback = CallBack.objects.get()
    assert callback.case == case and callback.due_on == dt.date(2026, 11, 23)
    assert any("2026-9" in t or case.number in t for t in titles_for(cast["office"]))
    c = cast_client(cast["office"])
    page = c.get(reverse("feedback_escalation:callbacks"))
    assert case.number in page.content.decode()
    url = reverse("feedback_escalation:callback_done", args=[callback.pk])
    assert c.post(url, {"outcome": "satisfied", "note": "已电话回访"}).status_code == 302
    again = c.post(url, {"outcome": "unsatisfied"}, follow=True)  # double submit
    assert "already recorded" in again.content.decode() or "已记录" in again.content.decode()
    callback.refresh_from_db()
    assert callback.outcome == "satisfied" and callback.done_by == cast["office"]
    assert cast_client(cast["liaison_a"]).post(url, {"outcome": "satisfied"}).status_code == 403


def test_call_back_needs_an_outcome(make_case, unit_a, cast):
    make_case(unit=unit_a, status=CaseStatus.CLOSED, closed_at=at("2026-11-20", 16))
    escalation_scan(now=at("2026-11-23", 9))
    callback = CallBack.objects.get()
    with pytest.raises(ValidationError) as failure:
        callback_complete(user=cast["office"], callback=callback, outcome="bogus")
    assert "outcome" in failure.value.error_dict
    callback.refresh_from_db()
    assert callback.done_at is None


# --- notices -----------------------------------------------------------------------------------
def cast_client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_notices_render_as_a_print_page_and_a_docx_without_personal_data(make_case, unit_a, cast):
    from docx import Document

    make_case(unit=unit_a, reply_due="2026-11-13")
    for day in ("2026-11-16", "2026-11-17", "2026-11-19", "2026-11-23"):
        escalation_scan(now=at(day))
    steps = dict(Alert.objects.values_list("step", "pk"))
    assert set(steps) >= {"urge", "blue", "orange", "red"}
    office = cast_client(cast["office"])
    for step in ("urge", "blue", "orange", "red"):
        page = office.get(reverse("feedback_escalation:notice", args=[steps[step]]))
        assert page.status_code == 200
        html = page.content.decode()
        for secret in (COMPLAINANT_NAME, COMPLAINANT_PHONE, CASE_TEXT, "1234"):
            assert secret not in html
        assert unit_a.name in html
        download = office.get(reverse("feedback_escalation:notice_docx", args=[steps[step]]))
        assert download.status_code == 200
        text = "\n".join(p.text for p in Document(io.BytesIO(download.content)).paragraphs)
        tables = "\n".join(cell.text for table in Document(io.BytesIO(download.content)).tables
                           for row in table.rows for cell in row.cells)
        assert "2026-9" in tables  # the case number
        for secret in (COMPLAINANT_NAME, COMPLAINANT_PHONE, CASE_TEXT):
            assert secret not in text + tables
    orange_html = office.get(reverse("feedback_escalation:notice", args=[steps["orange"]])).content.decode()
    assert "xn-notice-orange" in orange_html


def test_a_unit_reads_its_own_notices_and_not_another_units(make_case, unit_a, unit_b, cast):
    make_case(unit=unit_a, reply_due="2026-11-20")
    make_case(unit=unit_b, reply_due="2026-11-20")
    escalation_scan(now=at("2026-11-23"))
    mine = Alert.objects.get(unit=unit_a, step="urge")
    theirs = Alert.objects.get(unit=unit_b, step="urge")
    client = cast_client(cast["liaison_a"])
    listing = client.get(reverse("feedback_escalation:home")).content.decode()
    assert mine.case.number in listing and theirs.case.number not in listing
    assert client.get(reverse("feedback_escalation:notice", args=[mine.pk])).status_code == 200
    assert client.get(reverse("feedback_escalation:notice", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("feedback_escalation:notice_docx", args=[theirs.pk])).status_code == 403
    assert client.get(reverse("feedback_escalation:notice", args=[999999])).status_code == 404


def test_a_reminder_has_no_printable_notice(make_case, unit_a, cast):
    make_case(unit=unit_a, reply_due="2026-11-25")
    escalation_scan(now=at("2026-11-24"))
    reminder = Alert.objects.get(step="reminder")
    assert cast_client(cast["office"]).get(reverse("feedback_escalation:notice", args=[reminder.pk])).status_code == 404


# --- ladder settings ---------------------------------------------------------------------------
def test_the_office_cannot_save_a_ladder_whose_steps_do_not_go_up(cast):
    client = cast_client(cast["office"])
    url = reverse("feedback_escalation:settings")
    data = {"reminder_enabled": "on", "reminder_offset": -1, "urge_enabled": "on", "urge_offset": 3,
            "blue_enabled": "on", "blue_offset": 2, "orange_enabled": "on", "orange_offset": 4,
            "orange_reply_days": 2, "red_enabled": "on", "red_offset": 6, "report_enabled": "on",
            "report_offset": 8}
    response = client.post(url, data)
    assert response.status_code == 200 and LadderConfig.objects.count() == 0
    assert "invalid-feedback" in response.content.decode() or "alert-danger" in response.content.decode()
    data["urge_offset"] = 1
    assert client.post(url, data).status_code == 302
    assert [s.offset for s in LadderConfig.objects.get().steps()] == [-1, 1, 2, 4, 6, 8]
    assert cast_client(cast["liaison_a"]).get(url).status_code == 403


# --- accountability ----------------------------------------------------------------------------
def test_the_office_records_accountability_and_counts_feed_assessments(make_case, unit_a, unit_b, cast):
    case = make_case(unit=unit_a, reply_due="2026-11-02")
    client = cast_client(cast["office"])
    url = reverse("feedback_escalation:accountability_new")
    base = {"case_number": case.number, "unit": unit_a.pk, "measure": "talk", "decided_on": "2026-11-20",
            "reason": "逾期15个工作日未答复"}
    assert client.post(url, base).status_code == 302
    assert client.post(url, {**base, "measure": "admonition", "person": cast["liaison_a"].pk}).status_code == 302
    # "Other" needs to say what; a person of another unit is refused; an unknown case number too.
    for bad, field in (({"measure": "other"}, "measure_other"), ({"person": cast["liaison_b"].pk}, "person"),
                       ({"case_number": "2099-000000"}, "case_number")):
        response = client.post(url, {**base, **bad})
        assert response.status_code == 200, field
        assert "invalid-feedback" in response.content.decode()
    AccountabilityRecord.objects.create(case=case, unit=unit_b, measure="circulated", decided_on=dt.date(2026, 10, 1),
                                        reason="x", created_by=cast["office"])
    assert accountability_counts(date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 30)) == {unit_a.pk: 2}
    assert accountability_counts(date_from=dt.date(2026, 1, 1), date_to=dt.date(2026, 12, 31)) == {
        unit_a.pk: 2, unit_b.pk: 1}
    listing = client.get(reverse("feedback_escalation:accountability")).content.decode()
    assert "逾期15个工作日未答复" in listing
    assert cast_client(cast["bureau_leader"]).get(reverse("feedback_escalation:accountability")).status_code == 200
    assert cast_client(cast["bureau_leader"]).post(url, base).status_code == 403
    assert cast_client(cast["liaison_a"]).get(reverse("feedback_escalation:accountability")).status_code == 403


# --- statistics and the public summary ---------------------------------------------------------
def _month_of_cases(make_case, unit_a, unit_b):
    make_case(unit=unit_a, status=CaseStatus.CLOSED, received="2026-10-09", reply_due="2026-10-16",
              replied_at=at("2026-10-15"), closed_at=at("2026-10-20"), rating="satisfied", channel="hotline")
    make_case(unit=unit_a, status=CaseStatus.CLOSED, received="2026-10-12", reply_due="2026-10-19",
              replied_at=at("2026-10-21"), closed_at=at("2026-11-20"), rating="unsatisfied")
    make_case(unit=unit_b, status=CaseStatus.IN_PROGRESS, received="2026-10-13", reply_due="2026-10-20",
              kind="report", channel="mailbox")
    make_case(unit=unit_b, status=CaseStatus.REPLIED, received="2026-11-02", reply_due="2026-11-09",
              replied_at=at("2026-11-05"), rating="fairly_satisfied", kind="suggestion")


def test_statistics_show_on_time_rates_and_satisfaction_and_export(make_case, unit_a, unit_b, cast):
    from openpyxl import load_workbook

    _month_of_cases(make_case, unit_a, unit_b)
    client = cast_client(cast["office"])
    page = client.get(reverse("feedback_escalation:statistics"), {"date_from": "2026-10-01", "date_to": "2026-11-30"})
    assert page.status_code == 200
    stats = page.context["stats"]
    assert stats.total == 4
    reply = next(s for s in stats.stages if s.stage == "reply")
    assert (reply.done, reply.on_time, reply.late) == (3, 2, 1)
    assert str(reply.on_time_rate) == "66.7"
    assert str(stats.satisfaction_rate) == "66.7"  # satisfied + fairly satisfied over 3 ratings
    html = page.content.decode()
    assert 'id="xn-chart-months"' in html and 'data-xn-chart="xn-chart-months"' in html and "<script>" not in html
    export = client.get(reverse("feedback_escalation:statistics_export"),
                        {"date_from": "2026-10-01", "date_to": "2026-11-30"})
    assert export.status_code == 200
    workbook = load_workbook(io.BytesIO(export.content))
    values = [cell for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row]
    assert unit_a.name in values and COMPLAINANT_NAME not in values
    bad = client.get(reverse("feedback_escalation:statistics"), {"date_from": "2026-11-30", "date_to": "2026-10-01"})
    assert bad.status_code == 200 and "before the start" in bad.content.decode() or "早于" in bad.content.decode()
    assert cast_client(cast["bureau_leader"]).get(reverse("feedback_escalation:statistics")).status_code == 200
    assert cast_client(cast["liaison_a"]).get(reverse("feedback_escalation:statistics")).status_code == 403


def test_the_public_monthly_summary_has_numbers_and_no_personal_data(client, make_case, unit_a, unit_b, cast):
    _month_of_cases(make_case, unit_a, unit_b)
    response = client.get(reverse("feedback_escalation:public_summary"), {"month": "2026-10"})
    assert response.status_code == 200  # anonymous
    html = response.content.decode()
    assert response.context["summary"].stats.total == 3
    assert response.context["summary"].stats.units == []
    for personal in (COMPLAINANT_NAME, COMPLAINANT_PHONE, "138****1234", CASE_TEXT, "门诊大厅", "2026-900001",
                     cast["office"].full_name, cast["liaison_a"].full_name):
        assert personal not in html
    assert client.get(reverse("feedback_escalation:public_summary"), {"month": "1999-01"}).status_code == 200


def test_office_pages_need_a_sign_in(client):
    for name in ("home", "settings", "callbacks", "accountability", "statistics"):
        response = client.get(reverse(f"feedback_escalation:{name}"))
        assert response.status_code == 302, name


def test_the_demo_replay_is_idempotent(make_case, unit_a, cast):
    from xiaoneng.feedback.escalation.demo import seed_demo

    make_case(unit=unit_a, reply_due="2026-11-02")
    make_case(unit=unit_a, status=CaseStatus.CLOSED, closed_at=at("2026-11-18", 16))
    first = seed_demo(now=at("2026-11-23", 11))
    assert first["sent"] >= 5 and first["callbacks"] == 1 and first["accountability"] == 1
    counts = (Alert.objects.count(), CallBack.objects.count(), AccountabilityRecord.objects.count(),
              Notification.objects.count())
    again = seed_demo(now=at("2026-11-23", 11))
    assert again == {"sent": 0, "callbacks": 0, "accountability": 0}
    assert (Alert.objects.count(), CallBack.objects.count(), AccountabilityRecord.objects.count(),
            Notification.objects.count()) == counts
    assert CallBack.objects.filter(done_at__isnull=False).count() == 1


def test_the_feedback_case_list_links_to_the_notices(cast):
    html = cast_client(cast["office"]).get(reverse("feedback:home")).content.decode()
    assert reverse("feedback_escalation:home") in html


def test_the_periodic_task_runs_the_scan_every_15_minutes(make_case, unit_a, cast, time_machine):
    from xiaoneng.feedback.escalation.tasks import escalation_scan_task

    task = escalation_scan_task.s()
    assert task.validate_datetime(dt.datetime(2026, 11, 24, 10, 15))
    assert not task.validate_datetime(dt.datetime(2026, 11, 24, 10, 7))
    make_case(unit=unit_a, reply_due="2026-11-25")
    time_machine.move_to(at("2026-11-24", 10, 15))
    escalation_scan_task.call_local()
    escalation_scan_task.call_local()
    assert Alert.objects.filter(step="reminder").count() == 1
