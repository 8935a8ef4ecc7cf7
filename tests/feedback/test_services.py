"""The rules of cases through the service functions: filing, routing, handling, rating, requests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xiaoneng.feedback import services
from xiaoneng.feedback.models import Case, CaseEvent, CaseStatus
from xiaoneng.feedback.services import CODE_ALPHABET, CaseConflict


def test_filing_gives_a_ten_character_code_without_look_alikes(file_case):
    filed = file_case()
    assert len(filed.tracking_code) == 10
    assert set(filed.tracking_code) <= set(CODE_ALPHABET)
    assert not set("01OIL") & set(CODE_ALPHABET)
    case = Case.objects.get()
    assert filed.tracking_code not in case.tracking_code_hash
    assert case.status == CaseStatus.RECEIVED
    assert case.accept_due is not None
    assert "13812345678" not in case.phone_encrypted
    assert case.phone_masked == "138****5678"


def test_only_reports_may_be_anonymous_and_they_get_a_secret(file_case):
    with pytest.raises(ValidationError):
        file_case(is_anonymous=True)
    filed = file_case(kind="report", is_anonymous=True, name="", phone="")
    assert len(filed.secret) == 8
    assert filed.case.phone_encrypted == "" and filed.case.name_encrypted == ""


def test_public_filing_needs_a_phone_unless_anonymous(file_case):
    with pytest.raises(ValidationError):
        file_case(phone="")


def test_same_form_submitted_twice_makes_one_case_with_the_same_code(file_case):
    first = file_case(submission_key="k" * 32)
    second = file_case(submission_key="k" * 32)
    assert Case.objects.count() == 1
    assert second.duplicate and second.tracking_code == first.tracking_code


def test_first_office_user_to_accept_becomes_first_responder_and_owns_routing(file_case, office, make_person,
                                                                              bureau, unit_a):
    other = make_person("office_li", unit=bureau, roles=["office"])
    filed = file_case()
    services.case_accept(case_id=filed.case.pk, actor=office)
    with pytest.raises(PermissionDenied):
        services.case_assign(case_id=filed.case.pk, actor=other, unit=unit_a)
    case = services.case_assign(case_id=filed.case.pk, actor=office, unit=unit_a)
    assert case.first_responder == office and case.status == CaseStatus.IN_PROGRESS


def test_a_double_click_on_accept_changes_the_case_once(file_case, office):
    filed = file_case()
    services.case_accept(case_id=filed.case.pk, actor=office)
    with pytest.raises(CaseConflict):
        services.case_accept(case_id=filed.case.pk, actor=office)
    assert CaseEvent.objects.filter(case=filed.case, kind="accepted").count() == 1


def test_decline_needs_a_reason_the_public_sees(file_case, office):
    filed = file_case()
    with pytest.raises(ValidationError):
        services.case_decline(case_id=filed.case.pk, actor=office, reason=" ")
    case = services.case_decline(case_id=filed.case.pk, actor=office, reason="不属于卫生健康部门职责")
    assert case.status == CaseStatus.DECLINED
    assert CaseEvent.objects.get(case=case, kind="declined").is_public


def test_unit_replies_closes_and_an_unsatisfied_rating_reopens_once(assigned_case, liaison_a, liaison_b):
    case_id = assigned_case.case.pk
    with pytest.raises(PermissionDenied):
        services.case_reply(case_id=case_id, actor=liaison_b, text="已处理")
    services.case_reply(case_id=case_id, actor=liaison_a, text="已对当事人批评教育，并增加窗口。")
    services.case_close(case_id=case_id, actor=liaison_a)
    case = services.case_rate(case_id=case_id, rating="unsatisfied")
    assert case.status == CaseStatus.IN_PROGRESS and case.reopened
    with pytest.raises(CaseConflict):
        services.case_rate(case_id=case_id, rating="satisfied")  # no new reply yet
    services.case_reply(case_id=case_id, actor=liaison_a, text="再次核实并道歉。")
    case = services.case_rate(case_id=case_id, rating="unsatisfied")
    assert case.status == CaseStatus.REPLIED  # reopened only once
    assert case.rating == "unsatisfied"


def test_transfer_by_the_first_responder_needs_a_reason_and_moves_the_case(assigned_case, office, unit_b):
    with pytest.raises(ValidationError):
        services.case_transfer(case_id=assigned_case.case.pk, actor=office, unit=unit_b, reason="")
    case = services.case_transfer(case_id=assigned_case.case.pk, actor=office, unit=unit_b, reason="事发地点属乙院")
    assert case.assignee_unit == unit_b


def test_a_unit_returns_a_case_that_is_not_theirs_to_the_office(assigned_case, liaison_a, office, unit_b):
    with pytest.raises(PermissionDenied):
        services.case_transfer(case_id=assigned_case.case.pk, actor=liaison_a, unit=unit_b, reason="不归我们")
    case = services.case_return(case_id=assigned_case.case.pk, actor=liaison_a, reason="事发地点属乙院")
    assert case.status == CaseStatus.ACCEPTED and case.assignee_unit is None
    case = services.case_assign(case_id=case.pk, actor=office, unit=unit_b)
    assert case.assignee_unit == unit_b


def test_extension_before_deadline_approved_by_office_moves_reply_date(assigned_case, liaison_a, office):
    before = assigned_case.case.reply_due
    row = services.case_request_create(case_id=assigned_case.case.pk, actor=liaison_a, kind="extension", days=3,
                                       reason="需调取监控")
    services.case_request_decide(request_id=row.pk, actor=office, approve=True)
    case = Case.objects.get(pk=assigned_case.case.pk)
    assert case.reply_due > before
    with pytest.raises(CaseConflict):
        services.case_request_decide(request_id=row.pk, actor=office, approve=True)


def test_extension_after_deadline_is_refused(assigned_case, liaison_a, time_machine):
    time_machine.move_to(dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(ValidationError):
        services.case_request_create(case_id=assigned_case.case.pk, actor=liaison_a, kind="extension", days=3,
                                     reason="晚了")


def test_reveal_is_audited_and_denied_for_reports_to_units(file_case, office, liaison_a, unit_a):
    from xiaoneng.core.audit.models import AuditEvent

    filed = file_case(kind="report", unit=unit_a)
    services.case_accept(case_id=filed.case.pk, actor=office, assignee_unit=unit_a)
    case = Case.objects.get(pk=filed.case.pk)
    assert services.case_reveal(case=case, actor=office, field="phone") == "13812345678"
    with pytest.raises(PermissionDenied):
        services.case_reveal(case=case, actor=liaison_a, field="phone")
    results = list(AuditEvent.objects.filter(action="feedback.reveal").values_list("result", flat=True))
    assert sorted(results) == ["denied", "ok"]
