"""Writes of supervision: visits and findings, problems and their rectification, targets and values.

State changes are race-safe: ``filter(pk=..., status=OLD).update(...)`` changes a problem only
if it is still in the state the user saw, so a double click or two people at once change it once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xiaoneng.core.audit.services import audit_record
from xiaoneng.org.models import Role, Unit
from xiaoneng.org.selectors import is_office, require_office

from . import targets as evaluator
from .models import (
    Computation,
    Finding,
    FourCheck,
    IndicatorValue,
    InspectionVisit,
    Operator,
    Problem,
    ProblemCheck,
    ProblemSource,
    ProblemStatus,
    ProblemUpdate,
    Target,
    UpdateKind,
)

# A problem made from a finding in one step is due this many working days later (editable after).
DEFAULT_RECTIFY_WORKING_DAYS = 20
PROBLEM_FIELDS = ("campaign", "measures", "owner", "due_date")


def _is_unit_member(user: Any, unit_id: int) -> bool:
    return (not user.is_admin_role_holder and user.unit_id == unit_id
            and user.has_role(Role.LIAISON, Role.UNIT_LEADER))


def can_change_problem(user: Any, problem: Problem) -> bool:
    """The office, or the problem's own unit (liaison, unit leader)."""
    return is_office(user) or _is_unit_member(user, problem.unit_id)


def _require_problem_writer(user: Any, problem: Problem) -> None:
    if not can_change_problem(user, problem):
        raise PermissionDenied


def can_record_visit(user: Any, visit: InspectionVisit | None = None) -> bool:
    """The office records visits; an inspector adds findings to a visit whose team they are on."""
    if is_office(user):
        return True
    if visit is None or user.is_admin_role_holder or not user.has_role(Role.INSPECTOR):
        return False
    return visit.team.filter(pk=user.pk).exists()


# --- Visits and findings ---------------------------------------------------------------------

@transaction.atomic
def visit_create(*, user: Any, unit: Unit, visit_date: dt.date, kind: str, team: Iterable[Any] = (),
                 team_note: str = "", summary: str = "", campaign: Any = None, request: Any = None) -> InspectionVisit:
    """The office records an open or covert inspection visit to a unit."""
    require_office(user)
    visit = InspectionVisit(unit=unit, visit_date=visit_date, kind=kind, team_note=team_note, summary=summary,
                            campaign=campaign, created_by=user)
    visit.full_clean()
    visit.save()
    visit.team.set(list(team))
    audit_record("supervision.visit_create", request=request, actor=user, obj=visit,
                 detail={"unit": unit.pk, "kind": kind})
    return visit


@transaction.atomic
def finding_add(*, user: Any, visit: InspectionVisit, description: str, photos: Iterable[Any] = (),
                request: Any = None) -> Finding:
    """Record a finding of a visit with its photos (checked by content; all stored or none)."""
    if not can_record_visit(user, visit):
        raise PermissionDenied
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": ValidationError(_("Describe what was found."), code="required")})
    finding = Finding.objects.create(visit=visit, description=description, created_by=user)
    photos = list(photos)
    if photos:
        from xiaoneng.core.files.services import file_store_many

        try:
            file_store_many(uploads=photos, unit=visit.unit, user=user, linked_to=finding, request=request)
        except ValidationError as exc:
            raise ValidationError({"photos": exc.messages}) from exc
    audit_record("supervision.finding_add", request=request, actor=user, obj=finding, detail={"visit": visit.pk})
    return finding


@transaction.atomic
def finding_to_problem(*, user: Any, finding: Finding, request: Any = None) -> Problem:
    """Any finding becomes a problem of the visited unit in one step (once: a second click returns it)."""
    if not can_record_visit(user, finding.visit):
        raise PermissionDenied
    Finding.objects.select_for_update().filter(pk=finding.pk).first()
    existing = Problem.objects.filter(finding=finding).first()
    if existing is not None:
        return existing
    from xiaoneng.core.workdays.services import add_working_days

    visit = finding.visit
    return problem_create(
        unit=visit.unit, description=finding.description, source=ProblemSource.VISIT,
        source_ref=str(visit)[:200], actor=user, request=request, finding=finding, campaign=visit.campaign,
        due_date=add_working_days(timezone.localdate(), DEFAULT_RECTIFY_WORKING_DAYS))


# --- Problems ---------------------------------------------------------------------------------

