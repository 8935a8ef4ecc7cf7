"""Writes on assessment: schemes and their versions, rounds and teams, scores, settlement, locking."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from xiaoneng.core.audit.services import audit_record
from xiaoneng.org.models import Role

from .models import (
    Criterion,
    Round,
    RoundStatus,
    RoundUnit,
    Scheme,
    Score,
    ScoreChange,
    ScorePhoto,
    ScoreSheet,
    SettledScore,
    Team,
)

TWO_PLACES = Decimal("0.01")


# --- schemes ---------------------------------------------------------------------------------
def frozen_reason(scheme: Scheme) -> str:
    """Why a scheme cannot be edited ("" if it can)."""
    if not scheme.frozen:
        return ""
    names = "、".join(scheme.rounds.exclude(status=RoundStatus.DRAFT).values_list("name", flat=True)[:5])
    return _("This version is used by a started round (%(rounds)s) and is frozen; make a new version to edit it.") % {
        "rounds": names or "—"}


def _require_editable(scheme: Scheme) -> None:
    scheme = Scheme.objects.get(pk=scheme.pk)  # the stored state, not a stale copy
    if scheme.frozen:
        raise ValidationError(frozen_reason(scheme), code="frozen")


def scheme_create(*, name: str, description: str = "", actor: Any, request: Any = None) -> Scheme:
    """Create an empty scheme (version 1 of a new family)."""
    scheme = Scheme.objects.create(name=name, description=description, created_by=actor)
    audit_record("assessment.scheme_create", request=request, actor=actor, obj=scheme)
    return scheme


def scheme_update(*, scheme: Scheme, name: str, description: str, actor: Any, request: Any = None) -> Scheme:
    """Rename or describe a scheme that is not frozen."""
    _require_editable(scheme)
    scheme.name, scheme.description = name, description
    scheme.save(update_fields=["name", "description", "updated_at"])
    audit_record("assessment.scheme_update", request=request, actor=actor, obj=scheme)
    return scheme


@transaction.atomic
def scheme_new_version(*, scheme: Scheme, actor: Any, request: Any = None) -> Scheme:
    """Copy a scheme (criteria and all) into the next version of its family; the copy is editable."""
    # Lock the family's rows (an aggregate cannot be locked) so two clicks make two numbered versions.
    versions = Scheme.objects.select_for_update(of=("self",)).filter(family=scheme.family)
    latest = max(versions.values_list("version", flat=True), default=0)
    copy = Scheme.objects.create(name=scheme.name, description=scheme.description, family=scheme.family,
                                 version=latest + 1, parent_scheme=scheme, created_by=actor)
    _copy_criteria(scheme, copy)
    audit_record("assessment.scheme_new_version", request=request, actor=actor, obj=copy,
                 detail={"from": scheme.pk})
    return copy


def _copy_criteria(source: Scheme, target: Scheme) -> None:
    mapping: dict[int, Criterion] = {}
    for criterion in source.criteria.order_by("parent_id", "order", "pk").filter(parent__isnull=True):
        mapping[criterion.pk] = _clone(criterion, target, None)
    for criterion in source.criteria.filter(parent__isnull=False).order_by("order", "pk"):
        _clone(criterion, target, mapping[criterion.parent_id])


def _clone(criterion: Criterion, scheme: Scheme, parent: Criterion | None) -> Criterion:
    return Criterion.objects.create(
        scheme=scheme, parent=parent, order=criterion.order, code=criterion.code, title=criterion.title,
        max_points=criterion.max_points, step=criterion.step, guidance=criterion.guidance,
        evidence_required=criterion.evidence_required, note_required=criterion.note_required)


def _check_criterion(*, parent: Criterion | None, max_points: Decimal, step: Decimal) -> None:
    errors: dict[str, list[str]] = {}
    if parent is not None and parent.parent_id is not None:
        errors["parent"] = [_("An item belongs to a category, not to another item.")]
    if parent is not None:
        if max_points <= 0:
            errors["max_points"] = [_("An item needs maximum points above 0.")]
        elif step <= 0:
            errors["step"] = [_("The step must be above 0.")]
        elif max_points % step != 0:
            errors["step"] = [_("The maximum points (%(max)s) must be a multiple of the step (%(step)s).") % {
                "max": max_points.normalize(), "step": step.normalize()}]
    if errors:
        raise ValidationError(errors)


def _category_totals(scheme: Scheme) -> None:
    # A category's maximum is the sum of its items': computed here, never typed.
    for category in scheme.criteria.filter(parent__isnull=True):
        total = category.children.aggregate(s=Sum("max_points"))["s"] or Decimal("0")
        if category.max_points != total:
            Criterion.objects.filter(pk=category.pk).update(max_points=total)


@transaction.atomic
def criterion_save(*, scheme: Scheme, actor: Any, criterion: Criterion | None = None, request: Any = None,
                   **fields: Any) -> Criterion:
    """Add or change a category or an item of a scheme that is not frozen."""
    _require_editable(scheme)
    parent = fields.get("parent")
    if parent is not None and parent.scheme_id != scheme.pk:
        raise ValidationError({"parent": [_("Choose a category of this scheme.")]})
    if parent is None:
        fields["max_points"] = Decimal("0")
        fields.setdefault("step", Decimal("1"))
        fields["step"] = fields["step"] or Decimal("1")
    else:
        _check_criterion(parent=parent, max_points=fields.get("max_points") or Decimal("0"),
                         step=fields.get("step") or Decimal("0"))
    if criterion is not None and parent is not None and criterion.children.exists():
        raise ValidationError({"parent": [_("A category with items cannot become an item.")]})
    if criterion is None:
        if not fields.get("order"):
            siblings = Criterion.objects.filter(scheme=scheme, parent=parent)
            fields["order"] = (siblings.aggregate(o=Max("order"))["o"] or 0) + 1
        criterion = Criterion.objects.create(scheme=scheme, **fields)
        action = "assessment.criterion_create"
    else:
        for name, value in fields.items():
            setattr(criterion, name, value)
        criterion.save()
        action = "assessment.criterion_update"
    _category_totals(scheme)
    audit_record(action, request=request, actor=actor, obj=criterion, detail={"scheme": scheme.pk})
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: Criterion, actor: Any, request: Any = None) -> None:
    """Remove a category (with its items) or an item from a scheme that is not frozen."""
    scheme = criterion.scheme
    _require_editable(scheme)
    audit_record("assessment.criterion_delete", request=request, actor=actor, obj=criterion,
                 detail={"scheme": scheme.pk})
    criterion.delete()
    _category_totals(scheme)


@dataclass
class CriterionRow:
    """A category or item read from a spreadsheet (before it is stored)."""

    category: str
    code: str
    title: str
    max_points: Decimal
    step: Decimal
    guidance: str = ""
    evidence_required: str = ""
    note_required: bool = False


@dataclass
class CategoryRows:
    title: str
    code: str = ""
    items: list[CriterionRow] = field(default_factory=list)


@transaction.atomic
def scheme_import(*, name: str, categories: list[CategoryRows], actor: Any, request: Any = None) -> Scheme:
    """Create a new scheme from checked spreadsheet rows (all of them; the caller refused bad files)."""
    scheme = Scheme.objects.create(name=name, created_by=actor)
    for c_order, category in enumerate(categories, start=1):
        parent = Criterion.objects.create(scheme=scheme, order=c_order, code=category.code, title=category.title)
        for i_order, row in enumerate(category.items, start=1):
            Criterion.objects.create(scheme=scheme, parent=parent, order=i_order, code=row.code, title=row.title,
                                     max_points=row.max_points, step=row.step, guidance=row.guidance,
                                     evidence_required=row.evidence_required, note_required=row.note_required)
    _category_totals(scheme)
    audit_record("assessment.scheme_import", request=request, actor=actor, obj=scheme,
                 detail={"categories": len(categories), "items": sum(len(c.items) for c in categories)})
    return scheme


# --- rounds and teams ------------------------------------------------------------------------
def locked_reason(round_: Round) -> str:
    """Why nothing of a round may change any more ("" if it may)."""
    if round_.status != RoundStatus.LOCKED:
        return ""
    when = formats.date_format(timezone.localtime(round_.locked_at), "Y-m-d H:i") if round_.locked_at else ""
    return _("The round “%(round)s” was locked on %(when)s: its teams, units and scores can no longer be "
             "changed.") % {"round": round_.name, "when": when}


def _require_not_locked(round_: Round) -> Round:
    current = Round.objects.get(pk=round_.pk)
    if current.status == RoundStatus.LOCKED:
        raise ValidationError(locked_reason(current), code="locked")
    return current


def round_create(*, campaign: Any, scheme: Scheme, name: str, order: int | None = None, actor: Any,
                 request: Any = None) -> Round:
    """Create a draft round of a campaign with a scheme version."""
    if order is None:
        order = (Round.objects.filter(campaign=campaign).aggregate(o=Max("order"))["o"] or 0) + 1
    if Round.objects.filter(campaign=campaign, order=order).exists():
        raise ValidationError({"order": [_("This campaign already has a round number %(order)s.") % {"order": order}]})
    if not scheme.criteria.filter(parent__isnull=False).exists():
        raise ValidationError({"scheme": [_("This scheme has no items to score yet.")]})
    round_ = Round.objects.create(campaign=campaign, scheme=scheme, name=name, order=order, created_by=actor)
    audit_record("assessment.round_create", request=request, actor=actor, obj=round_)
    return round_


def round_update(*, round_: Round, name: str, scheme: Scheme, actor: Any, request: Any = None) -> Round:
    """Rename a round; its scheme may change only while it is a draft."""
    current = _require_not_locked(round_)
    if scheme.pk != current.scheme_id:
        if current.status != RoundStatus.DRAFT:
            raise ValidationError({"scheme": [_("The round has started: it keeps the scheme version it started "
                                                 "with.")]})
        if not scheme.criteria.filter(parent__isnull=False).exists():
            raise ValidationError({"scheme": [_("This scheme has no items to score yet.")]})
    round_.name, round_.scheme = name, scheme
    round_.save(update_fields=["name", "scheme"])
    audit_record("assessment.round_update", request=request, actor=actor, obj=round_)
    return round_


def _check_inspectors(people: Iterable[Any]) -> None:
    bad = [str(p) for p in people if not p.has_role(Role.INSPECTOR) or not p.is_active]
    if bad:
        raise ValidationError(_("Only people with the inspector role can be in a team: %(names)s.") % {
            "names": "、".join(bad)})


@transaction.atomic
def team_save(*, round_: Round, name: str, leader: Any, members: Iterable[Any], actor: Any,
              team: Team | None = None, request: Any = None) -> Team:
    """Create or change an inspection team of a round that is not locked."""
    _require_not_locked(round_)
    members = [m for m in members if m.pk != leader.pk]
    try:
        _check_inspectors([leader, *members])
    except ValidationError as exc:
        raise ValidationError({"members": exc.messages}) from exc
    clash = Team.objects.filter(round=round_, name=name)
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        raise ValidationError({"name": [_("This round already has a team with this name.")]})
    if team is None:
        team = Team.objects.create(round=round_, name=name, leader=leader)
    else:
        team.name, team.leader = name, leader
        team.save(update_fields=["name", "leader"])
    team.members.set(members)
    audit_record("assessment.team_save", request=request, actor=actor, obj=team, detail={"round": round_.pk})
    return team


@transaction.atomic
def round_units_assign(*, round_: Round, team: Team | None, units: Iterable[Any], actor: Any,
                       request: Any = None) -> int:
    """Make units take part in a round, inspected by ``team`` (moves them from another team)."""
    _require_not_locked(round_)
    if team is not None and team.round_id != round_.pk:
        raise ValidationError({"team": [_("Choose a team of this round.")]})
    count = 0
    for unit in units:
        RoundUnit.objects.update_or_create(round=round_, unit=unit, defaults={"team": team})
        count += 1
    audit_record("assessment.round_units_assign", request=request, actor=actor, obj=round_,
                 detail={"team": team.pk if team else None, "units": count})
    return count


def round_unit_remove(*, round_unit: RoundUnit, actor: Any, request: Any = None) -> None:
    """Take a unit out of a round, if nobody has scored it yet."""
    _require_not_locked(round_unit.round)
    if Score.objects.filter(sheet__round_unit=round_unit).exists():
        raise ValidationError(_("This unit has scores in this round; it cannot be taken out."), code="scored")
    audit_record("assessment.round_unit_remove", request=request, actor=actor, obj=round_unit)
    round_unit.delete()


_TRANSITIONS = {
    "open": ({RoundStatus.DRAFT, RoundStatus.CLOSED}, RoundStatus.OPEN),
    "close": ({RoundStatus.OPEN}, RoundStatus.CLOSED),
    "lock": ({RoundStatus.CLOSED}, RoundStatus.LOCKED),
}


@transaction.atomic
def round_transition(*, round_: Round, action: str, actor: Any, request: Any = None) -> Round:
    """Open (or reopen), close or lock a round: a state change made once, whatever is clicked twice."""
    if action not in _TRANSITIONS:
        raise ValidationError(_("Unknown action."), code="invalid")
    current = _require_not_locked(round_)
    sources, target = _TRANSITIONS[action]
    if current.status not in sources:
        refusals = {"open": _("The round is %(status)s; it cannot be opened now."),
                    "close": _("The round is %(status)s; it cannot be closed now."),
                    "lock": _("The round is %(status)s; it can be locked only once scoring is closed.")}
        raise ValidationError(refusals[action] % {"status": current.get_status_display()}, code="state")
    now = timezone.now()
    changes: dict[str, Any] = {"status": target}
    if action == "open":
        if not current.round_units.filter(team__isnull=False).exists():
            raise ValidationError(_("Assign at least one unit to an inspection team before opening the round."),
                                  code="empty")
        changes["opened_at"] = current.opened_at or now
        # The scheme is frozen from the moment it is used: the round keeps this version.
        Scheme.objects.filter(pk=current.scheme_id).update(frozen=True)
    elif action == "close":
        changes["closed_at"] = now
    elif action == "lock":
        changes.update(locked_at=now, locked_by=actor)
    updated = Round.objects.filter(pk=current.pk, status=current.status).update(**changes)
    if not updated:
        raise ValidationError(_("Someone changed this round at the same time; look again."), code="conflict")
    round_.refresh_from_db()
    audit_record(f"assessment.round_{action}", request=request, actor=actor, obj=round_)
    return round_



# --- scoring ---------------------------------------------------------------------------------
def scoring_refusal(round_: Round) -> str:
    if round_.status == RoundStatus.LOCKED:
        return locked_reason(round_)
    if round_.status == RoundStatus.CLOSED:
        return _("The round “%(round)s” is closed for scoring.") % {"round": round_.name}
    if round_.status == RoundStatus.DRAFT:
        return _("The round “%(round)s” has not been opened for scoring yet.") % {"round": round_.name}
    return ""


def sheet_for(*, round_unit: RoundUnit, inspector: Any) -> ScoreSheet:
    """The inspector's sheet for a unit in a round (made on first use)."""
    sheet, _created = ScoreSheet.objects.get_or_create(round_unit=round_unit, inspector=inspector)
    return sheet


