"""Reads of cases: the clock of a case, lists and one case for a user, the public look-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from xiaoneng.core.models import StoredFile
from xiaoneng.core.scoping import get_for_user, scope_queryset
from xiaoneng.core.workdays.services import WorkingCalendar, working_calendar
from xiaoneng.org.models import Role
from xiaoneng.org.selectors import is_office

from .models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseKind,
    CaseKindDeadline,
    CaseRequest,
    CaseStage,
    CaseStatus,
)

DEFAULT_DAYS = {"accept_days": 1, "reply_days": 5, "close_days": 15}


@dataclass(frozen=True)
class CaseClock:
    """Where a case stands against its time limit.

    ``stage``: "accept" | "reply" | "close" | "none" (closed or declined); ``due_at``: the end of the
    stage's last working day (Beijing time), None when no stage runs; ``paused``: an approved pause
    holds the clock (no colour, no escalation); ``colour``: "green", "yellow" (due within 1 working
    day), "red" (overdue) or "none".
    """

    stage: str
    due_at: dt.datetime | None
    paused: bool
    colour: str
    due_date: dt.date | None = None


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def end_of_day(day: dt.date) -> dt.datetime:
    """The last moment of ``day`` in Beijing time (a deadline day ends at midnight)."""
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=_zone()) - dt.timedelta(microseconds=1)


def case_stage_due(case: Case) -> tuple[str, dt.date | None]:
    """The running stage of ``case`` and its due date."""
    if case.status == CaseStatus.RECEIVED:
        return CaseStage.ACCEPT.value, case.accept_due
    if case.status in (CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS):
        return CaseStage.REPLY.value, case.reply_due
    if case.status == CaseStatus.REPLIED:
        return CaseStage.CLOSE.value, case.close_due
    return "none", None


def case_clock(case: Case, *, now: dt.datetime | None = None, calendar: WorkingCalendar | None = None) -> CaseClock:
    """The stage, due moment, pause state and traffic-light colour of ``case`` at ``now``."""
    stage, due = case_stage_due(case)
    if stage == "none" or due is None:
        return CaseClock(stage=stage, due_at=None, paused=False, colour="none", due_date=None)
    due_at = end_of_day(due)
    if case.paused_since is not None:
        return CaseClock(stage=stage, due_at=due_at, paused=True, colour="none", due_date=due)
    now = now or timezone.now()
    if now > due_at:
        colour = "red"
    else:
        calendar = calendar or working_calendar()
        today = timezone.localtime(now, _zone()).date()
        colour = "yellow" if calendar.working_days_between(today, due) <= 1 else "green"
    return CaseClock(stage=stage, due_at=due_at, paused=False, colour=colour, due_date=due)


def cases_open_for_escalation() -> QuerySet[Case]:
    """Open cases whose clock runs (not closed, declined or paused), with their units, for the ladder."""
    return (Case.objects.filter(status__in=OPEN_STATUSES, paused_since__isnull=True)
            .select_related("unit", "assignee_unit", "first_responder").order_by("pk"))


def deadline_days_for(kind: str) -> dict[str, int]:
    """The office's working-day limits for ``kind`` (defaults 1 / 5 / 15)."""
    row = CaseKindDeadline.objects.filter(kind=kind).first()
    if row is None:
        return dict(DEFAULT_DAYS)
    return {"accept_days": row.accept_days, "reply_days": row.reply_days, "close_days": row.close_days}


def deadline_table() -> list[dict[str, Any]]:
    """One row per case kind with its limits, for the office's settings screen."""
    rows = {row.kind: row for row in CaseKindDeadline.objects.all()}
    table = []
    for kind in CaseKind:
        row = rows.get(kind.value)
        days = ({"accept_days": row.accept_days, "reply_days": row.reply_days, "close_days": row.close_days}
                if row else dict(DEFAULT_DAYS))
        table.append({"kind": kind.value, "label": kind.label, **days})
    return table


def _visible(user: Any) -> QuerySet[Case]:
    base = Case.objects.select_related("unit", "assignee_unit", "first_responder")
    return scope_queryset(base, user)


def case_list_for_user(*, user: Any, status: str = "", kind: str = "", channel: str = "", colour: str = "",
                       query: str = "") -> list[tuple[Case, CaseClock]]:
    """The cases the user may see (the office: all; a unit: those assigned to it), each with its clock."""
    cases = _visible(user)
    if status == "open":
        cases = cases.filter(status__in=OPEN_STATUSES)
    elif status:
        cases = cases.filter(status=status)
    if kind:
        cases = cases.filter(kind=kind)
    if channel:
        cases = cases.filter(channel=channel)
    if query:
        cases = cases.filter(Q(number__icontains=query) | Q(what__icontains=query) | Q(where__icontains=query))
    calendar = working_calendar()
    now = timezone.now()
    rows = [(case, case_clock(case, now=now, calendar=calendar)) for case in cases[:500]]
    if colour:
        rows = [row for row in rows if row[1].colour == colour]
    return rows


def case_get_for_user(*, user: Any, pk: Any, write: bool = False) -> Case:
    """One case the user may see (403 for another unit's case, 404 for none)."""
    base = Case.objects.select_related("unit", "assignee_unit", "first_responder")
    return get_for_user(base, user=user, pk=pk, write=write)


def case_events_for_user(*, user: Any, case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor", "actor_unit").order_by("at", "id")


def case_requests_for_case(*, case: Case) -> QuerySet[CaseRequest]:
    return case.requests.select_related("requested_by", "decided_by")


def pending_requests_for_office(*, user: Any) -> QuerySet[CaseRequest]:
    """Extension and pause requests waiting for the office's decision."""
    if not is_office(user):
        raise PermissionDenied
    return (CaseRequest.objects.filter(status="pending").select_related("case", "case__assignee_unit", "requested_by")
            .order_by("requested_at"))


def may_handle(user: Any, case: Case) -> bool:
    """Whether ``user`` acts for the unit handling ``case`` (liaison or unit leader of it)."""
    return bool(case.assignee_unit_id and user.unit_id == case.assignee_unit_id
                and user.has_role(Role.LIAISON, Role.UNIT_LEADER))


def may_reveal(user: Any, case: Case) -> bool:
    """The office always (routing, call-backs); the handling unit only while the case is open, and
    never for a report (举报 names no reporter to a unit)."""
    if getattr(user, "is_admin_role_holder", False):
        return False
    if is_office(user):
        return True
    return case.is_open and case.kind != CaseKind.REPORT and may_handle(user, case)


def shows_reporter_to(user: Any, case: Case) -> bool:
    """Whether the page may show even the masked identity of the person who filed the case."""
    if is_office(user):
        return True
    return case.kind != CaseKind.REPORT


def case_request_get_for_office(*, user: Any, pk: Any) -> CaseRequest:
    """One extension or pause request, for the office (404 if none)."""
    if not is_office(user):
        raise PermissionDenied
    return get_for_user(CaseRequest.objects.select_related("case"), user=user, pk=pk)


def case_files_for_user(*, user: Any, case: Case) -> QuerySet[StoredFile]:
    """The files of a case the user may open: the office always; the handling unit unless it is a
    report (a report's evidence can name the reporter)."""
    files = StoredFile.objects.filter(linked_type=ContentType.objects.get_for_model(Case), linked_id=case.pk)
    if is_office(user) or (case.kind != CaseKind.REPORT and may_handle(user, case)):
        return files.order_by("uploaded_at", "pk")
    return files.none()
