"""Reads for assessment: schemes, rounds, what an inspector may score, totals of settled scores."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404

from xiaoneng.core.scoping import get_for_user, scope_queryset
from xiaoneng.org.models import Role
from xiaoneng.org.selectors import is_office, require_office

from .models import Criterion, Round, RoundStatus, RoundUnit, Scheme, ScoreSheet, SettledScore, Team


def round_unit_totals(*, round_ids: Iterable[int]) -> dict[tuple[int, int], Decimal]:
    """(round_id, unit_id) -> total of the settled scores, for the units that took part and were scored.

    A unit that took part but has no settled score yet is absent (not 0): it was not scored.
    One SQL aggregate over the settled scores.
    """
    ids = list(round_ids)
    if not ids:
        return {}
    rows = (SettledScore.objects.filter(round_unit__round_id__in=ids)
            .values_list("round_unit__round_id", "round_unit__unit_id")
            .annotate(total=Sum("points")).order_by())
    return {(round_id, unit_id): (total if total is not None else Decimal("0")) for round_id, unit_id, total in rows}


def rounds_for_campaign(*, campaign: Any) -> list[Round]:
    """The campaign's rounds in order (all statuses; look at ``round.status`` for locked ones)."""
    return list(Round.objects.filter(campaign=campaign).select_related("scheme").order_by("order", "pk"))


# --- access ----------------------------------------------------------------------------------
def _team_filter(user: Any) -> Q:
    return Q(team__leader=user) | Q(team__members=user)


def is_inspector(user: Any) -> bool:
    return bool(user.is_authenticated and not user.is_admin_role_holder and user.has_role(Role.INSPECTOR))


def scheme_list_for_user(*, user: Any) -> QuerySet[Scheme]:
    """Every scheme, for the office; nobody else manages schemes."""
    require_office(user)
    return Scheme.objects.annotate(
        items=Count("criteria", filter=Q(criteria__parent__isnull=False)),
        rounds_using=Count("rounds", distinct=True)).order_by("name", "-version")


def scheme_get_for_user(*, user: Any, pk: Any) -> Scheme:
    require_office(user)
    return get_object_or_404(Scheme, pk=pk)


def criterion_get_for_user(*, user: Any, scheme: Scheme, pk: Any) -> Criterion:
    require_office(user)
    return get_object_or_404(Criterion, pk=pk, scheme=scheme)


def scheme_tree(scheme: Scheme) -> list[tuple[Criterion, list[Criterion]]]:
    """The categories of a scheme in order, each with its items."""
    criteria = list(scheme.criteria.order_by("order", "pk"))
    categories = [c for c in criteria if c.parent_id is None]
    items: dict[int, list[Criterion]] = {c.pk: [] for c in categories}
    for criterion in criteria:
        if criterion.parent_id is not None:
            items.setdefault(criterion.parent_id, []).append(criterion)
    return [(category, items[category.pk]) for category in categories]


def scheme_total(scheme: Scheme) -> Decimal:
    return scheme.criteria.filter(parent__isnull=False).aggregate(s=Sum("max_points"))["s"] or Decimal("0")


def round_list_for_user(*, user: Any) -> QuerySet[Round]:
    """Rounds the office runs (all of them)."""
    require_office(user)
    return Round.objects.select_related("campaign", "scheme").annotate(units=Count("round_units", distinct=True))


def round_get_for_user(*, user: Any, pk: Any) -> Round:
    require_office(user)
    return get_object_or_404(Round.objects.select_related("campaign", "scheme"), pk=pk)


def team_get_for_user(*, user: Any, round_: Round, pk: Any) -> Team:
    require_office(user)
    return get_object_or_404(Team, pk=pk, round=round_)


def round_unit_get_for_user(*, user: Any, pk: Any, write: bool = False) -> RoundUnit:
    """A unit in a round: the office sees every one; an inspector those of their teams (403 others,
    404 none); with ``write``, only the team's inspectors."""
    base = RoundUnit.objects.select_related("round__campaign", "round__scheme", "unit", "team__leader")
    round_unit = base.filter(pk=pk).first() if str(pk).isdigit() else None
    if round_unit is None:
        raise Http404
    if write:
        allowed = is_inspector(user) and base.filter(_team_filter(user), pk=round_unit.pk).exists()
    else:
        allowed = is_office(user) or (is_inspector(user) and base.filter(_team_filter(user), pk=round_unit.pk).exists())
    if not allowed:
        raise PermissionDenied
    return round_unit


def round_units_for_inspector(*, user: Any) -> QuerySet[RoundUnit]:
    """The units an inspector scores: those of their teams in rounds open or closed (not drafts, not
    locked ones: those are finished and stay reachable from the round's pages)."""
    if not is_inspector(user):
        return RoundUnit.objects.none()
    return (RoundUnit.objects.filter(_team_filter(user))
            .exclude(round__status__in=[RoundStatus.DRAFT, RoundStatus.LOCKED])
            .select_related("round__campaign", "unit", "team__leader").distinct()
            .order_by("-round__status", "round__order", "unit__order", "unit__name"))


def sheet_for_view(*, round_unit: RoundUnit, user: Any) -> ScoreSheet | None:
    return ScoreSheet.objects.filter(round_unit=round_unit, inspector=user).first()


def unit_report_list_for_user(*, user: Any) -> QuerySet[RoundUnit]:
    """A unit's settled results, shown to its own people only once the round is locked."""
    if is_office(user) or not user.is_authenticated or not user.unit_id:
        return RoundUnit.objects.none()
    return scope_queryset(RoundUnit.objects.filter(round__status=RoundStatus.LOCKED, settled_at__isnull=False),
                          user).select_related("round__campaign", "unit").order_by("-round__locked_at")


def unit_report_get_for_user(*, user: Any, pk: Any) -> RoundUnit:
    """One locked round's settled result of a unit: its own people (403 another unit's, 404 none or unlocked)
    and the office."""
    if not str(pk).isdigit():
        raise Http404
    base = RoundUnit.objects.select_related("round__campaign", "round__scheme", "unit")
    if is_office(user):
        return get_object_or_404(base, pk=pk)
    locked = base.filter(round__status=RoundStatus.LOCKED, settled_at__isnull=False)
    return get_for_user(locked, user=user, pk=pk)


def settled_by_criterion(round_unit: RoundUnit) -> dict[int, SettledScore]:
    return {s.criterion_id: s for s in round_unit.settled_scores.all()}


def round_progress(round_: Round) -> list[dict[str, Any]]:
    """Per unit of a round: its team, how many sheets were started and submitted, whether settled, the total."""
    totals = round_unit_totals(round_ids=[round_.pk])
    rows = []
    for ru in (round_.round_units.select_related("unit", "team")
               .annotate(sheets_started=Count("sheets", distinct=True),
                         sheets_submitted=Count("sheets", filter=Q(sheets__submitted_at__isnull=False),
                                                distinct=True))
               .order_by("unit__order", "unit__name")):
        rows.append({"round_unit": ru, "total": totals.get((round_.pk, ru.unit_id))})
    return rows