def parse_points(text: str, criterion: Criterion) -> Decimal | None:
    """The points typed for an item, checked against 0..max and the step; None for an empty field."""
    text = (text or "").strip().replace("，", ".").replace(",", ".")
    if text == "":
        return None
    try:
        points = Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(_("Enter a number."), code="not_a_number") from exc
    if not points.is_finite():
        raise ValidationError(_("Enter a number."), code="not_a_number")
    if points < 0 or points > criterion.max_points:
        raise ValidationError(_("Enter a score from 0 to %(max)s.") % {"max": format_points(criterion.max_points)},
                              code="out_of_range")
    if points % criterion.step != 0:
        raise ValidationError(_("Scores for this item go in steps of %(step)s (e.g. %(example)s).") % {
            "step": format_points(criterion.step), "example": format_points(criterion.max_points - criterion.step)}, code="step")
    return points.quantize(TWO_PLACES)


def format_points(value: Decimal) -> str:
    text = format(value.quantize(TWO_PLACES), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def check_note(*, criterion: Criterion, points: Decimal | None, note: str) -> None:
    """An item marked "note required" needs a note when it gets less than its maximum."""
    if criterion.note_required and points is not None and points < criterion.max_points and not note.strip():
        raise ValidationError(_("Say why this item gets less than the maximum (a note is required)."),
                              code="note_required")


@dataclass
class ScoreResult:
    """What the phone is told about one change: applied, or refused at a field with the reason."""

    ok: bool
    criterion_id: int
    points: str = ""
    note: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    replayed: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "criterion": self.criterion_id, "points": self.points, "note": self.note,
                "errors": self.errors, "replayed": self.replayed}


