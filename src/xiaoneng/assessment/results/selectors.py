"""Reads for results: rounds and their totals, final results, composites and rankings, per user.

Everything here is recomputed from what is stored (settled scores, submissions, adoptions,
survey answers); nothing is a typed-in number. The other apps are imported lazily: a source
whose provider is missing is reported as "not available" and left out of the composite.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scoping import can_see_all_units
from xiaoneng.org.models import Role, Unit
from xiaoneng.org.selectors import require_business_user

from . import compute
from .compute import ASSESSMENT, ON_TIME, PUBLICITY, SATISFACTION, SOURCES, UnitInfo
from .models import CompositeWeights, Publication

SOURCE_LABELS = {
    ASSESSMENT: _("Assessment final"),
    PUBLICITY: _("Publicity points"),
    ON_TIME: _("On-time submission rate"),
    SATISFACTION: _("Satisfaction rate"),
}
DEFAULT_WEIGHTS = {ASSESSMENT: Decimal("100"), PUBLICITY: Decimal("0"), ON_TIME: Decimal("0"),
                   SATISFACTION: Decimal("0")}
# What feedback.surveys' Satisfaction.rate is: a fraction (0.93) or a percentage (93).
SATISFACTION_RATE_SCALE = "%"


def final_tie_break_text() -> str:
    return gettext("Units are ranked by their final result (the mean of the rounds they took part in, to two "
                   "decimals) within their ranking group; equal results share a rank and are listed in unit order.")


def composite_tie_break_text() -> str:
    return gettext("Units are ranked by their composite score within their ranking group; on equal composites the "
                   "higher assessment final comes first; units still equal share a rank.")


# --- access ------------------------------------------------------------------------------------


def _campaign_model():
    from xiaoneng.campaigns.models import Campaign

    return Campaign


def _round_models():
    try:
        from xiaoneng.assessment.models import Round, RoundStatus, RoundUnit
    except ImportError:  # pragma: no cover - the assessment app is part of the project
        return None
    return Round, RoundStatus, RoundUnit


def sees_all_results(user: Any) -> bool:
    return can_see_all_units(user)


def _require_results_reader(user: Any) -> None:
    require_business_user(user)
    if not (sees_all_results(user) or (user.unit_id and user.has_role(Role.LIAISON, Role.UNIT_LEADER))):
        raise PermissionDenied


def campaign_list_for_user(*, user: Any):
    """Campaigns with assessment rounds: all of them for the office and leaders, a unit's own otherwise."""
    _require_results_reader(user)
    campaigns = _campaign_model().objects.filter(is_template=False, assessment_rounds__isnull=False).distinct()
    if sees_all_results(user):
        return campaigns
    return campaigns.filter(assessment_rounds__round_units__unit_id=user.unit_id).distinct()


