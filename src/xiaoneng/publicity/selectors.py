"""Reads for the publicity screens and for other apps (contracts.md §2), scoped to the user.

A month's ranking is computed, never stored: one GROUP BY over the points ledger
(``PointEntry``: each verified adoption's points already scored and split between units) and
one over the items, then Python applies the month rules (quota, deductions, veto, caps) from
``publicity.scoring`` and numbers the units with shared ranks.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from xiaoneng.core.ranking import competition_ranks
from xiaoneng.core.scoping import can_see_all_units, get_for_user, scope_queryset
from xiaoneng.org.models import Role, Unit, UnitKind

from . import scoring
from .models import (
    LEVEL_ORDER,
    Adoption,
    AdoptionStatus,
    Commission,
    CommissionKind,
    EntryKind,
    NewsItem,
    NewsItemStatus,
    Outlet,
    PointEntry,
    ScoringRuleSet,
    Veto,
)

ZERO = Decimal("0")
NON_REPORTING_KINDS = (UnitKind.BUREAU, UnitKind.OFFICE)


# ---- month keys -------------------------------------------------------------------------------

def cents(points: Decimal) -> int:
    return int((points * 100).to_integral_value())


def from_cents(value: int | None) -> Decimal:
    return Decimal(value or 0).scaleb(-2)


def month_key(day: dt.date) -> int:
    return day.year * 100 + day.month


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def month_keys_between(first: dt.date, last: dt.date) -> list[int]:
    keys = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        keys.append(year * 100 + month)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


# ---- contract dataclasses (contracts.md §2) ---------------------------------------------------

@dataclass
class RankingRow:
    unit_id: int
    unit_name: str
    rank: int
    tied: bool
    points: Decimal
    items: int
    adoptions: int
    by_level: dict[str, int]
    vetoed: bool
    year_points: Decimal
    campaign_points: Decimal
    adopted_items: int = 0
    breakdown: list[dict[str, str]] = field(default_factory=list)


@dataclass
class GroupRanking:
    group_name: str
    rows: list[RankingRow]


@dataclass
class MonthRanking:
    campaign: Any
    year: int
    month: int
    tie_break: list[str]
    groups: list[GroupRanking]
    rule_version: int | None = None
    # The campaign's months up to this one, and each unit's points in them (for trend charts).
    month_keys: list[int] = field(default_factory=list)
    monthly_points: dict[int, list[Decimal]] = field(default_factory=dict)

    def row_for(self, unit_id: int) -> RankingRow | None:
        for group in self.groups:
            for row in group.rows:
                if row.unit_id == unit_id:
                    return row
        return None


@dataclass
class UnitFigures:
    items: int
    adoptions: int
    points: Decimal


# ---- rules ------------------------------------------------------------------------------------

def rule_book(*, campaign: Any, override: Iterable[scoring.Version] | None = None) -> scoring.RuleBook | None:
    """The campaign's rule versions (or ``override`` for a preview); None when it has none."""
    versions = list(override) if override is not None else [
        scoring.Version(version=rs.version, effective_from=rs.effective_from,
                        rules=scoring.Rules.from_dict(rs.rules), key=rs.pk)
        for rs in ScoringRuleSet.objects.filter(campaign=campaign)
    ]
    return scoring.RuleBook(versions) if versions else None


def tie_break_labels(rules: scoring.Rules) -> list[str]:
    labels = {
        "points": _("points"),
        "higher_level_adoptions": _("adoptions at higher levels (central, provincial, city, county, internal)"),
        "adopted_items": _("number of items adopted"),
        "submitted_items": _("number of items submitted"),
        "adoptions": _("number of adoptions"),
    }
    return [labels[entry] for entry in rules.tie_break]


def reporting_unit_queryset() -> QuerySet[Unit]:
    """Units ranked (a queryset, e.g. for a form's choices): every active unit but the bureau and its office."""
    return Unit.objects.filter(is_active=True).exclude(kind__in=NON_REPORTING_KINDS).order_by("order", "name", "pk")


def reporting_units() -> list[Unit]:
    """Units ranked: every active unit but the bureau and its office, in the fixed unit order."""
    return list(reporting_unit_queryset().select_related("ranking_group")
                .only("id", "name", "kind", "order", "ranking_group__id", "ranking_group__name",
                      "ranking_group__order"))


# ---- the month computation --------------------------------------------------------------------

