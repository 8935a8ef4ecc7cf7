"""The arithmetic of results, without the database: round totals → final means → composites → rankings.

Every number is a ``Decimal``; floats never enter. The rules (docs/assessment-results.md):

* **Final result** of a unit = the mean of the totals of the rounds it took part in and was
  scored in. A round a unit did not take part in is left out of its mean (not counted as 0).
  The mean is rounded once, to two places, half up (85.555 → 85.56).
* **Composite** = Σ weightᵢ × componentᵢ ÷ Σ weightᵢ over the sources the unit has. Weights are
  whole or decimal numbers that sum to exactly 100. Each component is put on a 0–100 scale and
  rounded to two places first, so anyone can recompute the composite from the numbers shown:
  the assessment final as a percentage of the full marks (or of the best unit when the full
  marks are unknown); publicity points relative to the best unit (best = 100); the on-time rate
  and the satisfaction rate as percentages. A unit missing a source (no satisfaction survey yet)
  is scored over the sources it has: their weights are re-normalised, never a 0 for the missing.
  A unit with none of the weighted sources has no composite and is listed unranked.
* **Ranking** per ranking group, highest first; units with the same value share a rank
  (1, 2, 2, 4). The composite's tie-break: the higher assessment final comes first; units still
  equal share the rank. Within a shared rank units are listed in the bureau's unit order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from xiaoneng.core.ranking import competition_ranks

TWO_PLACES = Decimal("0.01")
HUNDRED = Decimal("100")

# The composite's sources, in the order screens list them.
ASSESSMENT = "assessment"
PUBLICITY = "publicity"
ON_TIME = "on_time"
SATISFACTION = "satisfaction"
SOURCES = (ASSESSMENT, PUBLICITY, ON_TIME, SATISFACTION)


class WeightError(ValueError):
    """Weights that cannot be used: negative, not numbers, or not summing to 100."""


def to_decimal(value: object) -> Decimal:
    """A Decimal from an int, a Decimal or a numeric string; floats are refused (they are not exact)."""
    if isinstance(value, float):
        raise TypeError("floats are not accepted: pass a Decimal or a string")
    if isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def round2(value: Decimal) -> Decimal:
    """Two places, half up: the only rounding results use."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mean2(values: Iterable[Decimal]) -> Decimal | None:
    """The mean of ``values`` rounded once to two places (None for no values)."""
    values = [to_decimal(v) for v in values]
    if not values:
        return None
    return round2(sum(values, Decimal(0)) / Decimal(len(values)))


def rate_to_percent(value: object, scale: str = "%") -> Decimal:
    """A rate as a percentage: ``scale`` says what ``value`` is ("fraction" 0–1, "%" or "‰")."""
    number = to_decimal(value)
    if scale == "fraction":
        return number * HUNDRED
    if scale == "%":
        return number
    if scale == "‰":
        return number / Decimal(10)
    raise ValueError(f"unknown scale {scale!r}")


# --- final results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FinalResult:
    unit_id: int
    round_totals: dict[int, Decimal | None]  # round id → total, None where the unit did not take part
    rounds_taken: int
    final: Decimal  # mean of the rounds taken, two places


def final_results(round_totals: Mapping[tuple[int, int], Decimal], round_ids: Sequence[int]) -> dict[int, FinalResult]:
    """Each unit's final result: the mean of the rounds (of ``round_ids``) it took part in."""
    by_unit: dict[int, dict[int, Decimal]] = {}
    wanted = set(round_ids)
    for (round_id, unit_id), total in round_totals.items():
        if round_id in wanted:
            by_unit.setdefault(unit_id, {})[round_id] = to_decimal(total)
    results = {}
    for unit_id, totals in by_unit.items():
        results[unit_id] = FinalResult(
            unit_id=unit_id,
            round_totals={round_id: totals.get(round_id) for round_id in round_ids},
            rounds_taken=len(totals),
            final=mean2(totals.values()),
        )
    return results


# --- weights and composites ----------------------------------------------------------------------


def validate_weights(weights: Mapping[str, object]) -> dict[str, Decimal]:
    """Weights as Decimals, every source present; raises WeightError unless they are ≥ 0 and sum to 100."""
    unknown = set(weights) - set(SOURCES)
    if unknown:
        raise WeightError(f"unknown sources: {', '.join(sorted(unknown))}")
    clean: dict[str, Decimal] = {}
    for source in SOURCES:
        raw = weights.get(source, 0)
        try:
            value = to_decimal(raw if raw not in (None, "") else 0)
        except (TypeError, ValueError) as exc:
            raise WeightError(f"{source}: {exc}") from exc
        if not value.is_finite() or value < 0:
            raise WeightError(f"{source}: a weight is a number from 0 to 100")
        clean[source] = value
    total = sum(clean.values(), Decimal(0))
    if total != HUNDRED:
        raise WeightError(f"the weights add up to {total.normalize():f}, not 100")
    return clean


@dataclass(frozen=True)
class Composite:
    unit_id: int
    components: dict[str, Decimal]  # source → 0–100 component (two places), only the sources the unit has
    missing: tuple[str, ...]  # weighted sources the unit lacks (their weight was re-normalised away)
    score: Decimal | None  # None when the unit has none of the weighted sources