def campaign_get_for_user(*, user: Any, pk: Any):
    """One campaign's results: 404 if there is none, 403 if the user's unit has no part in it."""
    _require_results_reader(user)
    Campaign = _campaign_model()
    try:
        campaign = Campaign.objects.get(pk=pk, is_template=False)
    except (Campaign.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if sees_all_results(user):
        return campaign
    takes_part = campaign.assessment_rounds.filter(round_units__unit_id=user.unit_id).exists()
    if not takes_part:
        raise PermissionDenied
    return campaign


def round_get_for_campaign(*, campaign: Any, pk: Any):
    models = _round_models()
    try:
        return models[0].objects.select_related("scheme").get(pk=pk, campaign=campaign)
    except (models[0].DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- rounds -----------------------------------------------------------------------------------


def rounds_for_campaign(*, campaign: Any) -> list:
    from xiaoneng.assessment.selectors import rounds_for_campaign as provider

    return provider(campaign=campaign)


def locked_rounds(rounds: list) -> list:
    return [r for r in rounds if r.status == "locked"]


def _unit_infos(unit_ids) -> dict[int, UnitInfo]:
    # Plain values, no model instances: a province has thousands of units.
    rows = Unit.objects.filter(pk__in=set(unit_ids)).values_list(
        "pk", "name", "ranking_group_id", "ranking_group__name", "ranking_group__order", "order")
    return {pk: UnitInfo(pk, name, group_id, group_name or "", group_order or 0, order)
            for pk, name, group_id, group_name, group_order, order in rows}


def _visible(user: Any, unit_id: int) -> bool:
    return sees_all_results(user) or unit_id == user.unit_id


def full_marks(rounds: list) -> Decimal | None:
    """The full marks of the rounds' schemes (sum of the items' maxima) when they all agree, else None."""
    if not rounds:
        return None
    from xiaoneng.assessment.models import Criterion

    sums = (Criterion.objects.filter(scheme_id__in={r.scheme_id for r in rounds}, parent__isnull=False)
            .values_list("scheme_id").annotate(total=Sum("max_points")).order_by())
    values = {total for _scheme, total in sums}
    if len(values) == 1 and len(sums) == len({r.scheme_id for r in rounds}):
        value = values.pop()
        return value if value else None
    return None


@dataclass
class RoundRow:
    unit_id: int
    unit_name: str
    group_name: str
    rank: int | None
    tied: bool
    total: Decimal | None  # None: took part, not scored yet


@dataclass
class RoundResults:
    round: Any
    rows: list[RoundRow]
    groups: list[compute.GroupRanking]


def round_results_for_user(*, user: Any, campaign: Any, round_obj: Any) -> RoundResults:
    """One round's totals per unit, ranked per group; a unit's liaison sees only their unit's row."""
    from xiaoneng.assessment.selectors import round_unit_totals

    totals = {unit_id: total for (_r, unit_id), total in round_unit_totals(round_ids=[round_obj.pk]).items()}
    taking_part = set(round_obj.round_units.values_list("unit_id", flat=True))
    infos = _unit_infos(taking_part | set(totals))
    groups = compute.rank_by_group(infos.values(), totals, other_group_name=gettext("Other units"))
    rows = [RoundRow(row.unit_id, row.unit_name, group.group_name, row.rank, row.tied, row.value)
            for group in groups for row in group.rows if _visible(user, row.unit_id)]
    for group in groups:
        group.rows = [row for row in group.rows if _visible(user, row.unit_id)]
    return RoundResults(round_obj, rows, [g for g in groups if g.rows])


# --- final results ----------------------------------------------------------------------------


@dataclass
class FinalRow:
    unit_id: int
    unit_name: str
    rank: int | None
    tied: bool
    final: Decimal | None
    round_totals: list[Decimal | None]
    rounds_taken: int


@dataclass
class FinalGroup:
    group_name: str
    rows: list[FinalRow] = field(default_factory=list)


@dataclass
class FinalResults:
    campaign: Any
    rounds: list  # every round of the campaign
    counted_rounds: list  # the locked rounds the finals average
    groups: list[FinalGroup]
    full_marks: Decimal | None
    tie_break: str
    finals: dict[int, Decimal]  # every unit's final (unscoped: for composites)


def final_results_for_campaign(*, campaign: Any) -> FinalResults:
    """Final results of every unit (unscoped): the mean of the locked rounds each took part in."""
    from xiaoneng.assessment.selectors import round_unit_totals

    rounds = rounds_for_campaign(campaign=campaign)
    counted = locked_rounds(rounds)
    ids = [r.pk for r in counted]
    results = compute.final_results(round_unit_totals(round_ids=ids), ids) if ids else {}
    finals = {unit_id: result.final for unit_id, result in results.items()}
    infos = _unit_infos(finals)
    ranked = compute.rank_by_group(infos.values(), finals, other_group_name=gettext("Other units"))
    groups = [FinalGroup(g.group_name, [
        FinalRow(row.unit_id, row.unit_name, row.rank, row.tied, row.value,
                 [results[row.unit_id].round_totals[i] for i in ids], results[row.unit_id].rounds_taken)
        for row in g.rows]) for g in ranked]
    return FinalResults(campaign, rounds, counted, groups, full_marks(counted), final_tie_break_text(), finals)


def final_results_for_user(*, user: Any, campaign: Any) -> FinalResults:
    """Final results as the user may see them: all units for the office and leaders, else their own unit."""
    results = final_results_for_campaign(campaign=campaign)
    if not sees_all_results(user):
        for group in results.groups:
            group.rows = [row for row in group.rows if row.unit_id == user.unit_id]
        results.groups = [g for g in results.groups if g.rows]
    return results


# --- the other sources --------------------------------------------------------------------------


@dataclass
class SourceState:
    key: str
    label: str
    available: bool
    note: str = ""


def on_time_percent(*, campaign: Any, today: dt.date | None = None) -> dict[int, Decimal]:
    """Each unit's on-time submission rate for the campaign, as a percentage (the board's rule).

    Counted: the unit's open due items that are due by today or already answered; on time: those
    whose latest submission (not withdrawn) arrived on time. Units with nothing counted are absent.
    """
    from xiaoneng.campaigns.models import DueItem, DueItemState, SubmissionStatus

    today = today or timezone.localdate()
    rows = (DueItem.objects.filter(obligation__campaign=campaign, state=DueItemState.OPEN)
            .order_by("pk", "submissions__submitted_at", "submissions__pk")
            .values_list("pk", "unit_id", "due_date", "submissions__status", "submissions__is_on_time"))
    latest: dict[int, tuple] = {}
    for pk, unit_id, due, status, on_time in rows:
        latest[pk] = (unit_id, due, status, on_time)
    counted: dict[int, int] = {}
    on_time_count: dict[int, int] = {}
    for unit_id, due, status, on_time in latest.values():
        if due > today and status is None:
            continue
        counted[unit_id] = counted.get(unit_id, 0) + 1
        if status is not None and status != SubmissionStatus.WITHDRAWN and on_time:
            on_time_count[unit_id] = on_time_count.get(unit_id, 0) + 1
    return {unit_id: Decimal(on_time_count.get(unit_id, 0)) * 100 / Decimal(n) for unit_id, n in counted.items()}


def publicity_points(*, campaign: Any) -> dict[int, Decimal] | None:
    """Publicity points per unit over the campaign's dates, or None when publicity is not available."""
    try:
        from xiaoneng.publicity.selectors import unit_publicity_figures
    except ImportError:
        return None
    figures = unit_publicity_figures(campaign=campaign, date_from=campaign.start_date, date_to=campaign.end_date)
    return {unit_id: compute.to_decimal(fig.points) for unit_id, fig in figures.items()}


def satisfaction_percent(*, campaign: Any) -> dict[int, Decimal] | None:
    """Satisfaction rate per unit (as a percentage) over the campaign's dates, or None when not available."""
    try:
        from xiaoneng.feedback.surveys.selectors import unit_satisfaction
    except ImportError:
        return None
    figures = unit_satisfaction(date_from=campaign.start_date, date_to=campaign.end_date)
    return {unit_id: compute.rate_to_percent(fig.rate, SATISFACTION_RATE_SCALE)
            for unit_id, fig in figures.items() if fig.rate is not None}


# --- composites ---------------------------------------------------------------------------------


def current_weights(*, campaign: Any) -> CompositeWeights | None:
    return CompositeWeights.objects.filter(campaign=campaign).order_by("-version").first()


def weights_dict(weights: CompositeWeights | None) -> dict[str, Decimal]:
    return weights.as_dict() if weights is not None else dict(DEFAULT_WEIGHTS)


@dataclass
class CompositeRow:
    unit_id: int
    unit_name: str
    rank: int | None
    tied: bool
    score: Decimal | None
    components: dict[str, Decimal]
    missing: tuple[str, ...]

    def component_list(self) -> list[Decimal | None]:
        return [self.components.get(source) for source in SOURCES]


@dataclass
class CompositeResults:
    campaign: Any
    weights: dict[str, Decimal]
    sources: list[SourceState]
    groups: list[FinalGroup]  # of CompositeRow
    ranked: list[compute.GroupRanking]
    tie_break: str


@dataclass
class SourceData:
    finals: FinalResults
    publicity: dict[int, Decimal] | None
    on_time: dict[int, Decimal] | None
    satisfaction: dict[int, Decimal] | None


def source_data(*, campaign: Any) -> SourceData:
    """Every source of the composite, read once (the preview computes two rankings from it)."""
    finals = final_results_for_campaign(campaign=campaign)
    return SourceData(finals, publicity_points(campaign=campaign), on_time_percent(campaign=campaign),
                      satisfaction_percent(campaign=campaign))


def composite_results(*, campaign: Any, weights: dict, data: SourceData | None = None) -> CompositeResults:
    """The composite ranking of every unit (unscoped) under ``weights`` (raises WeightError if invalid)."""
    data = data or source_data(campaign=campaign)
    clean = compute.validate_weights(weights)
    finals = data.finals.finals
    unit_ids = set(finals)
    rounds_units = _round_models()[2].objects.filter(round__campaign=campaign).values_list("unit_id", flat=True)
    unit_ids |= set(rounds_units)
    # The units ranked: those in the campaign's rounds or asked for reports by it; a unit known
    # only to publicity or surveys (e.g. the bureau itself) is not part of this campaign's result.
    unit_ids |= set(data.on_time or {})
    infos = _unit_infos(unit_ids)
    components = compute.normalise_components(
        unit_ids=infos, finals=finals if data.finals.counted_rounds else None,
        assessment_full_marks=data.finals.full_marks, publicity_points=data.publicity,
        on_time_percent=data.on_time, satisfaction_percent=data.satisfaction)
    composites = compute.composite_scores(components, clean)
    scores = {unit_id: c.score for unit_id, c in composites.items()}
    ranked = compute.rank_by_group(infos.values(), scores, tie_break=finals,
                                   other_group_name=gettext("Other units"))
    groups = [FinalGroup(g.group_name, [
        CompositeRow(row.unit_id, row.unit_name, row.rank, row.tied, row.value,
                     composites[row.unit_id].components, composites[row.unit_id].missing)
        for row in g.rows]) for g in ranked]
    notes = {
        ASSESSMENT: (bool(data.finals.counted_rounds), gettext("No locked round yet.")),
        PUBLICITY: (data.publicity is not None, gettext("Source not available.")),
        ON_TIME: (data.on_time is not None, gettext("Source not available.")),
        SATISFACTION: (data.satisfaction is not None, gettext("Source not available.")),
    }
    sources = [SourceState(key, str(SOURCE_LABELS[key]), notes[key][0], "" if notes[key][0] else notes[key][1])
               for key in SOURCES]
    return CompositeResults(campaign, clean, sources, groups, ranked, composite_tie_break_text())


def composite_results_for_user(*, user: Any, campaign: Any, weights: dict | None = None,
                               data: SourceData | None = None) -> CompositeResults:
    """The composite ranking as the user may see it."""
    if weights is None:
        weights = weights_dict(current_weights(campaign=campaign))
    results = composite_results(campaign=campaign, weights=weights, data=data)
    if not sees_all_results(user):
        for group in results.groups:
            group.rows = [row for row in group.rows if row.unit_id == user.unit_id]
        results.groups = [g for g in results.groups if g.rows]
    return results


@dataclass
class PreviewRow:
    group_name: str
    unit_name: str
    old_rank: int | None
    new_rank: int | None
    old_score: Decimal | None
    new_score: Decimal | None

    @property
    def moved(self) -> int | None:
        if self.old_rank is None or self.new_rank is None:
            return None
        return self.old_rank - self.new_rank


def weights_preview(*, user: Any, campaign: Any, new_weights: dict) -> list[PreviewRow]:
    """Each unit's rank and composite under the applied weights and under ``new_weights`` (office only)."""
    data = source_data(campaign=campaign)
    old = composite_results(campaign=campaign, weights=weights_dict(current_weights(campaign=campaign)), data=data)
    new = composite_results(campaign=campaign, weights=new_weights, data=data)
    old_rows = {row.unit_id: row for group in old.ranked for row in group.rows}
    return [PreviewRow(group.group_name, row.unit_name, old_rows[row.unit_id].rank, row.rank,
                       old_rows[row.unit_id].value, row.value)
            for group in new.ranked for row in group.rows]


# --- publications -----------------------------------------------------------------------------


def publication_list_public() -> list[Publication]:
    """The newest revision of each campaign's published results, newest first (public page)."""
    latest: dict[tuple[int, str], Publication] = {}
    for publication in Publication.objects.select_related("campaign").order_by("-revision", "-pk"):
        latest.setdefault((publication.campaign_id, publication.kind), publication)
    return sorted(latest.values(), key=lambda p: p.published_at, reverse=True)


def publication_list_for_campaign(*, campaign: Any):
    return Publication.objects.filter(campaign=campaign).order_by("-published_at", "-pk")
