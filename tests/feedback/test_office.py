"""The office's and the units' screens through HTTP: lists with colours, routing, handling, scoping."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from xiaoneng.core.audit.models import AuditEvent
from xiaoneng.feedback import services
from xiaoneng.feedback.models import Case, CaseStatus


def test_office_enters_a_hotline_case_and_is_its_first_responder(client_for, office, unit_a):
    c = client_for(office)
    response = c.post(reverse("feedback:case_enter"), {
        "channel": "hotline", "kind": "complaint", "unit": unit_a.pk, "what": "12320来电：急诊等候时间过长",
        "name": "王五", "phone": "13600001111", "id_number": "110101199003071234"})
    assert response.status_code == 200
    assert 'id="tracking-code"' in response.content.decode()
    case = Case.objects.get()
    assert case.first_responder == office and case.channel == "hotline"
    assert "110101199003071234" not in case.id_number_encrypted


def test_a_letter_without_a_phone_gets_a_secret(client_for, office):
    response = client_for(office).post(reverse("feedback:case_enter"), {
        "channel": "letter", "kind": "suggestion", "what": "建议增设夜间门诊"})
    assert "font-monospace" in response.content.decode()
    assert Case.objects.get().secret_hash


def test_case_list_shows_the_traffic_light(client_for, office, file_case, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 16, 10, tzinfo=dt.UTC))  # a Monday
    file_case()
    page = client_for(office).get(reverse("feedback:home")).content.decode()
    assert "text-bg-warning" in page  # accept within 1 working day: due tomorrow → yellow
    time_machine.move_to(dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC))
    page = client_for(office).get(reverse("feedback:home")).content.decode()
    assert "text-bg-danger" in page


def test_liaison_sees_only_cases_assigned_to_their_unit(client_for, office, liaison_a, liaison_b, file_case,
                                                         unit_a, unit_b):
    filed = file_case(unit=unit_b, what="乙院收费处多收费用")
    services.case_accept(case_id=filed.case.pk, actor=office, assignee_unit=unit_b)
    page = client_for(liaison_a).get(reverse("feedback:home")).content.decode()
    assert "乙院收费处多收费用" not in page
    assert client_for(liaison_a).get(reverse("feedback:case_detail", args=[filed.case.pk])).status_code == 403
    assert client_for(liaison_b).get(reverse("feedback:case_detail", args=[filed.case.pk])).status_code == 200


def test_office_accepts_assigns_and_unit_replies_through_the_pages(client_for, office, liaison_a, file_case, unit_a):
    filed = file_case(unit=unit_a)
    url = lambda action: reverse("feedback:case_action", args=[filed.case.pk, action])  # noqa: E731
    assert client_for(office).post(url("accept"), {"unit": ""}).status_code == 302
    assert client_for(office).post(url("assign"), {"unit": unit_a.pk}).status_code == 302
    again = client_for(office).post(url("assign"), {"unit": unit_a.pk}, follow=True)
    assert "moved on" in again.content.decode() or "已" in again.content.decode()
    assert client_for(liaison_a).post(url("reply"), {"text": ""}).status_code == 400
    assert client_for(liaison_a).post(url("reply"), {"text": "已整改"}).status_code == 302
    assert client_for(liaison_a).post(url("close"), {"note": ""}).status_code == 302
    assert Case.objects.get().status == CaseStatus.CLOSED


def test_liaison_cannot_route_cases(client_for, liaison_a, file_case, office, unit_a):
    filed = file_case(unit=unit_a)
    services.case_accept(case_id=filed.case.pk, actor=office, assignee_unit=unit_a)
    response = client_for(liaison_a).post(reverse("feedback:case_action", args=[filed.case.pk, "decline"]),
                                          {"reason": "x"})
    assert response.status_code == 403


def test_reveal_shows_the_phone_to_the_office_and_is_audited(client_for, office, file_case):
    filed = file_case()
    c = client_for(office)
    page = c.get(reverse("feedback:case_detail", args=[filed.case.pk])).content.decode()
    assert "138****5678" in page and "13812345678" not in page
    page = c.post(reverse("feedback:case_reveal", args=[filed.case.pk]), {"field": "phone"}).content.decode()
    assert "13812345678" in page
    assert AuditEvent.objects.filter(action="feedback.reveal", result="ok").count() == 1


def test_handler_may_reveal_while_open_not_after_closing_and_never_for_reports(client_for, office, liaison_a,
                                                                                 liaison_b, file_case, unit_a):
    filed = file_case(unit=unit_a)
    services.case_accept(case_id=filed.case.pk, actor=office, assignee_unit=unit_a)
    url = reverse("feedback:case_reveal", args=[filed.case.pk])
    assert client_for(liaison_a).post(url, {"field": "phone"}).status_code == 200
    assert client_for(liaison_b).post(url, {"field": "phone"}).status_code == 403
    services.case_reply(case_id=filed.case.pk, actor=liaison_a, text="已答复")
    services.case_close(case_id=filed.case.pk, actor=liaison_a)
    assert client_for(liaison_a).post(url, {"field": "phone"}).status_code == 403
    report = file_case(kind="report", unit=unit_a, what="举报甲县收红包")
    services.case_accept(case_id=report.case.pk, actor=office, assignee_unit=unit_a)
    page = client_for(liaison_a).get(reverse("feedback:case_detail", args=[report.case.pk])).content.decode()
    assert "138****5678" not in page and "张" not in page
    assert client_for(liaison_a).post(reverse("feedback:case_reveal", args=[report.case.pk]),
                                      {"field": "phone"}).status_code == 403
    assert AuditEvent.objects.filter(action="feedback.reveal", result="denied").count() == 3


def test_extension_request_and_office_decision_through_pages(client_for, office, liaison_a, assigned_case):
    case = assigned_case.case
    response = client_for(liaison_a).post(reverse("feedback:case_action", args=[case.pk, "request"]),
                                          {"kind": "extension", "days": "3", "reason": "需调取监控"})
    assert response.status_code == 302
    row = case.requests.get()
    assert client_for(liaison_a).post(reverse("feedback:request_decide", args=[row.pk]),
                                      {"decision": "approve"}).status_code == 403
    page = client_for(office).get(reverse("feedback:requests")).content.decode()
    assert "需调取监控" in page
    client_for(office).post(reverse("feedback:request_decide", args=[row.pk]), {"decision": "approve"})
    row.refresh_from_db()
    assert row.status == "approved"


def test_office_changes_time_limits_for_new_cases(client_for, office, file_case):
    response = client_for(office).post(reverse("feedback:deadlines"), {"kind": "complaint", "accept_days": 2,
                                                                      "reply_days": 7, "close_days": 20})
    assert response.status_code == 302
    case = file_case().case
    assert (case.accept_days, case.reply_days, case.close_days) == (2, 7, 20)
    bad = client_for(office).post(reverse("feedback:deadlines"), {"kind": "complaint", "accept_days": 1,
                                                                 "reply_days": 9, "close_days": 3})
    assert bad.status_code == 400


def test_export_masks_the_phone_and_units_get_no_reporter(client_for, office, liaison_a, file_case, unit_a):
    import io

    from openpyxl import load_workbook

    filed = file_case(kind="report", unit=unit_a)
    services.case_accept(case_id=filed.case.pk, actor=office, assignee_unit=unit_a)
    office_book = load_workbook(io.BytesIO(client_for(office).get(reverse("feedback:export")).content))
    cells = [str(c.value) for row in office_book.active.iter_rows() for c in row]
    assert "138****5678" in cells and "13812345678" not in " ".join(cells)
    unit_book = load_workbook(io.BytesIO(client_for(liaison_a).get(reverse("feedback:export")).content))
    cells = " ".join(str(c.value) for row in unit_book.active.iter_rows() for c in row)
    assert "5678" not in cells and "张" not in cells


def test_the_requests_page_costs_the_same_queries_for_one_or_many_requests(client_for, office, liaison_a,
                                                                           file_case, unit_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add_request():
        case = file_case(unit=unit_a).case
        services.case_accept(case_id=case.pk, actor=office, assignee_unit=unit_a)
        services.case_request_create(case_id=case.pk, actor=liaison_a, kind="extension", reason="需调取监控", days=2)

    c = client_for(office)
    add_request()
    c.get(reverse("feedback:requests"))  # warm the session and caches
    with CaptureQueriesContext(connection) as one:
        assert c.get(reverse("feedback:requests")).status_code == 200
    for _ in range(3):
        add_request()
    with CaptureQueriesContext(connection) as four:
        page = c.get(reverse("feedback:requests"))
    assert page.content.decode().count("需调取监控") == 4
    assert len(four) == len(one)
