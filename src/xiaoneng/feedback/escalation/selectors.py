"""Reads of the escalation app: alerts and notices, call-backs, accountability, statistics."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from xiaoneng.core.scoping import get_for_user, scope_queryset
from xiaoneng.feedback.models import Case, CaseChannel, CaseKind, CaseRating, CaseStage, CaseStatus
from xiaoneng.org.models import Role
from xiaoneng.org.selectors import is_office

from .models import AccountabilityRecord, Alert, AlertStatus, CallBack

HUNDRED = Decimal(100)


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def sees_statistics(user: Any) -> bool:
    """The office and the bureau's leaders read the statistics and the accountability register."""
    return bool(user.is_authenticated and not user.is_admin_role_holder
                and user.has_role(Role.OFFICE, Role.BUREAU_LEADER))


def require_statistics_reader(user: Any) -> None:
    if not sees_statistics(user):
        raise PermissionDenied


# --- alerts and notices ------------------------------------------------------------------------
def alert_list_for_user(*, user: Any, step: str = "", unit_id: int | None = None) -> QuerySet[Alert]:
    """Alerts sent that the user may see: the office and bureau leaders all, a unit those addressed to it."""
    alerts = scope_queryset(Alert.objects.filter(status=AlertStatus.SENT)
                            .select_related("case", "unit"), user)
    if step:
        alerts = alerts.filter(step=step)
    if unit_id:
        alerts = alerts.filter(unit_id=unit_id)
    return alerts


def alert_get_for_user(*, user: Any, pk: Any) -> Alert:
    """One sent alert the user may see (403 another unit's, 404 none)."""
    alerts = Alert.objects.filter(status=AlertStatus.SENT).select_related("case", "unit")
    alert = get_for_user(alerts, user=user, pk=pk)
    if alert.unit_id is None and not sees_statistics(user):
        raise PermissionDenied  # not yet routed: only the office's business
    return alert


# --- call-backs --------------------------------------------------------------------------------
def callback_list_for_user(*, user: Any, done: bool = False) -> QuerySet[CallBack]:
    """The office's call-backs, open ones first by due date (done ones newest first)."""
    if not is_office(user):
        raise PermissionDenied
    callbacks = CallBack.objects.select_related("case", "unit", "done_by").filter(done_at__isnull=not done)
    return callbacks.order_by("-done_at") if done else callbacks.order_by("due_on", "pk")


def callback_get_for_user(*, user: Any, pk: Any) -> CallBack:
    if not is_office(user):
        raise PermissionDenied
    return get_for_user(CallBack.objects.select_related("case"), user=user, pk=pk)


# --- accountability ----------------------------------------------------------------------------
def accountability_list_for_user(*, user: Any, unit_id: int | None = None) -> QuerySet[AccountabilityRecord]:
    """The accountability register (office and bureau leaders)."""
    require_statistics_reader(user)
    records = AccountabilityRecord.objects.select_related("case", "unit", "person", "created_by")
    if unit_id:
        records = records.filter(unit_id=unit_id)
    return records


def accountability_counts(*, date_from: dt.date, date_to: dt.date) -> dict[int, int]:
    """Accountability records per responsible unit decided in ``[date_from, date_to]`` (for assessments)."""
    rows = (AccountabilityRecord.objects.filter(decided_on__gte=date_from, decided_on__lte=date_to)
            .values("unit_id").annotate(n=Count("pk")).order_by())
    return {row["unit_id"]: row["n"] for row in rows}


def cases_for_accountability(*, user: Any) -> QuerySet[Case]:
    """Cases an accountability record can be about: overdue now, or ever escalated, or late."""
    require_statistics_reader(user)
    return Case.objects.select_related("assignee_unit", "unit").order_by("-received_at")


# --- statistics --------------------------------------------------------------------------------
def rate(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as a percentage with one decimal (None when nothing was counted)."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class StageFigures:
    stage: str
    label: str
    done: int = 0
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.on_time, self.done)


@dataclass
class UnitFigures:
    unit_id: int | None
    unit_name: str
    received: int = 0
    closed: int = 0
    closed_on_time: int = 0
    open_overdue: int = 0
    rated: int = 0
    satisfied: int = 0
    alerts: int = 0
    accountability: int = 0

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.closed_on_time, self.closed)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return rate(self.satisfied, self.rated)


