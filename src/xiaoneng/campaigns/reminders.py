"""Reminders for due items: before the due date, on the day, and when overdue.

Sent by the worker only on working days within working hours. The Reminder row (unique per
due item and stage) is written in the same transaction as the notifications it causes, so a
reminder is never sent twice, also across restarts and with several workers.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from xiaoneng.core.notify.services import notify_users
from xiaoneng.core.workdays.services import add_working_days, is_working_time
from xiaoneng.org.models import Role, User

from .models import CampaignStatus, DueItem, DueItemState, Reminder, ReminderStage, SubmissionStatus

DONE_STATES = (SubmissionStatus.AWAITING_APPROVAL, SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


def reminder_stage(due: dt.date, today: dt.date, soon_until: dt.date) -> str | None:
    if due < today:
        return ReminderStage.OVERDUE
    if due == today:
        return ReminderStage.ON_DAY
    if due <= soon_until:
        return ReminderStage.BEFORE
    return None


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Send every reminder that is due now; returns how many were sent."""
    now = now or timezone.now()
    if not is_working_time(now):
        return 0
    today = timezone.localdate(now)
    soon_until = add_working_days(today, getattr(settings, "REMINDER_WORKING_DAYS_BEFORE", 2))
    items = (DueItem.objects.filter(state=DueItemState.OPEN, due_date__lte=soon_until,
                                    obligation__campaign__status=CampaignStatus.ACTIVE,
                                    obligation__campaign__is_template=False)
             .exclude(submissions__status__in=DONE_STATES)
             .select_related("obligation", "unit").distinct())
    sent = 0
    for item in items.iterator():
        stage = reminder_stage(item.due_date, today, soon_until)
        if stage is None:
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(due_item=item, stage=stage, sent_at=now)
                roles = [Role.LIAISON] + ([Role.UNIT_LEADER] if stage == ReminderStage.OVERDUE else [])
                people = User.objects.filter(unit_id=item.unit_id, is_active=True,
                                             role_assignments__role__in=roles).distinct()
                with override(settings.LANGUAGE_CODE):
                    title = {
                        ReminderStage.BEFORE: _("Report due on %(date)s: %(title)s"),
                        ReminderStage.ON_DAY: _("Report due today: %(title)s"),
                        ReminderStage.OVERDUE: _("Report overdue since %(date)s: %(title)s"),
                    }[stage] % {"date": item.due_date.isoformat(), "title": item.obligation.title}
                notify_users(users=people, title=title, body=f"{item.unit.name} {item.label}".strip(),
                             url=reverse("campaigns:due_item", args=[item.pk]),
                             dedupe_prefix=f"reminder:{item.pk}:{stage}")
        except IntegrityError:
            continue  # another worker, or an earlier run, already sent this one
        sent += 1
    return sent