@dataclass
class Agg:
    adoption_cents: int = 0
    instruction_cents: int = 0
    adoptions: int = 0
    adopted_items: int = 0
    by_level: dict[str, int] = field(default_factory=dict)

    @property
    def adoption_points(self) -> Decimal:
        return from_cents(self.adoption_cents)

    @property
    def instruction_points(self) -> Decimal:
        return from_cents(self.instruction_cents)


_LEVEL_FILTERS = {level: Count("id", filter=Q(kind=EntryKind.ADOPTION, level=level)) for level in LEVEL_ORDER}


def _raw_rows(queryset: QuerySet) -> list[tuple]:
    """Run the queryset's SQL directly: integer aggregates need none of the ORM's per-row converters."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def ledger_aggregates(*, campaign: Any, first_key: int, last_key: int,
                      detail_key: int | None = None) -> dict[tuple[int, int], Agg]:
    """One GROUP BY (unit, month) over the points ledger (adoptions per level only for ``detail_key``, if given)."""
    rows = _raw_rows(
        PointEntry.objects.filter(campaign=campaign, month_key__gte=first_key, month_key__lte=last_key)
        .values_list("unit_id", "month_key")
        .annotate(ap=Sum("points_cents", filter=Q(kind=EntryKind.ADOPTION)),
                  ip=Sum("points_cents", filter=Q(kind=EntryKind.INSTRUCTION)),
                  n=Count("id", filter=Q(kind=EntryKind.ADOPTION)),
                  first=Count("id", filter=Q(first_of_item=True)),
                  **{f"lv_{level}": agg for level, agg in _LEVEL_FILTERS.items()})
        .order_by())
    result: dict[tuple[int, int], Agg] = {}
    for unit_id, key, ap, ip, n, first, *levels in rows:
        by_level = {lv: c for lv, c in zip(LEVEL_ORDER, levels, strict=True) if c} \
            if detail_key is None or key == detail_key else {}
        result[(unit_id, key)] = Agg(adoption_cents=int(ap or 0), instruction_cents=int(ip or 0), adoptions=n,
                                     adopted_items=first, by_level=by_level)
    return result


def _item_counts(*, campaign: Any, first_key: int, last_key: int) -> dict[tuple[int, int], int]:
    # COUNT(*) over (campaign, status, month, unit): PostgreSQL answers from the index alone.
    rows = _raw_rows(NewsItem.objects.filter(campaign=campaign, status=NewsItemStatus.SUBMITTED,
                                             month_key__gte=first_key, month_key__lte=last_key)
                     .values_list("unit_id", "month_key").annotate(n=Count("*")).order_by())
    return {(unit_id, key): n for unit_id, key, n in rows}


def _commission_counts(*, campaign: Any, first_key: int, last_key: int, today: dt.date) -> dict[tuple[int, int], dict]:
    counts: dict[tuple[int, int], dict] = defaultdict(lambda: defaultdict(int))
    rows = Commission.objects.filter(campaign=campaign, month_key__gte=first_key, month_key__lte=last_key) \
        .values_list("unit_id", "month_key", "kind", "due_on", "answered_on")
    for unit_id, key, kind, due_on, answered_on in rows:
        prefix = "commissioned" if kind == CommissionKind.COMMISSIONED else "urgent"
        if answered_on is None:
            if due_on < today:
                counts[(unit_id, key)][f"{prefix}_missing"] += 1
        elif answered_on > due_on:
            counts[(unit_id, key)][f"{prefix}_late"] += 1
    return counts


@dataclass
class MonthInputs:
    """Everything the month rules read, for a range of months: ledger, items, requests, vetoes."""

    aggs: dict[tuple[int, int], Agg]
    items: dict[tuple[int, int], int]
    commissions: dict[tuple[int, int], dict]
    vetoes: set[tuple[int, int]]


def month_inputs(*, campaign: Any, first_key: int, last_key: int, today: dt.date | None = None,
                 aggregates: dict[tuple[int, int], Agg] | None = None, detail_key: int | None = None) -> MonthInputs:
    return MonthInputs(
        aggs=aggregates if aggregates is not None else ledger_aggregates(
            campaign=campaign, first_key=first_key, last_key=last_key, detail_key=detail_key),
        items=_item_counts(campaign=campaign, first_key=first_key, last_key=last_key),
        commissions=_commission_counts(campaign=campaign, first_key=first_key, last_key=last_key,
                                       today=today or dt.date.today()),
        vetoes=set(Veto.objects.filter(campaign=campaign, month_key__gte=first_key, month_key__lte=last_key)
                   .values_list("unit_id", "month_key")))


@dataclass
class UnitMonth:
    unit: Unit
    key: int
    score: scoring.MonthScore
    agg: Agg
    items: int
    version: scoring.Version


_EMPTY = Agg()
_NO_EXTRA: dict[str, int] = {}


def _facts(unit: Unit, key: int, inputs: MonthInputs) -> scoring.UnitMonthFacts:
    agg = inputs.aggs.get((unit.pk, key), _EMPTY)
    extra = inputs.commissions.get((unit.pk, key), _NO_EXTRA)
    return scoring.UnitMonthFacts(
        unit_kind=unit.kind, adoption_points=agg.adoption_points, instruction_points=agg.instruction_points,
        submitted_items=inputs.items.get((unit.pk, key), 0), adopted_items=agg.adopted_items,
        commissioned_late=extra.get("commissioned_late", 0), commissioned_missing=extra.get("commissioned_missing", 0),
        urgent_late=extra.get("urgent_late", 0), urgent_missing=extra.get("urgent_missing", 0),
        vetoed=(unit.pk, key) in inputs.vetoes)


def compute_months(*, campaign: Any, keys: list[int], units: list[Unit], book: scoring.RuleBook,
                   aggregates: dict[tuple[int, int], Agg] | None = None, today: dt.date | None = None,
                   inputs: MonthInputs | None = None) -> dict[tuple[int, int], UnitMonth]:
    """Every unit's score, with its breakdown, for every month in ``keys``."""
    if not keys:
        return {}
    inputs = inputs or month_inputs(campaign=campaign, first_key=min(keys), last_key=max(keys), today=today,
                                    aggregates=aggregates)
    result: dict[tuple[int, int], UnitMonth] = {}
    for key in keys:
        version = book.at(month_bounds(key // 100, key % 100)[1])
        for unit in units:
            facts = _facts(unit, key, inputs)
            result[(unit.pk, key)] = UnitMonth(unit=unit, key=key, score=scoring.score_unit_month(version.rules, facts),
                                               agg=inputs.aggs.get((unit.pk, key), _EMPTY),
                                               items=facts.submitted_items, version=version)
    return result


def month_points(*, keys: list[int], units: list[Unit], book: scoring.RuleBook,
                 inputs: MonthInputs) -> dict[int, list[Decimal]]:
    """Each unit's points in each month of ``keys``, the fast way (integer cents, no breakdown)."""
    result: dict[int, list[int]] = {unit.pk: [] for unit in units}
    aggs, items, commissions, vetoes = inputs.aggs, inputs.items, inputs.commissions, inputs.vetoes
    for key in keys:
        rules = scoring.CentRules.of(book.at(month_bounds(key // 100, key % 100)[1]).rules)
        for unit in units:
            pk = unit.pk
            agg = aggs.get((pk, key), _EMPTY)
            extra = commissions.get((pk, key), _NO_EXTRA)
            result[pk].append(rules.month_cents(
                unit.kind, agg.adoption_cents + agg.instruction_cents, items.get((pk, key), 0), agg.adopted_items,
                extra, (pk, key) in vetoes))
    return {pk: [from_cents(c) for c in values] for pk, values in result.items()}


def campaign_month_keys(campaign: Any, *, upto: int | None = None) -> list[int]:
    keys = month_keys_between(campaign.start_date, campaign.end_date)
    return [k for k in keys if upto is None or k <= upto]


def _rank_groups(units: list[Unit], months: dict[tuple[int, int], UnitMonth], key: int,
                 totals: dict[int, tuple[Decimal, Decimal]]) -> list[GroupRanking]:
    grouped: dict[Any, list[Unit]] = {}
    for unit in units:
        grouped.setdefault(unit.ranking_group, []).append(unit)
    ordered_groups = sorted(grouped, key=lambda g: (g is None, g.order if g else 0, g.name if g else "", g.pk if g else 0))
    groups: list[GroupRanking] = []
    for group in ordered_groups:
        rows = [months[(unit.pk, key)] for unit in grouped[group]]
        ranked = competition_ranks(rows, key=lambda um: scoring.ranking_key(
            um.version.rules, points=um.score.points, by_level=um.agg.by_level, adopted_items=um.agg.adopted_items,
            submitted_items=um.items, adoptions=um.agg.adoptions))
        groups.append(GroupRanking(
            group_name=group.name if group else _("Other units"),
            rows=[RankingRow(unit_id=r.row.unit.pk, unit_name=r.row.unit.name, rank=r.rank, tied=r.tied,
                             points=r.row.score.points, items=r.row.items, adoptions=r.row.agg.adoptions,
                             by_level={lv: r.row.agg.by_level.get(lv, 0) for lv in LEVEL_ORDER},
                             vetoed=r.row.score.vetoed, year_points=totals[r.row.unit.pk][0],
                             campaign_points=totals[r.row.unit.pk][1], adopted_items=r.row.agg.adopted_items,
                             breakdown=r.row.score.breakdown)
                  for r in ranked]))
    return groups


def month_ranking(*, campaign: Any, year: int, month: int, book: scoring.RuleBook | None = None,
                  aggregates: dict[tuple[int, int], Agg] | None = None) -> MonthRanking:
    """The month's ranking per ranking group (shared ranks), with year and campaign totals to date."""
    key = year * 100 + month
    book = book or rule_book(campaign=campaign)
    if book is None:
        return MonthRanking(campaign=campaign, year=year, month=month, tie_break=[], groups=[])
    units = reporting_units()
    keys = sorted({*campaign_month_keys(campaign, upto=key), key})
    inputs = month_inputs(campaign=campaign, first_key=keys[0], last_key=keys[-1], aggregates=aggregates,
                          detail_key=key)
    months = compute_months(campaign=campaign, keys=[key], units=units, book=book, inputs=inputs)
    monthly = month_points(keys=keys, units=units, book=book, inputs=inputs)
    totals: dict[int, tuple[Decimal, Decimal]] = {}
    for unit in units:
        points = monthly[unit.pk]
        year_total = sum((p for k, p in zip(keys, points, strict=True) if k // 100 == year), ZERO)
        totals[unit.pk] = (year_total, sum(points, ZERO))
    version = book.at(month_bounds(year, month)[1])
    return MonthRanking(campaign=campaign, year=year, month=month, tie_break=tie_break_labels(version.rules),
                        groups=_rank_groups(units, months, key, totals), rule_version=version.version,
                        month_keys=keys, monthly_points=monthly)


def ranking_trend(ranking: MonthRanking, unit_ids: list[int]) -> dict[str, Any]:
    """Monthly points of some units, from a computed ranking (no second query)."""
    names = {row.unit_id: row.unit_name for group in ranking.groups for row in group.rows}
    return {"months": [f"{k // 100}-{k % 100:02d}" for k in ranking.month_keys],
            "series": [{"name": names[u], "data": [str(p) for p in ranking.monthly_points[u]]}
                       for u in unit_ids if u in ranking.monthly_points]}


def unit_publicity_figures(*, campaign: Any, date_from: dt.date, date_to: dt.date) -> dict[int, UnitFigures]:
    """Per unit: items submitted, adoptions and points of the months from ``date_from`` to ``date_to``."""
    book = rule_book(campaign=campaign)
    keys = month_keys_between(date_from, date_to)
    if book is None or not keys:
        return {}
    units = reporting_units()
    months = compute_months(campaign=campaign, keys=keys, units=units, book=book)
    figures: dict[int, UnitFigures] = {}
    for unit in units:
        rows = [months[(unit.pk, k)] for k in keys]
        figures[unit.pk] = UnitFigures(items=sum(r.items for r in rows), adoptions=sum(r.agg.adoptions for r in rows),
                                       points=sum((r.score.points for r in rows), ZERO))
    return figures


def unit_month_adoptions(*, campaign: Any, unit: Any, year: int, month: int) -> list[Adoption]:
    """附表2: the unit's verified adoptions of the month (its own items and co-authored ones)."""
    unit_id = getattr(unit, "pk", unit)
    key = year * 100 + month
    return list(Adoption.objects.filter(news_item__campaign=campaign, status=AdoptionStatus.VERIFIED, month_key=key)
                .filter(Q(unit_id=unit_id) | Q(news_item__shares__unit_id=unit_id)).distinct()
                .select_related("outlet", "news_item", "evidence_file").order_by("adopted_on", "pk"))


# ---- scoped reads for screens -----------------------------------------------------------------

def publicity_campaigns(*, user: Any) -> QuerySet:
    """Campaigns with scoring rules: every business user takes part in publicity."""
    from xiaoneng.campaigns.models import Campaign

    if not user.is_authenticated or user.is_admin_role_holder or not (user.sees_all_units or user.unit_id):
        return Campaign.objects.none()
    return Campaign.objects.filter(is_template=False, scoring_rule_sets__isnull=False).distinct()


def publicity_campaign_get(*, user: Any, pk: Any) -> Any:
    from django.http import Http404

    campaign = publicity_campaigns(user=user).filter(pk=pk).first() if str(pk).isdigit() else None
    if campaign is None:
        if not user.is_authenticated or user.is_admin_role_holder:
            raise PermissionDenied
        raise Http404
    return campaign


def news_item_list_for_user(*, user: Any, campaign: Any, status: str = "", unit_id: int | None = None,
                            query: str = "") -> QuerySet[NewsItem]:
    items = scope_queryset(NewsItem.objects.filter(campaign=campaign), user).select_related("unit", "similar_item",
                                                                                             "similar_item__unit")
    if status:
        items = items.filter(status=status)
    if unit_id:
        items = items.filter(unit_id=unit_id)
    if query:
        items = items.filter(title__icontains=query)
    return items.order_by("-submitted_at", "-created_at", "-pk")


def news_item_get_for_user(*, user: Any, pk: Any, write: bool = False) -> NewsItem:
    return get_for_user(NewsItem.objects.select_related("unit", "campaign"), user=user, pk=pk, write=write)


def adoption_get_for_user(*, user: Any, pk: Any) -> Adoption:
    return get_for_user(Adoption.objects.select_related("news_item", "outlet", "evidence_file"), user=user, pk=pk)


def claims_to_verify(*, user: Any, campaign: Any) -> QuerySet[Adoption]:
    from xiaoneng.org.selectors import require_office

    require_office(user)
    return (Adoption.objects.filter(news_item__campaign=campaign, status=AdoptionStatus.CLAIMED)
            .select_related("news_item", "news_item__unit", "outlet", "evidence_file").order_by("created_at", "pk"))


def outlet_list(*, active_only: bool = True) -> QuerySet[Outlet]:
    outlets = Outlet.objects.all()
    return outlets.filter(active=True) if active_only else outlets


def rule_sets_for_campaign(*, campaign: Any) -> QuerySet[ScoringRuleSet]:
    return ScoringRuleSet.objects.filter(campaign=campaign).order_by("-effective_from", "-version")


def can_see_ranking(user: Any) -> bool:
    """The office and bureau leaders see every unit's ranking; a unit sees its own row."""
    return can_see_all_units(user)


def is_unit_leader(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.UNIT_LEADER) and user.unit_id)


def item_points(*, item_ids: list[int]) -> dict[int, Decimal]:
    """Points each item earned so far (its verified adoptions and instructions, all units' shares)."""
    rows = (PointEntry.objects.filter(news_item_id__in=item_ids).values_list("news_item_id")
            .annotate(total=Sum("points_cents")).order_by())
    return {item_id: from_cents(total) for item_id, total in rows}


def breakdown_labels() -> dict[str, str]:
    return {
        "tier": _("points by outlet level, kind and page position"),
        "headline_bonus": _("headline bonus"), "feature_page_bonus": _("feature page bonus"),
        "photo_bonus": _("photo bonus"), "best_only": _("only the best adoption counts"),
        "instruction": _("leader's instruction"), "instruction_repeat": _("instruction at a level already counted"),
        "item_cap": _("cap per item"), "adoptions": _("adoptions"), "instructions": _("leaders' instructions"),
        "unit_month_cap": _("cap per unit and month"), "quota_met": _("monthly quota met"),
        "quota_missing": _("monthly quota not met"), "commissioned_late": _("commissioned piece sent late"),
        "commissioned_missing": _("commissioned piece not sent"), "urgent_late": _("urgent report sent late"),
        "urgent_missing": _("urgent report not sent"), "veto": _("veto: the month scores zero"),
        "floor": _("a month never scores below zero"),
    }


def labelled_breakdown(lines: list[dict[str, str]]) -> list[dict[str, str]]:
    labels = breakdown_labels()
    return [{**line, "label": labels.get(line["rule"], line["rule"])} for line in lines]