@dataclass
class Statistics:
    date_from: dt.date
    date_to: dt.date
    total: int = 0
    by_kind: list[tuple[str, str, int]] = field(default_factory=list)      # (value, label, count)
    by_channel: list[tuple[str, str, int]] = field(default_factory=list)
    by_status: list[tuple[str, str, int]] = field(default_factory=list)
    by_month: list[tuple[str, int, int]] = field(default_factory=list)     # ("2026-10", received, closed)
    stages: list[StageFigures] = field(default_factory=list)
    ratings: list[tuple[str, str, int]] = field(default_factory=list)
    units: list[UnitFigures] = field(default_factory=list)

    @property
    def rated(self) -> int:
        return sum(count for _value, _label, count in self.ratings)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """满意 and 基本满意 over all ratings."""
        good = sum(count for value, _label, count in self.ratings if value != CaseRating.UNSATISFIED)
        return rate(good, self.rated)

    def chart_data(self) -> dict[str, dict[str, Any]]:
        """The full ECharts option of each chart, keyed by name (core/charts.js draws them; no
        personal data: counts and labels only)."""
        received, closed = gettext("Received"), gettext("Cases closed")
        grid = {"left": 8, "right": 16, "top": 30, "bottom": 8, "containLabel": True}
        base = {"color": _CHART_PALETTE}
        return {
            "months": {**base, "tooltip": {"trigger": "axis"}, "legend": {"data": [received, closed]}, "grid": grid,
                       "xAxis": {"type": "category", "data": [month for month, _r, _c in self.by_month]},
                       "yAxis": {"type": "value", "minInterval": 1},
                       "series": [{"name": received, "type": "bar", "data": [r for _m, r, _c in self.by_month]},
                                  {"name": closed, "type": "line", "data": [c for _m, _r, c in self.by_month]}]},
            "stages": {**base, "tooltip": {"trigger": "axis", "formatter": "{b0}: {c0}%"}, "grid": {**grid, "top": 24},
                       "xAxis": {"type": "category", "data": [s.label for s in self.stages]},
                       "yAxis": {"type": "value", "max": 100},
                       "series": [{"type": "bar", "label": {"show": True, "position": "top", "formatter": "{c}%"},
                                   "data": [float(s.on_time_rate) if s.on_time_rate is not None else None
                                            for s in self.stages]}]},
            "kinds": {**base, "tooltip": {"trigger": "item"},
                      "series": [{"type": "pie", "radius": ["35%", "65%"], "label": {"formatter": "{b} {c}"},
                                  "data": [{"name": label, "value": count} for _v, label, count in self.by_kind if count]}]},
            "channels": {**base, "tooltip": {"trigger": "axis"}, "grid": {**grid, "top": 10, "bottom": 20},
                         "xAxis": {"type": "value", "minInterval": 1},
                         "yAxis": {"type": "category", "data": [label for _v, label, _c in self.by_channel]},
                         "series": [{"type": "bar", "data": [count for _v, _l, count in self.by_channel]}]},
        }


_CHART_PALETTE = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#dc3545", "#6c757d"]


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment, _zone()).date() if moment else None