def _item_of(round_: Round, criterion_id: Any) -> Criterion:
    criterion = Criterion.objects.filter(pk=criterion_id, scheme_id=round_.scheme_id, parent__isnull=False).first() \
        if str(criterion_id).isdigit() else None
    if criterion is None:
        raise ValidationError(_("This item is not part of the round's scheme."), code="unknown_criterion")
    return criterion


def score_validate(*, criterion: Criterion, points_text: str, note: str) -> tuple[Decimal | None, dict[str, str]]:
    """Check one item's points and note; returns the points and the field errors (empty when fine)."""
    errors: dict[str, str] = {}
    points = None
    try:
        points = parse_points(points_text, criterion)
    except ValidationError as exc:
        errors["points"] = exc.messages[0]
    if not errors:
        try:
            check_note(criterion=criterion, points=points, note=note)
        except ValidationError as exc:
            errors["note"] = exc.messages[0]
    if len(note) > 2000:
        errors["note"] = _("The note is too long (at most 2000 characters).")
    return points, errors


def sheet_refusal(sheet: ScoreSheet) -> str:
    refusal = scoring_refusal(sheet.round_unit.round)
    if refusal:
        return refusal
    if sheet.submitted_at:
        return _("You submitted this sheet; ask the team leader if a score must change.")
    return ""