def normalise_components(
    *,
    unit_ids: Iterable[int],
    finals: Mapping[int, Decimal] | None = None,
    assessment_full_marks: Decimal | None = None,
    publicity_points: Mapping[int, Decimal] | None = None,
    on_time_percent: Mapping[int, Decimal] | None = None,
    satisfaction_percent: Mapping[int, Decimal] | None = None,
) -> dict[int, dict[str, Decimal]]:
    """Each unit's sources on a 0–100 scale, two places; a source missing for a unit is left out.

    A mapping passed as None means the source is not available at all.
    """
    unit_ids = list(unit_ids)
    out: dict[int, dict[str, Decimal]] = {unit_id: {} for unit_id in unit_ids}
    if finals is not None:
        base = assessment_full_marks
        if not base:
            base = max((finals[u] for u in unit_ids if u in finals), default=None)
        for unit_id in unit_ids:
            if unit_id in finals:
                out[unit_id][ASSESSMENT] = round2(finals[unit_id] * HUNDRED / base) if base else Decimal("0.00")
    if publicity_points is not None:
        best = max((publicity_points[u] for u in unit_ids if u in publicity_points), default=None)
        for unit_id in unit_ids:
            if unit_id in publicity_points:
                points = publicity_points[unit_id]
                out[unit_id][PUBLICITY] = round2(points * HUNDRED / best) if best and best > 0 else Decimal("0.00")
    for source, values in ((ON_TIME, on_time_percent), (SATISFACTION, satisfaction_percent)):
        if values is None:
            continue
        for unit_id in unit_ids:
            value = values.get(unit_id)
            if value is not None:
                out[unit_id][source] = round2(to_decimal(value))
    return out


def composite_scores(components: Mapping[int, Mapping[str, Decimal]], weights: Mapping[str, object]) -> dict[int, Composite]:
    """Weighted composites; a unit's missing sources drop out and the other weights are re-normalised."""
    clean = validate_weights(weights)
    weighted = [source for source in SOURCES if clean[source] > 0]
    result = {}
    for unit_id, parts in components.items():
        present = [source for source in weighted if source in parts]
        missing = tuple(source for source in weighted if source not in parts)
        weight_sum = sum((clean[s] for s in present), Decimal(0))
        score = None
        if weight_sum > 0:
            score = round2(sum((clean[s] * parts[s] for s in present), Decimal(0)) / weight_sum)
        result[unit_id] = Composite(unit_id=unit_id, components={s: parts[s] for s in present},
                                    missing=missing, score=score)
    return result


# --- rankings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitInfo:
    unit_id: int
    name: str
    group_id: int | None
    group_name: str
    group_order: int = 0
    unit_order: int = 0


@dataclass
class RankedRow:
    unit_id: int
    unit_name: str
    rank: int | None  # None: not ranked (no value)
    tied: bool
    value: Decimal | None
    tie_break: Decimal | None = None


@dataclass
class GroupRanking:
    group_id: int | None
    group_name: str
    rows: list[RankedRow] = field(default_factory=list)


def rank_by_group(
    units: Iterable[UnitInfo],
    values: Mapping[int, Decimal | None],
    *,
    tie_break: Mapping[int, Decimal | None] | None = None,
    other_group_name: str = "",
) -> list[GroupRanking]:
    """Rankings per ranking group (groups in their order, ungrouped units last), highest value first.

    Units with equal ``value`` (and equal ``tie_break`` when given) share a rank; units without
    a value are listed after the ranked ones, unranked. Only units in ``units`` appear.
    """
    groups: dict[int | None, GroupRanking] = {}
    members: dict[int | None, list[UnitInfo]] = {}
    ordered_units = sorted(units, key=lambda u: (u.group_id is None, u.group_order, u.group_name, u.unit_order,
                                                 u.name, u.unit_id))
    for info in ordered_units:
        if info.group_id not in groups:
            groups[info.group_id] = GroupRanking(info.group_id, info.group_name if info.group_id else other_group_name)
            members[info.group_id] = []
        members[info.group_id].append(info)
    minimum = Decimal("-Infinity")
    for group_id, infos in members.items():
        with_value = [u for u in infos if values.get(u.unit_id) is not None]
        without = [u for u in infos if values.get(u.unit_id) is None]

        def key(info: UnitInfo) -> tuple[Decimal, Decimal]:
            second = tie_break.get(info.unit_id) if tie_break else None
            return (values[info.unit_id], second if second is not None else minimum)

        rows = groups[group_id].rows
        for ranked in competition_ranks(with_value, key=key):
            info = ranked.row
            rows.append(RankedRow(info.unit_id, info.name, ranked.rank, ranked.tied, values[info.unit_id],
                                  tie_break.get(info.unit_id) if tie_break else None))
        for info in without:
            rows.append(RankedRow(info.unit_id, info.name, None, False, None, None))
    return list(groups.values())


def rank_changes(old: list[GroupRanking], new: list[GroupRanking]) -> list[tuple[str, RankedRow, int | None]]:
    """For the weight preview: each row of ``new`` with the rank the unit had in ``old`` (None if unranked)."""
    old_rank = {row.unit_id: row.rank for group in old for row in group.rows}
    return [(group.group_name, row, old_rank.get(row.unit_id)) for group in new for row in group.rows]