@transaction.atomic
def problem_create(*, unit: Unit, description: str, source: str, source_ref: str = "", actor: Any,
                   request: Any = None, **fields) -> Problem:
    """Record a problem of ``unit`` (source: self_inspection / visit / round / public_case / survey / other).

    The office records problems of any unit; a unit records its own (self-inspection). Other
    apps call this with the source and their reference (a round, a case's tracking code...).
    """
    if actor is not None and not (is_office(actor) or _is_unit_member(actor, unit.pk)
                                  or (source == ProblemSource.VISIT and actor.has_role(Role.INSPECTOR))):
        raise PermissionDenied
    if source not in ProblemSource.values:
        raise ValidationError({"source": ValidationError(_("Unknown source of a problem."), code="invalid_source")})
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": ValidationError(_("Describe the problem."), code="required")})
    allowed = {*PROBLEM_FIELDS, "finding"}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"problem_create() got unexpected fields {sorted(unknown)}")
    problem = Problem(unit=unit, description=description, source=source, source_ref=source_ref or "",
                      created_by=actor, **fields)
    _check_owner(problem)
    problem.full_clean()
    problem.save()
    ProblemUpdate.objects.create(problem=problem, kind=UpdateKind.CREATED, author=actor)
    audit_record("supervision.problem_create", request=request, actor=actor, obj=problem,
                 detail={"unit": unit.pk, "source": source, "source_ref": source_ref})
    return problem


def _check_owner(problem: Problem) -> None:
    if problem.owner_id is not None and problem.owner.unit_id != problem.unit_id:
        raise ValidationError({"owner": ValidationError(_("The person responsible must belong to the problem's unit."), code="owner_unit")})


@transaction.atomic
def problem_update(*, user: Any, problem: Problem, data: dict, request: Any = None) -> Problem:
    """Change measures, person responsible and due date (the unit) and the campaign (the office)."""
    _require_problem_writer(user, problem)
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    if locked.status == ProblemStatus.CLOSED:
        raise ValidationError(_("This problem is closed; it can no longer be changed."), code="closed")
    changed = []
    for name in ("description", "measures", "owner", "due_date", "campaign"):
        if name not in data or (name in ("description", "campaign") and not is_office(user)):
            continue
        if getattr(locked, name) != data[name]:
            setattr(locked, name, data[name])
            changed.append(name)
    if not changed:
        return locked
    _check_owner(locked)
    locked.full_clean()
    locked.save(update_fields=changed)
    labels = "、".join(str(Problem._meta.get_field(name).verbose_name) for name in changed)
    ProblemUpdate.objects.create(problem=locked, kind=UpdateKind.CHANGED, author=user, text=labels)
    audit_record("supervision.problem_update", request=request, actor=user, obj=locked, detail={"fields": changed})
    return locked


@transaction.atomic
def problem_progress_add(*, user: Any, problem: Problem, text: str, files: Iterable[Any] = (),
                         request: Any = None) -> ProblemUpdate:
    """The unit reports progress with evidence (files checked by content; all stored or none)."""
    _require_problem_writer(user, problem)
    if problem.status == ProblemStatus.CLOSED:
        raise ValidationError(_("This problem is closed; it can no longer be changed."), code="closed")
    files = list(files)
    text = (text or "").strip()
    if not text and not files:
        raise ValidationError({"text": ValidationError(_("Write what was done or attach evidence."), code="empty")})
    update = ProblemUpdate.objects.create(problem=problem, kind=UpdateKind.PROGRESS, text=text, author=user)
    if files:
        from xiaoneng.core.files.services import file_store_many

        try:
            file_store_many(uploads=files, unit=problem.unit, user=user, linked_to=update, request=request)
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from exc
    audit_record("supervision.problem_progress", request=request, actor=user, obj=problem,
                 detail={"files": len(files)})
    return update