def score_apply(*, sheet: ScoreSheet, criterion_id: Any, points_text: str, note: str, key: Any = None,
                actor: Any, request: Any = None) -> ScoreResult:
    """Apply one item's points and note to a sheet, once per idempotency ``key`` (a retry gets the same answer)."""
    if key is not None:
        try:
            key = uuid.UUID(str(key))
        except ValueError as exc:
            raise ValidationError(_("The change has no valid key."), code="bad_key") from exc
        previous = ScoreChange.objects.filter(key=key).first()
        if previous is not None:
            return _replay(previous, sheet)
    try:
        with transaction.atomic():
            result = _score_apply(sheet=sheet, criterion_id=criterion_id, points_text=points_text, note=note,
                                  actor=actor)
            if key is not None:
                ScoreChange.objects.create(key=key, sheet=sheet, criterion_id=result.criterion_id,
                                           points_text=points_text[:50], note=note, ok=result.ok,
                                           response=result.as_json())
    except IntegrityError:
        # The same key arrived twice at once: the first one won; answer as it did.
        previous = ScoreChange.objects.filter(key=key).first() if key is not None else None
        if previous is None:
            raise
        return _replay(previous, sheet)
    if result.ok:
        audit_record("assessment.score", request=request, actor=actor, obj=sheet,
                     detail={"criterion": result.criterion_id, "points": result.points})
    return result


