"""Writes of the escalation app: the ladder scan, call-backs, accountability records, settings.

The scan (run every 15 minutes by ``tasks.py``) sends only on working days within working hours.
Each step it takes is an ``Alert`` row, unique per (case, stage, step), created in the same
transaction as the notifications it causes: a second scan, a concurrent worker or a restart finds
the row (or fails on the unique key and rolls its notifications back), so nothing is sent twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from xiaoneng.core.audit.services import audit_record
from xiaoneng.core.notify.services import notify_users
from xiaoneng.core.workdays.services import WorkingCalendar, is_working_time, working_calendar
from xiaoneng.feedback.models import Case, CaseStatus
from xiaoneng.org.models import Role, Unit, User
from xiaoneng.org.selectors import is_office, require_office

from .ladder import LadderDecision, steps_due
from .models import (
    AccountabilityRecord,
    Alert,
    AlertStatus,
    CallBack,
    CallBackOutcome,
    LadderConfig,
    Measure,
    Step,
)

logger = logging.getLogger(__name__)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- settings ----------------------------------------------------------------------------------
def ladder_config_get() -> LadderConfig:
    """The ladder's settings (the defaults until the office changes them)."""
    config = LadderConfig.objects.filter(pk=1).first()
    return config if config is not None else LadderConfig(pk=1)


@transaction.atomic
def ladder_config_update(*, user: Any, config: LadderConfig, request: Any = None) -> LadderConfig:
    """Save the office's ladder settings (validated: offsets go up one step after another)."""
    require_office(user)
    config.pk = 1
    config.full_clean()
    config.updated_by = user
    config.save()
    audit_record("escalation.settings", request=request, actor=user, obj=config,
                 detail={"steps": [[s.code, s.offset] for s in config.steps()],
                         "orange_reply_days": config.orange_reply_days})
    return config


# --- the scan ----------------------------------------------------------------------------------
@dataclass
class ScanResult:
    sent: int = 0
    skipped: int = 0
    callbacks: int = 0


def _office_people() -> QuerySet[User]:
    return User.objects.filter(is_active=True, role_assignments__role=Role.OFFICE).distinct()


def _unit_people(unit_id: int, roles: list[str]) -> QuerySet[User]:
    return User.objects.filter(unit_id=unit_id, is_active=True, role_assignments__role__in=roles).distinct()


def alert_recipients(case: Case, step: str) -> list[User]:
    """Who an alert goes to: the handler for the reminder; the unit and its leader for notices
    (the first responder and the office while no unit handles the case); the office for the
    circulated-criticism proposal."""
    if step == Step.REPORT:
        return list(_office_people())
    if case.assignee_unit_id:
        roles = [Role.LIAISON] if step == Step.REMINDER else [Role.LIAISON, Role.UNIT_LEADER]
        people = list(_unit_people(case.assignee_unit_id, roles))
        if people:
            return people
    # Not yet routed (acceptance stage): the first responder owns it (首问负责制).
    if case.first_responder_id and case.first_responder.is_active:
        people = [case.first_responder]
        if step != Step.REMINDER:
            people += [p for p in _office_people() if p.pk != case.first_responder_id]
        return people
    return list(_office_people())


def _title(case: Case, step: str, due_date: dt.date) -> str:
    with override(settings.LANGUAGE_CODE):
        template = {
            Step.REMINDER: _("Case %(number)s is due on %(date)s"),
            Step.URGE: _("Urging notice: case %(number)s was due on %(date)s"),
            Step.BLUE: _("Blue supervision notice: case %(number)s is overdue since %(date)s"),
            Step.ORANGE: _("Orange warning: case %(number)s is overdue since %(date)s"),
            Step.RED: _("Red final warning: case %(number)s is overdue since %(date)s"),
            Step.REPORT: _("Proposal to circulate a criticism: case %(number)s overdue since %(date)s"),
        }[step]
        return template % {"number": case.number, "date": due_date.isoformat()}


def _record_event(case: Case, alert: Alert, title: str) -> None:
    """Write the step into the case's history, if the cases app offers it."""
    try:
        from xiaoneng.feedback.services import case_event_add
    except ImportError:  # pragma: no cover - the cases app provides it
        return
    case_event_add(case, "escalation", None, title)


def _send(case: Case, stage: str, due_at: dt.datetime, decision: LadderDecision, *, now: dt.datetime,
          config: LadderConfig, calendar: WorkingCalendar) -> Alert | None:
    """Record (and for ``decision.send`` notify) the decided steps in one transaction."""
    for step in decision.skip:
        Alert.objects.create(case=case, stage=stage, step=step.code, status=AlertStatus.SKIPPED,
                             unit_id=case.assignee_unit_id, due_at=due_at, sent_at=now)
    if decision.send is None:
        return None
    code = decision.send.code
    today = timezone.localtime(now, _zone()).date()
    reply_due = calendar.add_working_days(today, config.orange_reply_days) if code == Step.ORANGE else None
    people = alert_recipients(case, code)
    alert = Alert.objects.create(case=case, stage=stage, step=code, status=AlertStatus.SENT,
                                 unit_id=case.assignee_unit_id, due_at=due_at, sent_at=now, reply_due_on=reply_due,
                                 recipients=[p.pk for p in people])
    due_date = timezone.localtime(due_at, _zone()).date()
    title = _title(case, code, due_date)
    url = reverse("feedback_escalation:notice", args=[alert.pk])
    body = case.assignee_unit.name if case.assignee_unit_id else ""
    notify_users(users=people, title=title, body=body, url=url, sms=code != Step.REMINDER,
                 dedupe_prefix=f"escalation:{alert.pk}")
    _record_event(case, alert, title)
    return alert