@transaction.atomic
def problem_check_record(*, user: Any, problem: Problem, kind: str, note: str, request: Any = None) -> ProblemCheck:
    """Record one of the four checks (四个不放过) with how it was done; recording it again replaces the note."""
    _require_problem_writer(user, problem)
    if kind not in FourCheck.values:
        raise ValidationError({"kind": ValidationError(_("Choose one of the four checks."), code="invalid_check")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": ValidationError(_("Say how this check was done."), code="required")})
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    if locked.status != ProblemStatus.OPEN:
        raise ValidationError(_("The checks can be changed only while the problem is being rectified."),
                              code="not_open")
    check, _created = ProblemCheck.objects.update_or_create(
        problem=locked, kind=kind, defaults={"note": note, "recorded_by": user})
    ProblemUpdate.objects.create(problem=locked, kind=UpdateKind.CHECK, author=user,
                                 text=f"{FourCheck(kind).label}: {note}")
    audit_record("supervision.problem_check", request=request, actor=user, obj=locked, detail={"check": kind})
    return check


def missing_checks(problem: Problem) -> list[str]:
    """The four checks not yet recorded, in their order."""
    done = set(ProblemCheck.objects.filter(problem=problem).values_list("kind", flat=True))
    return [kind for kind in FourCheck.values if kind not in done]


def _transition(problem: Problem, old: str, new: str, **fields) -> None:
    """Change the state only if it is still ``old`` (no lost update on a double click or a race)."""
    changed = Problem.objects.filter(pk=problem.pk, status=old).update(status=new, **fields)
    if changed != 1:
        raise ValidationError(_("This problem has changed in the meantime; reload the page."), code="stale")
    problem.refresh_from_db()


@transaction.atomic
def problem_submit(*, user: Any, problem: Problem, text: str = "", request: Any = None) -> Problem:
    """Ask to close: refused, with the missing checks named, until all four are recorded."""
    _require_problem_writer(user, problem)
    locked = Problem.objects.select_for_update().get(pk=problem.pk)
    missing = missing_checks(problem)
    if missing:
        names = "、".join(str(FourCheck(kind).label) for kind in missing)
        raise ValidationError(
            _("It cannot be closed before the four checks are recorded. Missing: %(checks)s.") % {"checks": names},
            code="checks_missing")
    if not (locked.measures or "").strip():
        raise ValidationError(_("Write the rectification measures first."), code="measures_missing")
    _transition(problem, ProblemStatus.OPEN, ProblemStatus.SUBMITTED, submitted_at=timezone.now())
    ProblemUpdate.objects.create(problem=problem, kind=UpdateKind.SUBMITTED, author=user, text=(text or "").strip())
    audit_record("supervision.problem_submit", request=request, actor=user, obj=problem)
    _notify_office(problem)
    return problem


def _notify_office(problem: Problem) -> None:
    from django.urls import reverse

    from xiaoneng.core.notify.services import notify_users
    from xiaoneng.org.models import User

    office = User.objects.filter(role_assignments__role=Role.OFFICE, is_active=True)
    notify_users(users=office, title=_("A rectified problem awaits verification"),
                 body=f"{problem.unit}: {problem.description[:80]}",
                 url=reverse("supervision:problem_detail", args=[problem.pk]), email=False,
                 dedupe_prefix=f"problem-submitted:{problem.pk}:{problem.submitted_at:%Y%m%d%H%M%S}")


@transaction.atomic
def problem_verify(*, user: Any, problem: Problem, text: str = "", request: Any = None) -> Problem:
    """The office verifies the rectification and closes the problem (only when sent for verification)."""
    require_office(user)
    if missing_checks(problem):  # a check can only change while open; this is a second guard
        raise ValidationError(_("The four checks are not all recorded."), code="checks_missing")
    _transition(problem, ProblemStatus.SUBMITTED, ProblemStatus.CLOSED, closed_at=timezone.now(),
                verified_by=user)
    ProblemUpdate.objects.create(problem=problem, kind=UpdateKind.VERIFIED, author=user, text=(text or "").strip())
    audit_record("supervision.problem_verify", request=request, actor=user, obj=problem)
    return problem


@transaction.atomic
def problem_return(*, user: Any, problem: Problem, text: str, request: Any = None) -> Problem:
    """The office sends the rectification back, saying why; the problem is open again."""
    require_office(user)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ValidationError(_("Say why the rectification is returned."), code="required")})
    _transition(problem, ProblemStatus.SUBMITTED, ProblemStatus.OPEN, submitted_at=None)
    ProblemUpdate.objects.create(problem=problem, kind=UpdateKind.RETURNED, author=user, text=text)
    audit_record("supervision.problem_return", request=request, actor=user, obj=problem, detail={"text": text})
    return problem


@transaction.atomic
def problem_publish(*, user: Any, problem: Problem, public: bool, request: Any = None) -> Problem:
    """The office puts a problem on the public wall (上墙公开) or takes it off."""
    require_office(user)
    changed = Problem.objects.filter(pk=problem.pk, is_public=not public).update(
        is_public=public, published_at=timezone.now() if public else None)
    problem.refresh_from_db()
    if changed:
        ProblemUpdate.objects.create(problem=problem, author=user,
                                     kind=UpdateKind.PUBLISHED if public else UpdateKind.UNPUBLISHED)
        audit_record("supervision.problem_publish" if public else "supervision.problem_unpublish",
                     request=request, actor=user, obj=problem)
    return problem


