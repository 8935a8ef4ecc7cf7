"""Reads of supervision, scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from xiaoneng.core.scoping import can_see_all_units, get_for_user, scope_queryset
from xiaoneng.org.models import Role, Unit

from . import targets as evaluator
from .models import (
    Computation,
    Finding,
    FourCheck,
    IndicatorValue,
    InspectionVisit,
    Problem,
    ProblemStatus,
    Target,
)

OPEN_STATES = (ProblemStatus.OPEN, ProblemStatus.SUBMITTED)


def is_overdue(problem: Problem, today: dt.date | None = None) -> bool:
    """Past its due date (a calendar date) and not closed."""
    today = today or timezone.localdate()
    return problem.status != ProblemStatus.CLOSED and problem.due_date is not None and problem.due_date < today


def overdue_q(today: dt.date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(due_date__lt=today) & ~Q(status=ProblemStatus.CLOSED)


# --- Problems ---------------------------------------------------------------------------------

def problem_list_for_user(*, user: Any, status: str = "", unit_id: int | None = None, source: str = "",
                          overdue: bool = False, query: str = "") -> QuerySet[Problem]:
    """Problems the user may see (the office all, a unit its own), filtered."""
    problems = scope_queryset(Problem.objects.select_related("unit", "owner"), user)
    if status in ProblemStatus.values:
        problems = problems.filter(status=status)
    if unit_id:
        problems = problems.filter(unit_id=unit_id)
    if source:
        problems = problems.filter(source=source)
    if overdue:
        problems = problems.filter(overdue_q())
    if query:
        problems = problems.filter(Q(description__icontains=query) | Q(measures__icontains=query)
                                   | Q(source_ref__icontains=query))
    return problems.order_by("status", "due_date", "pk")


def problem_get_for_user(*, user: Any, pk: Any) -> Problem:
    """One problem the user may see (403 another unit's, 404 none)."""
    return get_for_user(Problem.objects.select_related("unit", "owner", "campaign", "finding__visit"),
                        user=user, pk=pk)


@dataclass
class ProblemCounts:
    open: int = 0
    submitted: int = 0
    closed: int = 0
    overdue: int = 0
    public: int = 0

    @property
    def total(self) -> int:
        return self.open + self.submitted + self.closed


def problem_counts_for_user(*, user: Any) -> ProblemCounts:
    """How many problems the user's scope holds in each state, and how many are overdue."""
    problems = scope_queryset(Problem.objects.all(), user)
    figures = problems.aggregate(
        open=Count("pk", filter=Q(status=ProblemStatus.OPEN)),
        submitted=Count("pk", filter=Q(status=ProblemStatus.SUBMITTED)),
        closed=Count("pk", filter=Q(status=ProblemStatus.CLOSED)),
        overdue=Count("pk", filter=overdue_q()),
        public=Count("pk", filter=Q(is_public=True)),
    )
    return ProblemCounts(**figures)


def problem_counts_by_unit(*, user: Any) -> list[dict]:
    """Per unit: problems found, closed, open and overdue (the office's overview)."""
    rows = (scope_queryset(Problem.objects.all(), user).values("unit_id", "unit__name", "unit__order")
            .annotate(found=Count("pk"), closed=Count("pk", filter=Q(status=ProblemStatus.CLOSED)),
                      overdue=Count("pk", filter=overdue_q()))
            .order_by("unit__order", "unit__name"))
    return [{"unit_id": r["unit_id"], "unit_name": r["unit__name"], "found": r["found"], "closed": r["closed"],
             "open": r["found"] - r["closed"], "overdue": r["overdue"]} for r in rows]


@dataclass
class PublicProblem:
    """What the public wall shows of a problem: no person, no phone, no internal notes."""

    description: str
    measures: str
    status_label: str
    status: str
    source_label: str
    due_date: dt.date | None
    closed_on: dt.date | None
    overdue: bool


@dataclass
class PublicUnit:
    unit_name: str
    problems: list[PublicProblem] = field(default_factory=list)

    @property
    def closed(self) -> int:
        return sum(1 for p in self.problems if p.status == ProblemStatus.CLOSED)


def public_problem_wall() -> list[PublicUnit]:
    """Problems the office made public, by unit, with measures and status (上墙公开)."""
    today = timezone.localdate()
    units: dict[int, PublicUnit] = {}
    problems = (Problem.objects.filter(is_public=True).select_related("unit")
                .only("unit__name", "unit__order", "description", "measures", "status", "source", "due_date",
                      "closed_at")
                .order_by("unit__order", "unit__name", "pk"))
    for problem in problems:
        entry = units.setdefault(problem.unit_id, PublicUnit(problem.unit.name))
        entry.problems.append(PublicProblem(
            description=problem.description, measures=problem.measures, status=problem.status,
            status_label=str(problem.get_status_display()), source_label=str(problem.get_source_display()),
            due_date=problem.due_date,
            closed_on=timezone.localdate(problem.closed_at) if problem.closed_at else None,
            overdue=is_overdue(problem, today)))
    return list(units.values())


def check_rows(problem: Problem) -> list[dict]:
    """The four checks in order, each with its record (or None)."""
    recorded = {c.kind: c for c in problem.checks.select_related("recorded_by")}
    return [{"kind": kind, "label": label, "record": recorded.get(kind)} for kind, label in FourCheck.choices]


# --- Visits -----------------------------------------------------------------------------------

def visit_list_for_user(*, user: Any) -> QuerySet[InspectionVisit]:
    """Visits the user may see: the office all, an inspector those whose team they are on, a unit its own."""
    visits = InspectionVisit.objects.select_related("unit").annotate(finding_count=Count("findings"))
    if user.is_authenticated and not user.is_admin_role_holder and user.has_role(Role.INSPECTOR) \
            and not can_see_all_units(user):
        return visits.filter(Q(team=user) | Q(pk__in=scope_queryset(InspectionVisit.objects.all(), user)
                                               .values("pk"))).distinct()
    return scope_queryset(visits, user)


def visit_get_for_user(*, user: Any, pk: Any) -> InspectionVisit:
    """One visit (403 one the user may not see, 404 none)."""
    try:
        return visit_list_for_user(user=user).get(pk=pk)
    except (ValueError, TypeError) as exc:
        raise Http404 from exc
    except InspectionVisit.DoesNotExist as exc:
        if InspectionVisit.objects.filter(pk=pk).exists():
            raise PermissionDenied from exc
        raise Http404 from exc


def finding_get_for_user(*, user: Any, pk: Any) -> Finding:
    try:
        finding = Finding.objects.select_related("visit__unit").get(pk=pk)
    except (ValueError, TypeError, Finding.DoesNotExist) as exc:
        raise Http404 from exc
    visit_get_for_user(user=user, pk=finding.visit_id)
    return finding


# --- Targets ----------------------------------------------------------------------------------

def target_list_for_campaign(*, campaign: Any) -> QuerySet[Target]:
    return Target.objects.filter(campaign=campaign)


def target_get_for_user(*, user: Any, pk: Any) -> Target:
    """A target of a campaign the user may see (403/404 as for the campaign)."""
    from xiaoneng.campaigns.selectors import campaign_get_for_user

    try:
        target = Target.objects.select_related("campaign").get(pk=pk)
    except (ValueError, TypeError, Target.DoesNotExist) as exc:
        raise Http404 from exc
    campaign_get_for_user(user=user, pk=target.campaign_id)
    return target


def reporting_units() -> QuerySet[Unit]:
    from xiaoneng.campaigns.services import NON_REPORTING_KINDS

    return Unit.objects.filter(is_active=True).exclude(kind__in=NON_REPORTING_KINDS).order_by("order", "name")


@dataclass
class UnitResult:
    unit: Unit
    value_row: IndicatorValue | None
    measurement: evaluator.Measurement | None
    evaluation: evaluator.Evaluation


@dataclass
class TargetResult:
    target: Target
    period: str
    overall: evaluator.Overall
    rows: list[UnitResult]
    area_value: IndicatorValue | None = None
    unavailable: str = ""  # why computed figures could not be had (empty when they could)

    @property
    def met_label(self) -> str:
        return {True: "met", False: "not_met", None: "unknown"}[self.overall.met]


def _measurement_of(row: IndicatorValue) -> evaluator.Measurement:
    return evaluator.Measurement(value=row.value, unit=row.value_unit, numerator=row.numerator,
                                 denominator=row.denominator)


def _window(campaign: Any) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    return campaign.start_date, max(campaign.start_date, min(campaign.end_date, today))


def _on_time_counts(campaign: Any) -> dict[int, evaluator.Measurement]:
    """Per unit: due items due so far, and how many were sent on time (as a count over a total)."""
    from xiaoneng.campaigns.models import DueItem, DueItemState, SubmissionStatus

    _start, until = _window(campaign)
    sent = [SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED, SubmissionStatus.AWAITING_APPROVAL]
    rows = (DueItem.objects.filter(obligation__campaign=campaign, state=DueItemState.OPEN, due_date__lte=until)
            .values("unit_id")
            .annotate(expected=Count("pk", distinct=True),
                      on_time=Count("pk", distinct=True,
                                    filter=Q(submissions__status__in=sent, submissions__is_on_time=True))))
    return {r["unit_id"]: evaluator.Measurement(numerator=Decimal(r["on_time"]), denominator=Decimal(r["expected"]))
            for r in rows if r["expected"]}


def _publicity_counts(campaign: Any, computation: str) -> tuple[dict[int, evaluator.Measurement], str]:
    """Per unit publicity figures from the publicity app; a clear reason when it is not there."""
    try:
        from xiaoneng.publicity.selectors import unit_publicity_figures
    except ImportError:
        return {}, "publicity_missing"
    start, until = _window(campaign)
    try:
        figures = unit_publicity_figures(campaign=campaign, date_from=start, date_to=until)
    except Exception:  # noqa: BLE001 - another app's failure must not break the targets page
        import logging

        logging.getLogger(__name__).exception("publicity figures failed for campaign %s", campaign.pk)
        return {}, "publicity_failed"
    attribute = {Computation.PUBLICITY_ITEMS: "items", Computation.PUBLICITY_ADOPTIONS: "adoptions",
                 Computation.PUBLICITY_POINTS: "points"}[computation]
    return {unit_id: evaluator.Measurement(value=Decimal(getattr(f, attribute)))
            for unit_id, f in figures.items()}, ""


def target_results(*, target: Target, user: Any, period: str | None = None) -> TargetResult:
    """Whether a target is met, per unit the user may see and overall (over every unit)."""
    period = target.period if period is None else period
    unavailable = ""
    area_row = None
    value_rows: dict[int, IndicatorValue] = {}
    if target.computed_by == Computation.ON_TIME_RATE:
        measurements = _on_time_counts(target.campaign)
    elif target.computed_by:
        measurements, unavailable = _publicity_counts(target.campaign, target.computed_by)
    else:
        rows = list(IndicatorValue.objects.filter(target=target, period=period).select_related("unit"))
        area_row = next((r for r in rows if r.unit_id is None), None)
        value_rows = {r.unit_id: r for r in rows if r.unit_id is not None}
        measurements = {unit_id: _measurement_of(r) for unit_id, r in value_rows.items()}
    threshold, unit = target.value, target.unit_of_measure
    overall = evaluator.overall(operator=target.operator, threshold=threshold, unit=unit,
                                area=_measurement_of(area_row) if area_row else None,
                                units=measurements.values())
    visible_units = scope_queryset(reporting_units(), user)
    results = []
    for unit_obj in visible_units:
        measurement = measurements.get(unit_obj.pk)
        results.append(UnitResult(unit_obj, value_rows.get(unit_obj.pk), measurement, evaluator.evaluate(
            operator=target.operator, threshold=threshold, unit=unit, measurement=measurement)))
    return TargetResult(target=target, period=period, overall=overall, rows=results,
                        area_value=area_row, unavailable=unavailable)


def target_periods(*, target: Target) -> list[str]:
    """The periods values were reported for, the target's own first."""
    periods = list(IndicatorValue.objects.filter(target=target).values_list("period", flat=True).distinct())
    ordered = [target.period] + sorted({p for p in periods if p != target.period}, reverse=True)
    return ordered