def escalation_scan(*, now: dt.datetime | None = None) -> ScanResult:
    """Take every ladder step that is due now and create the call-backs that are due; safe to run
    twice and concurrently (the unique key on ``Alert`` and ``CallBack`` decides)."""
    now = now or timezone.now()
    result = ScanResult()
    if not is_working_time(now):
        return result
    from xiaoneng.feedback.selectors import case_clock, cases_open_for_escalation

    config = ladder_config_get()
    steps = config.steps()
    calendar = working_calendar()
    zone = _zone()
    for case in cases_open_for_escalation().iterator(chunk_size=500):
        if case.received_at > now:
            continue  # only when replaying past moments (the demo)
        clock = case_clock(case, now=now, calendar=calendar)
        if clock.paused or clock.due_at is None:
            continue
        recorded = set(Alert.objects.filter(case=case, stage=clock.stage).values_list("step", flat=True))
        decision = steps_due(steps=steps, due_at=clock.due_at, now=now, calendar=calendar, recorded=recorded,
                             zone=zone, working_hours=settings.WORKING_HOURS)
        if decision.send is None and not decision.skip:
            continue
        try:
            with transaction.atomic():
                _send(case, clock.stage, clock.due_at, decision, now=now, config=config, calendar=calendar)
        except IntegrityError:
            continue  # another scan took this step first; its notifications stand, ours rolled back
        result.sent += decision.send is not None
        result.skipped += len(decision.skip)
    result.callbacks = callbacks_create(now=now, calendar=calendar)
    return result


# --- call-backs --------------------------------------------------------------------------------
def callbacks_create(*, now: dt.datetime | None = None, calendar: WorkingCalendar | None = None) -> int:
    """From the working day after a case was closed, a call-back for the office to tick off (not for
    anonymous reports: there is no one to call)."""
    now = now or timezone.now()
    calendar = calendar or working_calendar()
    zone = _zone()
    today = timezone.localtime(now, zone).date()
    since = now - dt.timedelta(days=60)  # a long-closed case is not called back months later
    closed = (Case.objects.filter(status=CaseStatus.CLOSED, closed_at__gte=since, closed_at__lt=now,
                                  is_anonymous=False)
              .exclude(phone_hash="").select_related("assignee_unit").order_by("pk"))
    existing = set(CallBack.objects.filter(case__in=closed).values_list("case_id", "closed_on"))
    office = list(_office_people())
    created = 0
    for case in closed:
        closed_on = timezone.localtime(case.closed_at, zone).date()
        if (case.pk, closed_on) in existing:
            continue
        due_on = calendar.add_working_days(closed_on, 1)
        if due_on > today:
            continue
        try:
            with transaction.atomic():
                callback = CallBack.objects.create(case=case, closed_on=closed_on, due_on=due_on,
                                                   unit_id=case.assignee_unit_id)
                with override(settings.LANGUAGE_CODE):
                    title = _("Call back the complainant of case %(number)s") % {"number": case.number}
                notify_users(users=office, title=title, url=reverse("feedback_escalation:callbacks"),
                             email=False, dedupe_prefix=f"callback:{callback.pk}")
        except IntegrityError:
            continue
        created += 1
    return created


def callback_complete(*, user: Any, callback: CallBack, outcome: str, note: str = "",
                      request: Any = None) -> CallBack:
    """The office records how the call-back went; a second tick (double submit) changes nothing."""
    require_office(user)
    if outcome not in CallBackOutcome.values:
        raise ValidationError({"outcome": _("Choose how the call went.")})
    now = timezone.now()
    updated = CallBack.objects.filter(pk=callback.pk, done_at__isnull=True).update(
        done_at=now, done_by=user, outcome=outcome, note=note.strip())
    callback.refresh_from_db()
    if not updated:
        raise ValidationError(_("This call-back was already recorded."))
    audit_record("escalation.callback", request=request, actor=user, obj=callback,
                 detail={"case": callback.case.number, "outcome": outcome})
    return callback


# --- accountability ----------------------------------------------------------------------------
@transaction.atomic
def accountability_record_create(*, user: Any, case: Case, unit: Unit, measure: str, decided_on: dt.date,
                                 reason: str, person: User | None = None, person_name: str = "",
                                 measure_other: str = "", request: Any = None) -> AccountabilityRecord:
    """Record who was responsible for an overdue or mishandled case and what followed."""
    if not is_office(user):
        raise PermissionDenied
    record = AccountabilityRecord(case=case, unit=unit, person=person, person_name=person_name.strip(),
                                  measure=measure, measure_other=measure_other.strip(), decided_on=decided_on,
                                  reason=reason.strip(), created_by=user)
    errors = {}
    if measure == Measure.OTHER and not record.measure_other:
        errors["measure_other"] = _("Say which measure was taken.")
    if person is not None and person.unit_id != unit.pk:
        errors["person"] = _("The person does not belong to the responsible unit.")
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    record.full_clean()
    record.save()
    audit_record("escalation.accountability", request=request, actor=user, obj=record,
                 detail={"case": case.number, "unit": unit.pk, "measure": measure})
    return record