# --- Targets and values -----------------------------------------------------------------------

def _decimal(value: Any, field: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: ValidationError(_("Enter a number."), code="invalid")}) from exc
    if not number.is_finite():
        raise ValidationError({field: ValidationError(_("Enter a number."), code="invalid")})
    return number


def target_create(*, campaign: Any, indicator: str, operator: str, value: Decimal, unit_of_measure: str,
                  period: str = "", source_span: str = "", actor: Any = None, computed_by: str = "",
                  request: Any = None) -> Target:
    """Add a quantitative target to a campaign (the office, or the plan import on the office's behalf)."""
    if actor is not None:
        require_office(actor)
    indicator = (indicator or "").strip()
    if not indicator:
        raise ValidationError({"indicator": ValidationError(_("Name the indicator."), code="required")})
    if operator not in Operator.values:
        raise ValidationError({"operator": ValidationError(_("Choose a comparison."), code="invalid_operator")})
    value = _decimal(value, "value")
    order = Target.objects.filter(campaign=campaign).count()
    target = Target(campaign=campaign, indicator=indicator[:200], operator=operator, value=value,
                    unit_of_measure=evaluator.normalise_unit(unit_of_measure)[:20], period=(period or "")[:50],
                    source_span=source_span or "", computed_by=computed_by or Computation.REPORTED, order=order,
                    created_by=actor)
    target.full_clean()
    target.save()
    audit_record("supervision.target_create", request=request, actor=actor, obj=target,
                 detail={"campaign": campaign.pk})
    return target


@transaction.atomic
def target_update(*, user: Any, target: Target, request: Any = None) -> Target:
    require_office(user)
    target.unit_of_measure = evaluator.normalise_unit(target.unit_of_measure)
    target.full_clean()
    target.save()
    audit_record("supervision.target_update", request=request, actor=user, obj=target)
    return target


@transaction.atomic
def target_delete(*, user: Any, target: Target, request: Any = None) -> None:
    require_office(user)
    audit_record("supervision.target_delete", request=request, actor=user, obj=target)
    target.delete()


@transaction.atomic
def indicator_value_report(*, user: Any, target: Target, unit: Unit | None, period: str = "",
                           value: Decimal | None = None, value_unit: str = "", numerator: Decimal | None = None,
                           denominator: Decimal | None = None, note: str = "",
                           request: Any = None) -> IndicatorValue:
    """A unit reports its value of a target (the office also for any unit, or the whole area: unit None).

    A value is either a number in a unit convertible to the target's, or a count over a population
    for a rate target; what cannot be judged is refused with the reason, and nothing is saved.
    """
    if target.computed_by:
        raise ValidationError(_("This target is computed by the system; nothing is reported for it."),
                              code="computed")
    if unit is None:
        require_office(user)
    elif not (is_office(user) or _is_unit_member(user, unit.pk)):
        raise PermissionDenied
    has_counts = numerator is not None or denominator is not None
    if has_counts and value is not None:
        raise ValidationError(_("Give either the value or the count and population, not both."), code="both")
    if has_counts and (numerator is None or denominator is None):
        raise ValidationError({"denominator": ValidationError(_("Give both the count and the population."), code="counts")})
    if not has_counts and value is None:
        raise ValidationError({"value": ValidationError(_("Enter the value."), code="required")})
    measurement = evaluator.Measurement(value=value, unit=value_unit or target.unit_of_measure,
                                        numerator=numerator, denominator=denominator)
    try:
        evaluator.measured_value(measurement, target.unit_of_measure)
    except evaluator.TargetError as error:
        raise ValidationError(VALUE_ERRORS.get(error.code, _("This value cannot be compared with the target.")),
                              code=error.code) from error
    period = (period or target.period or "")[:50]
    row, created = IndicatorValue.objects.select_for_update().update_or_create(
        target=target, unit=unit, period=period,
        defaults={"value": value, "value_unit": evaluator.normalise_unit(value_unit) if value is not None else "",
                  "numerator": numerator, "denominator": denominator, "note": (note or "").strip(),
                  "reported_by": user})
    audit_record("supervision.value_report", request=request, actor=user, obj=row,
                 detail={"target": target.pk, "unit": unit.pk if unit else None, "created": created})
    return row


VALUE_ERRORS = {
    "unit_mismatch": gettext_lazy("This unit of measure cannot be compared with the target's."),
    "not_a_rate": gettext_lazy("A count and population can only be given for a rate target."),
    "no_population": gettext_lazy("The population must be more than zero."),
    "negative_count": gettext_lazy("A count cannot be negative."),
}
