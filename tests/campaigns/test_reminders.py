"""Reminders: before, on and after the due date; on working days in working hours; never twice."""

import datetime as dt

import pytest
import time_machine

from xiaoneng.campaigns import services
from xiaoneng.campaigns.builtin import PUBLICITY_PLAN, builtin_template
from xiaoneng.campaigns.models import Reminder
from xiaoneng.campaigns.reminders import reminders_send
from xiaoneng.core.jobs.models import Job
from xiaoneng.core.notify.models import Notification

pytestmark = pytest.mark.django_db
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture
def campaign(office, unit_a, liaison_a):
    liaison_a.email = "liaison@example.org"
    liaison_a.save()
    return services.campaign_create(
        user=office, template=builtin_template(PUBLICITY_PLAN, 2026), title="宣传", kind="publicity", year=2026,
        start_date=dt.date(2026, 2, 1), end_date=dt.date(2026, 12, 31))


def test_reminders_go_out_once_in_working_hours(campaign, liaison_a):
    # Thursday 12 Feb 2026, 10:00 Beijing time: 附表1 is due Saturday 14 Feb (an adjusted working day).
    moment = dt.datetime(2026, 2, 12, 10, 0, tzinfo=SHANGHAI)
    with time_machine.travel(moment):
        first = reminders_send()
        again = reminders_send()
    assert first >= 1 and again == 0
    notes = Notification.objects.filter(user=liaison_a)
    assert notes.count() == first == Reminder.objects.count()
    assert notes.filter(title__contains="报送宣传工作分管领导、具体工作人员联系方式").count() == 1
    assert Job.objects.filter(kind="notify.email").count() == first


def test_no_reminders_at_night_or_on_a_holiday(campaign):
    with time_machine.travel(dt.datetime(2026, 2, 12, 22, 0, tzinfo=SHANGHAI)):
        assert reminders_send() == 0
    with time_machine.travel(dt.datetime(2026, 2, 17, 10, 0, tzinfo=SHANGHAI)):  # Spring Festival
        assert reminders_send() == 0
    assert not Reminder.objects.exists()


def test_overdue_stage_is_a_separate_reminder_and_a_submitted_item_gets_none(campaign, liaison_a, unit_a):
    from xiaoneng.campaigns.models import DueItem

    plan = DueItem.objects.get(unit=unit_a, obligation__title__contains="工作方案")
    with time_machine.travel(dt.datetime(2026, 2, 24, 10, 0, tzinfo=SHANGHAI)):
        reminders_send()
    assert Reminder.objects.filter(due_item=plan, stage="on_day").exists()
    with time_machine.travel(dt.datetime(2026, 2, 25, 10, 0, tzinfo=SHANGHAI)):
        reminders_send()
    assert Reminder.objects.filter(due_item=plan, stage="overdue").exists()
    contacts = DueItem.objects.get(unit=unit_a, obligation__is_contact_form=True)
    services.submission_submit(user=liaison_a, due_item=contacts, text="已报")
    Reminder.objects.filter(due_item=contacts).delete()
    with time_machine.travel(dt.datetime(2026, 2, 26, 10, 0, tzinfo=SHANGHAI)):
        reminders_send()
    assert not Reminder.objects.filter(due_item=contacts).exists()