def _replay(previous: ScoreChange, sheet: ScoreSheet) -> ScoreResult:
    if previous.sheet_id != sheet.pk:
        raise ValidationError(_("The change has no valid key."), code="bad_key")
    data = dict(previous.response)
    return ScoreResult(ok=data.get("ok", False), criterion_id=data.get("criterion", previous.criterion_id),
                       points=data.get("points", ""), note=data.get("note", ""), errors=data.get("errors", {}),
                       replayed=True)


def _score_apply(*, sheet: ScoreSheet, criterion_id: Any, points_text: str, note: str, actor: Any) -> ScoreResult:
    sheet = ScoreSheet.objects.select_for_update(of=("self",)).select_related("round_unit__round").get(pk=sheet.pk)
    round_ = sheet.round_unit.round
    criterion = _item_of(round_, criterion_id)
    refusal = sheet_refusal(sheet)
    if refusal:
        return ScoreResult(ok=False, criterion_id=criterion.pk, errors={"points": refusal})
    note = note.strip()
    points, errors = score_validate(criterion=criterion, points_text=points_text, note=note)
    if errors:
        return ScoreResult(ok=False, criterion_id=criterion.pk, errors=errors)
    Score.objects.update_or_create(sheet=sheet, criterion=criterion, defaults={"points": points, "note": note})
    ScoreSheet.objects.filter(pk=sheet.pk).update(updated_at=timezone.now())
    return ScoreResult(ok=True, criterion_id=criterion.pk, points=format_points(points) if points is not None else "",
                       note=note)