def _month_keys(date_from: dt.date, date_to: dt.date) -> list[str]:
    keys, year, month = [], date_from.year, date_from.month
    while (year, month) <= (date_to.year, date_to.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def _stage_outcome(case: Case, stage: str) -> tuple[dt.date | None, dt.date | None]:
    """(done on, due on) of one stage of a case."""
    if stage == CaseStage.ACCEPT:
        return _local_date(case.accepted_at or case.declined_at), case.accept_due
    if stage == CaseStage.REPLY:
        return _local_date(case.replied_at), case.reply_due
    return _local_date(case.closed_at), case.close_due


def case_statistics(*, date_from: dt.date, date_to: dt.date, now: dt.datetime | None = None,
                    with_units: bool = True) -> Statistics:
    """Figures of the cases received in ``[date_from, date_to]`` (local dates): by unit, kind, channel
    and month; on-time rates per stage; satisfaction with the replies."""
    zone = _zone()
    now = now or timezone.now()
    today = timezone.localtime(now, zone).date()
    start = dt.datetime.combine(date_from, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    cases = list(Case.objects.filter(received_at__gte=start, received_at__lt=end)
                 .select_related("unit", "assignee_unit").only(
                     "pk", "kind", "channel", "status", "unit__name", "assignee_unit__name", "received_at",
                     "accepted_at", "declined_at", "replied_at", "closed_at", "accept_due", "reply_due",
                     "close_due", "rating", "paused_since"))
    stats = Statistics(date_from=date_from, date_to=date_to, total=len(cases))
    kinds = Counter(c.kind for c in cases)
    channels = Counter(c.channel for c in cases)
    statuses = Counter(c.status for c in cases)
    ratings = Counter(c.rating for c in cases if c.rating)
    stats.by_kind = [(k.value, str(k.label), kinds[k.value]) for k in CaseKind]
    stats.by_channel = [(k.value, str(k.label), channels[k.value]) for k in CaseChannel]
    stats.by_status = [(k.value, str(k.label), statuses[k.value]) for k in CaseStatus]
    stats.ratings = [(k.value, str(k.label), ratings[k.value]) for k in CaseRating]

    received_by_month = Counter(_local_date(c.received_at).strftime("%Y-%m") for c in cases)
    closed_by_month = Counter(_local_date(c.closed_at).strftime("%Y-%m") for c in cases if c.closed_at)
    stats.by_month = [(key, received_by_month[key], closed_by_month[key]) for key in _month_keys(date_from, date_to)]

    stages = {stage.value: StageFigures(stage.value, str(stage.label)) for stage in CaseStage}
    from xiaoneng.feedback.selectors import case_stage_due

    for case in cases:
        for stage, figures in stages.items():
            done_on, due_on = _stage_outcome(case, stage)
            if done_on is not None and due_on is not None:
                figures.done += 1
                if done_on <= due_on:
                    figures.on_time += 1
                else:
                    figures.late += 1
        running, due = case_stage_due(case)
        if running in stages and due is not None and due < today and case.paused_since is None:
            stages[running].open_overdue += 1
    stats.stages = list(stages.values())
    if with_units:
        stats.units = _unit_figures(cases, date_from=date_from, date_to=date_to, today=today)
    return stats


def _unit_figures(cases: list[Case], *, date_from: dt.date, date_to: dt.date, today: dt.date) -> list[UnitFigures]:
    from xiaoneng.feedback.selectors import case_stage_due

    units: dict[int | None, UnitFigures] = {}
    for case in cases:
        unit = case.assignee_unit or case.unit
        key = unit.pk if unit else None
        figures = units.get(key)
        if figures is None:
            figures = units[key] = UnitFigures(key, unit.name if unit else "")
        figures.received += 1
        if case.closed_at:
            figures.closed += 1
            if case.close_due and _local_date(case.closed_at) <= case.close_due:
                figures.closed_on_time += 1
        running, due = case_stage_due(case)
        if due is not None and due < today and case.paused_since is None and running != "none":
            figures.open_overdue += 1
        if case.rating:
            figures.rated += 1
            figures.satisfied += case.rating != CaseRating.UNSATISFIED
    alerts = (Alert.objects.filter(status=AlertStatus.SENT, case__in=[c.pk for c in cases])
              .exclude(step="reminder").values("unit_id").annotate(n=Count("pk")).order_by())
    for row in alerts:
        if row["unit_id"] in units:
            units[row["unit_id"]].alerts = row["n"]
    for unit_id, count in accountability_counts(date_from=date_from, date_to=date_to).items():
        if unit_id in units:
            units[unit_id].accountability = count
    return sorted(units.values(), key=lambda u: (u.unit_id is None, -u.received, u.unit_name))


def statistics_for_user(*, user: Any, date_from: dt.date, date_to: dt.date) -> Statistics:
    """The statistics page's figures (office and bureau leaders only)."""
    require_statistics_reader(user)
    return case_statistics(date_from=date_from, date_to=date_to)


# --- the public monthly summary ----------------------------------------------------------------
@dataclass
class PublicSummary:
    year: int
    month: int
    stats: Statistics


def public_month_summary(*, year: int, month: int) -> PublicSummary:
    """A month's figures for everyone: counts by kind and channel, on-time rates per stage,
    satisfaction. Only numbers: no person, no case text, no case number, and (until the bureau
    decides to publish them) no per-unit rows."""
    date_from = dt.date(year, month, 1)
    next_month = dt.date(year + (month == 12), month % 12 + 1, 1)
    stats = case_statistics(date_from=date_from, date_to=next_month - dt.timedelta(days=1), with_units=False)
    return PublicSummary(year=year, month=month, stats=stats)


def public_months(*, today: dt.date | None = None, count: int = 12) -> list[tuple[int, int]]:
    """The months the public page offers: the current one and the ``count - 1`` before it."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months
