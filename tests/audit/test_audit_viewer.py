"""The audit log screen and its export: audit administrator only, filtered, escaped, itself audited."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone
from openpyxl import load_workbook

from xiaoneng.core.audit.models import AuditEvent
from xiaoneng.core.audit.services import audit_record

pytestmark = pytest.mark.django_db

LIST_URL = "/audit/"
EXPORT_URL = "/audit/export/"


def _request_from(ip: str, user=None):
    request = RequestFactory().get("/", REMOTE_ADDR=ip)
    if user is not None:
        request.user = user
    return request


@pytest.fixture
def seeded(liaison_a, liaison_b, record_aged):
    """A small log: a failed and a good login from two addresses, a unit change, an old event."""
    audit_record("login.failed", request=_request_from("10.0.0.5"), object_repr="liaison_a", result="failed")
    audit_record("login.success", request=_request_from("10.0.0.5", liaison_a), actor=liaison_a)
    audit_record("login.success", request=_request_from("192.168.1.9", liaison_b), actor=liaison_b)
    audit_record(
        "unit.update", actor=liaison_a, object_type="org.unit", object_id=1, object_repr="甲县卫生健康局"
    )
    record_aged(40, "unit.create", object_repr="旧单位")


def _body(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_audit_admin_sees_events_with_time_zone_user_action_object_result_and_ip(
    client_for, audit_admin, seeded
):
    body = _body(client_for(audit_admin).get(LIST_URL))
    assert "+0800" in body
    for text in (
        "liaison_a",
        "liaison_b",
        "login.failed",
        "unit.update",
        "甲县卫生健康局",
        "10.0.0.5",
        "192.168.1.9",
    ):
        assert text in body
    assert "失败" in body or "Failed" in body


@pytest.mark.parametrize(
    "persona", ["system_admin", "security_admin", "office", "liaison_a", "bureau_leader", "inspector"]
)
def test_everyone_but_the_audit_admin_gets_403_and_the_attempt_is_recorded(request, client_for, persona):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(LIST_URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403
    denied = AuditEvent.objects.filter(actor_name=user.username, result="denied")
    assert sorted(denied.values_list("action", flat=True)) == ["audit.export", "audit.view"]


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_viewing_the_log_is_itself_recorded_with_the_filters(client_for, audit_admin, seeded):
    client_for(audit_admin).get(LIST_URL, {"action": "login", "result": "failed"})
    view = AuditEvent.objects.get(action="audit.view")
    assert view.actor_name == "audit_admin"
    assert view.ip == "127.0.0.1"
    assert view.detail["filters"] == {"action": "login", "result": "failed"}


def test_event_detail_with_a_script_tag_is_shown_as_text(client_for, audit_admin):
    audit_record(
        "test.xss", object_repr="<script>alert(1)</script>", detail={"name": "<img src=x onerror=alert(2)>"}
    )
    body = _body(client_for(audit_admin).get(LIST_URL))
    assert "<script>alert(1)" not in body
    assert "<img src=x" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "&lt;img src=x onerror=alert(2)&gt;" in body


@pytest.mark.parametrize(
    ("params", "shown", "hidden"),
    [
        ({"action": "login"}, ["login.failed", "login.success"], ["unit.update"]),
        ({"result": "failed"}, ["login.failed"], ["login.success", "unit.update"]),
        ({"user": "liaison_b"}, ["192.168.1.9"], ["unit.update", "10.0.0.5"]),
        ({"ip": "10.0.0.5"}, ["login.failed", "login.success"], ["192.168.1.9", "unit.update"]),
        ({"ip": "192.168."}, ["192.168.1.9"], ["10.0.0.5"]),
        ({"object": "甲县"}, ["unit.update"], ["login.success"]),
    ],
)
def test_filters_narrow_the_list(client_for, audit_admin, seeded, params, shown, hidden):
    body = _body(client_for(audit_admin).get(LIST_URL, params))
    for text in shown:
        assert text in body
    for text in hidden:
        assert text not in body


def test_time_range_filter_uses_local_calendar_days(client_for, audit_admin, seeded):
    today = timezone.localdate()
    recent = _body(client_for(audit_admin).get(LIST_URL, {"date_from": today - timedelta(days=1)}))
    assert "unit.update" in recent and "旧单位" not in recent
    old = _body(
        client_for(audit_admin).get(
            LIST_URL, {"date_from": today - timedelta(days=41), "date_to": today - timedelta(days=39)}
        )
    )
    assert "旧单位" in old and "unit.update" not in old


def test_end_date_before_start_date_is_reported_next_to_the_field_and_typed_values_kept(
    client_for, audit_admin
):
    body = _body(
        client_for(audit_admin).get(
            LIST_URL, {"date_from": "2026-03-10", "date_to": "2026-03-01", "user": "wang"}
        )
    )
    assert "结束日期早于开始日期" in body or "The end date is before the start date." in body
    assert 'value="2026-03-10"' in body and 'value="wang"' in body


def test_list_is_paginated_and_keeps_the_filters(client_for, audit_admin):
    for n in range(60):
        audit_record("bulk.event", object_repr=f"item-{n:02d}")
    client = client_for(audit_admin)
    first = _body(client.get(LIST_URL, {"action": "bulk"}))
    assert first.count("item-") == 50 and "item-59" in first and "item-09" not in first
    assert "action=bulk" in first and "page=2" in first
    second = _body(client.get(LIST_URL, {"action": "bulk", "page": 2}))
    assert second.count("item-") == 10 and "item-00" in second


def test_export_is_an_xlsx_of_the_filtered_events_and_is_recorded(client_for, audit_admin, seeded):
    response = client_for(audit_admin).get(EXPORT_URL, {"action": "login"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 1 + 3
    assert {row[2] for row in rows[1:]} == {"login.failed", "login.success"}
    assert all("+08:00" in row[0] for row in rows[1:])
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor_name == "audit_admin" and export.result == "ok"
    assert export.detail == {"filters": {"action": "login"}, "rows": 3}


def test_exported_cells_that_look_like_formulas_are_written_as_text(client_for, audit_admin):
    payloads = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1:A2)"]
    for payload in payloads:
        audit_record("test.formula", object_repr=payload)
    response = client_for(audit_admin).get(EXPORT_URL, {"action": "test.formula"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [row[5] for row in sheet.iter_rows(min_row=2)]
    assert sorted(cell.value for cell in cells) == sorted("'" + p for p in payloads)
    assert {cell.data_type for cell in cells} == {"s"}
