"""Demo of the escalation ladder over the demo cases (idempotent; call after the cases' demo).

``seed_demo()`` replays the periodic scan at 10:00 on each working day of the last 30 days, so the
demo's overdue cases carry the notices they would have received, then records one accountability
decision and ticks off one call-back.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from xiaoneng.core.workdays.services import working_calendar
from xiaoneng.feedback.models import Case
from xiaoneng.org.models import Role, User

from .models import AccountabilityRecord, Alert, AlertStatus, CallBack, CallBackOutcome, Measure, Step
from .services import escalation_scan

REPLAY_DAYS = 30


def seed_demo(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Replay the ladder over the last weeks and add an accountability record and a call-back outcome."""
    if not Case.objects.exists():
        return {"sent": 0, "callbacks": 0, "accountability": 0}
    zone = ZoneInfo(settings.TIME_ZONE)
    now = now or timezone.now()
    today = timezone.localtime(now, zone).date()
    calendar = working_calendar()
    sent = callbacks = 0
    day = today - dt.timedelta(days=REPLAY_DAYS)
    while day <= today:
        if calendar.is_working_day(day):
            moment = dt.datetime.combine(day, dt.time(10, 0), tzinfo=zone)
            result = escalation_scan(now=min(moment, now) if day == today else moment)
            sent += result.sent
            callbacks += result.callbacks
        day += dt.timedelta(days=1)
    office = User.objects.filter(role_assignments__role=Role.OFFICE, is_active=True).order_by("pk").first()
    recorded = 0
    if office is not None and not AccountabilityRecord.objects.exists():
        worst = (Alert.objects.filter(status=AlertStatus.SENT, unit__isnull=False,
                                      step__in=[Step.REPORT, Step.RED, Step.ORANGE])
                 .select_related("case", "unit").order_by("-sent_at").first())
        if worst is not None:
            liaison = User.objects.filter(unit=worst.unit, role_assignments__role=Role.LIAISON).first()
            AccountabilityRecord.objects.create(
                case=worst.case, unit=worst.unit, person=liaison, measure=Measure.TALK,
                decided_on=timezone.localtime(worst.sent_at, zone).date(), created_by=office,
                reason="收到橙色预警后仍未在规定期限内答复群众诉求，经局效能办研究，对承办单位分管领导和经办人进行约谈。")
            recorded = 1
    open_callback = CallBack.objects.filter(done_at__isnull=True).order_by("pk").first()
    if office is not None and open_callback is not None and not CallBack.objects.filter(done_at__isnull=False).exists():
        CallBack.objects.filter(pk=open_callback.pk, done_at__isnull=True).update(
            done_at=now, done_by=office, outcome=CallBackOutcome.SATISFIED,
            note="已电话回访，诉求人对办理结果表示满意。")
    return {"sent": sent, "callbacks": callbacks, "accountability": recorded}