@transaction.atomic
def scores_save(*, sheet: ScoreSheet, entries: dict[int, tuple[str, str]], actor: Any,
                request: Any = None) -> dict[int, dict[str, str]]:
    """Save a whole sheet from the plain form: all items or none; returns field errors per item."""
    sheet = ScoreSheet.objects.select_for_update(of=("self",)).select_related("round_unit__round").get(pk=sheet.pk)
    refusal = sheet_refusal(sheet)
    if refusal:
        raise ValidationError(refusal, code="refused")
    items = {c.pk: c for c in Criterion.objects.filter(scheme_id=sheet.round_unit.round.scheme_id,
                                                       parent__isnull=False)}
    errors: dict[int, dict[str, str]] = {}
    checked: list[tuple[Criterion, Decimal | None, str]] = []
    for criterion_id, (points_text, note) in entries.items():
        criterion = items.get(criterion_id)
        if criterion is None:
            continue
        note = note.strip()
        points, item_errors = score_validate(criterion=criterion, points_text=points_text, note=note)
        if item_errors:
            errors[criterion_id] = item_errors
        else:
            checked.append((criterion, points, note))
    if errors:
        return errors
    existing = {s.criterion_id: s for s in Score.objects.filter(sheet=sheet)}
    for criterion, points, note in checked:
        score = existing.get(criterion.pk)
        if score is None:
            if points is None and not note:
                continue
            Score.objects.create(sheet=sheet, criterion=criterion, points=points, note=note)
        elif score.points != points or score.note != note:
            score.points, score.note = points, note
            score.save(update_fields=["points", "note", "updated_at"])
    ScoreSheet.objects.filter(pk=sheet.pk).update(updated_at=timezone.now())
    audit_record("assessment.sheet_save", request=request, actor=actor, obj=sheet, detail={"items": len(checked)})
    return {}


def score_photo_add(*, sheet: ScoreSheet, criterion: Criterion, upload: Any, actor: Any,
                    request: Any = None) -> ScorePhoto:
    """Attach a checked photo (jpg/png) to an item of a sheet."""
    from xiaoneng.core.files.services import file_store

    refusal = sheet_refusal(ScoreSheet.objects.select_related("round_unit__round").get(pk=sheet.pk))
    if refusal:
        raise ValidationError(refusal, code="refused")
    with transaction.atomic():
        score, _created = Score.objects.get_or_create(sheet=sheet, criterion=criterion)
        stored = file_store(upload=upload, unit=sheet.round_unit.unit, user=actor,
                            allowed_kinds=frozenset({"jpg", "png"}), linked_to=score, request=request)
        photo, _created = ScorePhoto.objects.get_or_create(score=score, file=stored)
    return photo


