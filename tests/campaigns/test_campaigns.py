"""Campaigns: templates, due items that follow their rules, submissions and their review."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from xiaoneng.campaigns import selectors, services
from xiaoneng.campaigns.builtin import PUBLICITY_PLAN, builtin_template
from xiaoneng.campaigns.models import DueItem, DueItemState, Obligation, Phase, SubmissionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(office, unit_a, unit_b):
    return services.campaign_create(
        user=office, template=builtin_template(PUBLICITY_PLAN, 2026), title="2026年效能年活动宣传", kind="publicity",
        year=2026, start_date=dt.date(2026, 2, 1), end_date=dt.date(2026, 12, 31))


def items_of(unit, title_part):
    return list(DueItem.objects.filter(unit=unit, obligation__title__contains=title_part).order_by("due_date"))


def test_campaign_from_the_publicity_template_has_its_obligations_at_once(campaign, unit_a):
    contacts = items_of(unit_a, "联系方式")
    # 14 Feb 2026 is a Saturday, but an adjusted working day before the Spring Festival break.
    assert [i.due_date for i in contacts] == [dt.date(2026, 2, 14)]
    plan = items_of(unit_a, "工作方案")
    # 20 Feb 2026 falls in the break (15–23 Feb): the plan is due on the next working day.
    assert [i.due_date for i in plan] == [dt.date(2026, 2, 24)]
    monthly = items_of(unit_a, "上月")
    assert monthly[0].label and monthly[0].period_key == "2026-02"
    assert all(i.due_date.day >= 5 for i in monthly)
    after_phase = items_of(unit_a, "工作小结")
    assert len(after_phase) == 3
    first_phase = campaign.phases.get(order=0)
    assert after_phase[0].due_date >= first_phase.end_date + dt.timedelta(days=7)


def test_moving_a_phase_moves_its_due_items_instead_of_adding_new_ones(campaign, office, unit_a):
    phase = campaign.phases.get(order=0)
    before = items_of(unit_a, "工作小结")
    phase.end_date = dt.date(2026, 5, 15)
    services.phase_save(user=office, phase=phase)
    after = items_of(unit_a, "工作小结")
    assert len(after) == len(before)
    assert after[0].pk == before[0].pk
    assert after[0].due_date == dt.date(2026, 5, 22)


def test_narrowing_an_assignment_withdraws_items_but_keeps_submissions(campaign, office, liaison_b, unit_b, groups):
    item = items_of(unit_b, "工作方案")[0]
    services.submission_submit(user=liaison_b, due_item=item, text="方案已制定")
    obligation = item.obligation
    obligation.assign_to = "group"
    obligation.ranking_group = groups["county"]
    services.obligation_save(user=office, obligation=obligation)
    item.refresh_from_db()
    assert item.state == DueItemState.WITHDRAWN
    assert item.submissions.count() == 1
    shown = {v.item.pk: v.status for v in selectors.my_work_for_user(user=liaison_b)}
    assert shown[item.pk] == "withdrawn"  # still listed, with what was sent


def test_liaison_submits_office_returns_liaison_resubmits_with_history(campaign, office, liaison_a, unit_a):
    item = items_of(unit_a, "工作方案")[0]
    with time_machine.travel(dt.datetime(2026, 2, 10, 10, 0, tzinfo=dt.UTC)):
        first = services.submission_submit(user=liaison_a, due_item=item, text="第一稿")
    assert first.is_on_time and first.status == SubmissionStatus.SUBMITTED
    services.submission_return(user=office, submission=first, comment="请补充第一阶段计划")
    with pytest.raises(ValidationError):
        services.submission_return(user=office, submission=first, comment="再退一次")
    with time_machine.travel(dt.datetime(2026, 2, 25, 10, 0, tzinfo=dt.UTC)):
        second = services.submission_submit(user=liaison_a, due_item=item, text="第二稿")
    assert not second.is_on_time
    assert second.late_working_days == 1  # due 24 Feb (moved out of the Spring Festival break)
    services.submission_accept(user=office, submission=second)
    statuses = list(item.submissions.order_by("submitted_at").values_list("status", flat=True))
    assert statuses == [SubmissionStatus.RETURNED, SubmissionStatus.ACCEPTED]


def test_returning_needs_a_comment(campaign, office, liaison_a, unit_a):
    submission = services.submission_submit(user=liaison_a, due_item=items_of(unit_a, "工作方案")[0], text="稿")
    with pytest.raises(ValidationError) as error:
        services.submission_return(user=office, submission=submission, comment="  ")
    assert "comment" in error.value.message_dict


def test_a_unit_cannot_submit_twice_or_for_another_unit(campaign, liaison_a, liaison_b, unit_a):
    item = items_of(unit_a, "工作方案")[0]
    services.submission_submit(user=liaison_a, due_item=item, text="稿")
    with pytest.raises(ValidationError):
        services.submission_submit(user=liaison_a, due_item=item, text="又一稿")
    with pytest.raises(PermissionDenied):
        services.submission_submit(user=liaison_b, due_item=item, text="别人的")


def test_the_same_form_sent_twice_creates_one_submission(campaign, liaison_a, unit_a):
    item = items_of(unit_a, "工作方案")[0]
    first = services.submission_submit(user=liaison_a, due_item=item, text="稿", idempotency_key="k1")
    again = services.submission_submit(user=liaison_a, due_item=item, text="稿", idempotency_key="k1")
    assert first.pk == again.pk and item.submissions.count() == 1


def test_withdraw_before_review_then_submit_again(campaign, liaison_a, unit_a, office):
    item = items_of(unit_a, "工作方案")[0]
    first = services.submission_submit(user=liaison_a, due_item=item, text="稿")
    services.submission_withdraw(user=liaison_a, submission=first)
    services.submission_submit(user=liaison_a, due_item=item, text="新稿")
    second = item.submissions.get(status=SubmissionStatus.SUBMITTED)
    services.submission_accept(user=office, submission=second)
    with pytest.raises(ValidationError):
        services.submission_withdraw(user=liaison_a, submission=second)


def test_leader_approval_sends_the_report_on(campaign, office, liaison_a, leader_a, unit_a):
    obligation = Obligation.objects.get(campaign=campaign, title__contains="工作方案")
    obligation.requires_leader_approval = True
    obligation.save()
    item = items_of(unit_a, "工作方案")[0]
    submission = services.submission_submit(user=liaison_a, due_item=item, text="稿")
    assert submission.status == SubmissionStatus.AWAITING_APPROVAL
    with pytest.raises(ValidationError):
        services.submission_accept(user=office, submission=submission)
    services.submission_approve(user=leader_a, submission=submission)
    assert submission.status == SubmissionStatus.SUBMITTED


def test_my_work_lists_only_the_units_items_by_due_date(campaign, liaison_a, unit_a):
    views = selectors.my_work_for_user(user=liaison_a)
    assert views and all(v.item.unit_id == unit_a.pk for v in views)
    assert [v.item.due_date for v in views] == sorted(v.item.due_date for v in views)


def test_overdue_and_due_soon_are_told_apart(campaign, liaison_a, unit_a):
    with time_machine.travel(dt.datetime(2026, 2, 19, 2, 0, tzinfo=dt.UTC)):
        statuses = {v.item.obligation.title: v.status for v in selectors.my_work_for_user(user=liaison_a)
                    if v.item.due_date <= dt.date(2026, 2, 28)}
    assert statuses["报送宣传工作分管领导、具体工作人员联系方式"] == "overdue"
    assert statuses["报送宣传工作方案、第一阶段宣传计划"] == "soon"


def test_board_counts_and_export_opens_back(campaign, office, liaison_a, unit_a, unit_b):
    item = items_of(unit_a, "工作方案")[0]
    with time_machine.travel(dt.datetime(2026, 2, 10, 10, 0, tzinfo=dt.UTC)):
        services.submission_submit(user=liaison_a, due_item=item, text="稿")
    with time_machine.travel(dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.UTC)):
        columns, rows = selectors.board_for_user(user=office, campaign=campaign)
    by_unit = {row.unit.pk: row for row in rows}
    assert by_unit[unit_a.pk].submitted == 1 and by_unit[unit_a.pk].on_time == 1
    assert by_unit[unit_b.pk].submitted == 0
    from xiaoneng.campaigns.exports import board_xlsx

    sheet = load_workbook(io.BytesIO(board_xlsx(campaign, columns, rows))).active
    names = [sheet.cell(r, 1).value for r in range(3, sheet.max_row + 1)]
    assert set(names) == {unit_a.name, unit_b.name}


def test_contact_form_is_collected_and_exported_in_the_forms_layout(campaign, office, liaison_a, unit_a, unit_b):
    item = items_of(unit_a, "联系方式")[0]
    services.contact_submit(user=liaison_a, due_item=item, data={
        "leader_name": "钱分管", "leader_title": "副局长", "leader_phone": "13800001111",
        "liaison_name": "甲联络", "liaison_title": "科员", "liaison_phone": "=HYPERLINK(\"x\")"})
    from xiaoneng.campaigns.exports import contacts_xlsx

    sheet = load_workbook(io.BytesIO(contacts_xlsx(campaign, services.contacts_for_campaign(campaign=campaign)))).active
    rows = {sheet.cell(r, 2).value: [sheet.cell(r, c).value for c in range(1, 9)] for r in range(5, sheet.max_row + 1)}
    assert rows[unit_a.name][2:5] == ["钱分管", "副局长", "13800001111"]
    assert rows[unit_a.name][7].startswith("'=")
    assert rows[unit_b.name][2] == "未报送"
    assert sheet["A1"].value == "附表1" and "C3:E3" in [str(r) for r in sheet.merged_cells.ranges]


def test_saving_a_campaign_as_a_template_copies_its_structure(campaign, office):
    template = services.campaign_save_as_template(user=office, campaign=campaign, title="我的模板")
    assert template.is_template
    assert template.obligations.count() == campaign.obligations.count()
    assert template.phases.count() == Phase.objects.filter(campaign=campaign).count()
    assert not DueItem.objects.filter(obligation__campaign=template).exists()