def sheet_missing(sheet: ScoreSheet) -> list[str]:
    """What stops a sheet from being submitted: items without points, required notes missing."""
    scores = {s.criterion_id: s for s in sheet.scores.all()}
    problems = []
    for criterion in Criterion.objects.filter(scheme_id=sheet.round_unit.round.scheme_id, parent__isnull=False) \
            .select_related("parent").order_by("parent__order", "order", "pk"):
        score = scores.get(criterion.pk)
        label = f"{criterion.code} {criterion.title}".strip()
        if score is None or score.points is None:
            problems.append(_("%(item)s: no points yet.") % {"item": label})
            continue
        try:
            check_note(criterion=criterion, points=score.points, note=score.note)
        except ValidationError as exc:
            problems.append(f"{label}: {exc.messages[0]}")
    return problems


@transaction.atomic
def sheet_submit(*, sheet: ScoreSheet, actor: Any, request: Any = None) -> ScoreSheet:
    """Submit a complete sheet; when its team has one inspector, that sheet is the settled result."""
    sheet = ScoreSheet.objects.select_for_update(of=("self",)).select_related("round_unit__round", "round_unit__team") \
        .get(pk=sheet.pk)
    if sheet.submitted_at:
        return sheet  # a double click submits once
    refusal = scoring_refusal(sheet.round_unit.round)
    if refusal:
        raise ValidationError(refusal, code="refused")
    missing = sheet_missing(sheet)
    if missing:
        raise ValidationError(missing, code="incomplete")
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["submitted_at", "updated_at"])
    audit_record("assessment.sheet_submit", request=request, actor=actor, obj=sheet)
    round_unit = sheet.round_unit
    if len(team_inspectors(round_unit.team)) <= 1 and not round_unit.sheets.exclude(pk=sheet.pk).exists():
        _settle_from(round_unit, {s.criterion_id: (s.points, s.note) for s in sheet.scores.all()}, actor)
    return sheet


def team_inspectors(team: Team | None) -> list[Any]:
    """The leader and members of a team (each once)."""
    if team is None:
        return []
    people = {team.leader_id: team.leader}
    for member in team.members.all():
        people.setdefault(member.pk, member)
    return list(people.values())


def _settle_from(round_unit: RoundUnit, values: dict[int, tuple[Decimal, str]], actor: Any) -> None:
    for criterion_id, (points, note) in values.items():
        SettledScore.objects.update_or_create(round_unit=round_unit, criterion_id=criterion_id,
                                              defaults={"points": points, "note": note, "settled_by": actor})
    RoundUnit.objects.filter(pk=round_unit.pk).update(settled_at=timezone.now(), settled_by=actor)


@transaction.atomic
def round_unit_settle(*, round_unit: RoundUnit, entries: dict[int, tuple[str, str]], actor: Any,
                      request: Any = None) -> dict[int, dict[str, str]]:
    """The team leader's one result per item (every item, checked like a score); returns field errors."""
    round_unit = RoundUnit.objects.select_for_update(of=("self",)).select_related("round", "team").get(pk=round_unit.pk)
    round_ = round_unit.round
    if round_.status == RoundStatus.LOCKED:
        raise ValidationError(locked_reason(round_), code="locked")
    if round_.status == RoundStatus.DRAFT:
        raise ValidationError(scoring_refusal(round_), code="draft")
    errors: dict[int, dict[str, str]] = {}
    values: dict[int, tuple[Decimal, str]] = {}
    for criterion in Criterion.objects.filter(scheme_id=round_.scheme_id, parent__isnull=False):
        points_text, note = entries.get(criterion.pk, ("", ""))
        note = note.strip()
        points, item_errors = score_validate(criterion=criterion, points_text=points_text, note=note)
        if points is None and not item_errors:
            item_errors = {"points": _("Settle a score for every item.")}
        if item_errors:
            errors[criterion.pk] = item_errors
        else:
            values[criterion.pk] = (points, note)
    if errors:
        return errors
    _settle_from(round_unit, values, actor)
    audit_record("assessment.settle", request=request, actor=actor, obj=round_unit,
                 detail={"items": len(values)})
    return {}
