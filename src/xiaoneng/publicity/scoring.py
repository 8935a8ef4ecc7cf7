"""The scoring engine: rule set + facts -> Decimal points with a breakdown. No ORM, no Django.

A bureau's scoring table (计分标准) is a ``Rules`` value, stored as JSON on each
``ScoringRuleSet`` version. Two steps:

1. ``score_item`` scores one news item: every adoption by the tier table (outlet level × kind ×
   page position, the most specific row wins) plus per-adoption bonuses (headline, feature page,
   photo); either every adopting outlet scores or only the best one; each level of leader's
   instruction (领导批示) adds its bonus once however many instructions at that level; the item
   total is capped. Each adoption is scored with the version in force on its adoption date;
   item-wide rules (best-only, cap) come from the version in force on the item's first adoption.
2. ``score_unit_month`` turns one unit's month into points: adoption points (capped per
   unit-month), the quota for the unit's category (a base score when met, a deduction per
   missing item), deductions for commissioned pieces (约稿) and urgent reports (紧急信息) sent
   late or not at all, and the veto (一票否决) that zeroes the month.

``ranking_key`` builds the tie-break sort key in the order the rules name.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

LEVELS = ("central", "province", "city", "county", "internal")
KINDS = ("website", "newspaper", "bulletin", "tv", "radio", "new_media")
POSITIONS = ("headline", "front", "inner")
UNIT_KINDS = ("bureau", "office", "county_bureau", "hospital", "cdc", "supervision", "blood_centre", "other")
ANY = "*"
TIE_BREAKS = ("points", "higher_level_adoptions", "adopted_items", "submitted_items", "adoptions")
QUOTA_COUNTS = ("submitted", "adopted")
CENT = Decimal("0.01")
ZERO = Decimal("0")


def q(value: Decimal) -> Decimal:
    """Points are shown and stored to the cent, rounded half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


class RulesError(ValueError):
    """The rules do not validate; ``messages`` says what is wrong, one line each."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class Tier:
    level: str
    kind: str = ANY
    position: str = ANY
    points: Decimal = ZERO


@dataclass(frozen=True)
class Quota:
    items: int
    base: Decimal = ZERO
    deduction_per_missing: Decimal = ZERO


@dataclass(frozen=True)
class Rules:
    tiers: tuple[Tier, ...]
    score_every_outlet: bool = True
    headline_bonus: Decimal = ZERO
    feature_page_bonus: Decimal = ZERO
    photo_bonus: Decimal = ZERO
    instruction_points: dict[str, Decimal] = field(default_factory=dict)
    item_cap: Decimal | None = None
    unit_month_cap: Decimal | None = None
    quotas: dict[str, Quota] = field(default_factory=dict)
    quota_counts: str = "submitted"
    commissioned_late: Decimal = ZERO
    commissioned_missing: Decimal = ZERO
    urgent_late: Decimal = ZERO
    urgent_missing: Decimal = ZERO
    floor_at_zero: bool = True
    tie_break: tuple[str, ...] = ("points", "higher_level_adoptions", "adopted_items")

    # ---- lookups -------------------------------------------------------------------------
    def tier_points(self, level: str, kind: str, position: str) -> tuple[Decimal, Tier | None]:
        """Points of the most specific tier row matching (exact kind beats "*", then exact position)."""
        best: tuple[int, Tier] | None = None
        for tier in self.tiers:
            if tier.level != level or tier.kind not in (kind, ANY) or tier.position not in (position, ANY):
                continue
            specificity = (2 if tier.kind == kind else 0) + (1 if tier.position == position else 0)
            if best is None or specificity > best[0]:
                best = (specificity, tier)
        return (best[1].points, best[1]) if best else (ZERO, None)

    def quota_for(self, unit_kind: str) -> Quota | None:
        return self.quotas.get(unit_kind) or self.quotas.get(ANY)

    # ---- JSON ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        def s(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "tiers": [{"level": t.level, "kind": t.kind, "position": t.position, "points": s(t.points)}
                      for t in self.tiers],
            "score_every_outlet": self.score_every_outlet,
            "headline_bonus": s(self.headline_bonus),
            "feature_page_bonus": s(self.feature_page_bonus),
            "photo_bonus": s(self.photo_bonus),
            "instruction_points": {k: s(v) for k, v in self.instruction_points.items()},
            "item_cap": s(self.item_cap),
            "unit_month_cap": s(self.unit_month_cap),
            "quotas": {k: {"items": v.items, "base": s(v.base), "deduction_per_missing": s(v.deduction_per_missing)}
                       for k, v in self.quotas.items()},
            "quota_counts": self.quota_counts,
            "commissioned_late": s(self.commissioned_late),
            "commissioned_missing": s(self.commissioned_missing),
            "urgent_late": s(self.urgent_late),
            "urgent_missing": s(self.urgent_missing),
            "floor_at_zero": self.floor_at_zero,
            "tie_break": list(self.tie_break),
        }

    @classmethod
    def from_dict(cls, data: Any) -> Rules:
        """Validate and build; RulesError lists every problem (path: message)."""
        errors: list[str] = []
        if not isinstance(data, dict):
            raise RulesError(["the rules must be a JSON object"])
        known = {f for f in cls.__dataclass_fields__}
        for key in data:
            if key not in known:
                errors.append(f"{key}: unknown setting")

        def dec(path: str, value: Any, *, optional: bool = False, allow_negative: bool = False) -> Decimal | None:
            if value is None or value == "":
                if optional:
                    return None
                errors.append(f"{path}: a number is required")
                return ZERO
            if isinstance(value, bool) or not isinstance(value, (int, str, float)):
                errors.append(f"{path}: {value!r} is not a number")
                return ZERO
            try:
                result = Decimal(str(value))
            except InvalidOperation:
                errors.append(f"{path}: {value!r} is not a number")
                return ZERO
            if not result.is_finite():
                errors.append(f"{path}: {value!r} is not a number")
                return ZERO
            if result < 0 and not allow_negative:
                errors.append(f"{path}: must not be negative")
            if result != q(result):
                errors.append(f"{path}: at most two decimal places")
            if abs(result) > Decimal("100000"):
                errors.append(f"{path}: too large")
            return result

        def flag(path: str, value: Any, default: bool) -> bool:
            if value is None:
                return default
            if not isinstance(value, bool):
                errors.append(f"{path}: must be true or false")
                return default
            return value

        tiers: list[Tier] = []
        raw_tiers = data.get("tiers", [])
        if not isinstance(raw_tiers, list) or not raw_tiers:
            errors.append("tiers: at least one row is required")
            raw_tiers = []
        seen: set[tuple[str, str, str]] = set()
        for index, row in enumerate(raw_tiers, start=1):
            path = f"tiers[{index}]"
            if not isinstance(row, dict):
                errors.append(f"{path}: must be an object")
                continue
            level = row.get("level")
            kind = row.get("kind", ANY) or ANY
            position = row.get("position", ANY) or ANY
            if level not in LEVELS:
                errors.append(f"{path}.level: {level!r} is not one of {', '.join(LEVELS)}")
            if kind not in (*KINDS, ANY):
                errors.append(f"{path}.kind: {kind!r} is not one of {', '.join(KINDS)} or *")
            if position not in (*POSITIONS, ANY):
                errors.append(f"{path}.position: {position!r} is not one of {', '.join(POSITIONS)} or *")
            key = (level, kind, position)
            if key in seen:
                errors.append(f"{path}: the same level, kind and position appear twice")
            seen.add(key)
            tiers.append(Tier(level=level, kind=kind, position=position, points=dec(f"{path}.points",
                                                                                    row.get("points"))))

        instruction_points: dict[str, Decimal] = {}
        raw_instr = data.get("instruction_points", {}) or {}
        if not isinstance(raw_instr, dict):
            errors.append("instruction_points: must be an object of level: points")
            raw_instr = {}
        for level, value in raw_instr.items():
            if level not in LEVELS:
                errors.append(f"instruction_points.{level}: not a level")
            instruction_points[level] = dec(f"instruction_points.{level}", value)

        quotas: dict[str, Quota] = {}
        raw_quotas = data.get("quotas", {}) or {}
        if not isinstance(raw_quotas, dict):
            errors.append("quotas: must be an object of unit category: quota")
            raw_quotas = {}
        for unit_kind, value in raw_quotas.items():
            path = f"quotas.{unit_kind}"
            if unit_kind not in (*UNIT_KINDS, ANY):
                errors.append(f"{path}: not a unit category")
            if not isinstance(value, dict):
                errors.append(f"{path}: must be an object")
                continue
            items = value.get("items")
            if isinstance(items, bool) or not isinstance(items, int) or items < 0 or items > 1000:
                errors.append(f"{path}.items: a whole number from 0 to 1000 is required")
                items = 0
            quotas[unit_kind] = Quota(items=items, base=dec(f"{path}.base", value.get("base", "0")),
                                      deduction_per_missing=dec(f"{path}.deduction_per_missing",
                                                                value.get("deduction_per_missing", "0")))

        quota_counts = data.get("quota_counts", "submitted")
        if quota_counts not in QUOTA_COUNTS:
            errors.append(f"quota_counts: must be one of {', '.join(QUOTA_COUNTS)}")
        tie_break = data.get("tie_break", ["points", "higher_level_adoptions", "adopted_items"])
        if not isinstance(tie_break, list) or not tie_break:
            errors.append("tie_break: a list is required")
            tie_break = ["points"]
        for entry in tie_break:
            if entry not in TIE_BREAKS:
                errors.append(f"tie_break: {entry!r} is not one of {', '.join(TIE_BREAKS)}")
        if len(set(tie_break)) != len(tie_break):
            errors.append("tie_break: an entry appears twice")
        if tie_break and tie_break[0] != "points":
            errors.append("tie_break: must start with points")

        rules = cls(
            tiers=tuple(tiers),
            score_every_outlet=flag("score_every_outlet", data.get("score_every_outlet"), True),
            headline_bonus=dec("headline_bonus", data.get("headline_bonus", "0")),
            feature_page_bonus=dec("feature_page_bonus", data.get("feature_page_bonus", "0")),
            photo_bonus=dec("photo_bonus", data.get("photo_bonus", "0")),
            instruction_points=instruction_points,
            item_cap=dec("item_cap", data.get("item_cap"), optional=True),
            unit_month_cap=dec("unit_month_cap", data.get("unit_month_cap"), optional=True),
            quotas=quotas,
            quota_counts=quota_counts,
            commissioned_late=dec("commissioned_late", data.get("commissioned_late", "0")),
            commissioned_missing=dec("commissioned_missing", data.get("commissioned_missing", "0")),
            urgent_late=dec("urgent_late", data.get("urgent_late", "0")),
            urgent_missing=dec("urgent_missing", data.get("urgent_missing", "0")),
            floor_at_zero=flag("floor_at_zero", data.get("floor_at_zero"), True),
            tie_break=tuple(tie_break),
        )
        if errors:
            raise RulesError(errors)
        return rules


# ---- versions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Version:
    version: int
    effective_from: date
    rules: Rules
    key: Any = None  # the ScoringRuleSet pk, for the caller


class RuleBook:
    """The versions of a campaign's rules; ``at(day)`` is the one in force that day.

    Versions are ordered by (effective_from, version): on the same date the higher version wins.
    A day before the first version uses the first version (so nothing scores zero by accident).
    """

    def __init__(self, versions: Iterable[Version]):
        self.versions = sorted(versions, key=lambda v: (v.effective_from, v.version))
        if not self.versions:
            raise RulesError(["no scoring rules"])
        self._dates = [v.effective_from for v in self.versions]

    def at(self, day: date) -> Version:
        index = bisect.bisect_right(self._dates, day) - 1
        return self.versions[max(index, 0)]


# ---- step 1: one item ------------------------------------------------------------------------

@dataclass(frozen=True)
class AdoptionFact:
    key: Any
    level: str
    kind: str
    position: str
    adopted_on: date
    headline: bool = False
    feature_page: bool = False
    photo: bool = False


@dataclass(frozen=True)
class InstructionFact:
    key: Any
    level: str
    instructed_on: date


@dataclass
class Line:
    """Points of one adoption or instruction, with how they were reached."""

    points: Decimal
    version: int
    version_key: Any
    breakdown: list[dict[str, str]]


@dataclass
class ItemScore:
    adoptions: dict[Any, Line]
    instructions: dict[Any, Line]

    @property
    def total(self) -> Decimal:
        return sum((line.points for line in (*self.adoptions.values(), *self.instructions.values())), ZERO)


_LEVEL_RANK = {level: index for index, level in enumerate(LEVELS)}


def _adoption_order(fact: AdoptionFact) -> tuple:
    return (fact.adopted_on, _LEVEL_RANK.get(fact.level, 99), str(fact.key))


def _raw_adoption(rules: Rules, fact: AdoptionFact) -> tuple[Decimal, list[dict[str, str]]]:
    base, tier = rules.tier_points(fact.level, fact.kind, fact.position)
    breakdown = [{"rule": "tier", "detail": f"{fact.level}/{fact.kind}/{fact.position}"
                  + (f" ({tier.level}/{tier.kind}/{tier.position})" if tier else " (no tier)"),
                  "points": str(q(base))}]
    total = base
    for flag_set, bonus, name in ((fact.headline, rules.headline_bonus, "headline_bonus"),
                                  (fact.feature_page, rules.feature_page_bonus, "feature_page_bonus"),
                                  (fact.photo, rules.photo_bonus, "photo_bonus")):
        if flag_set and bonus:
            total += bonus
            breakdown.append({"rule": name, "detail": "", "points": str(q(bonus))})
    return q(total), breakdown


def score_item(book: RuleBook, adoptions: Sequence[AdoptionFact],
               instructions: Sequence[InstructionFact] = ()) -> ItemScore:
    """Score one item's verified adoptions and leader's instructions (see the module docstring)."""
    ordered = sorted(adoptions, key=_adoption_order)
    lines: dict[Any, Line] = {}
    for fact in ordered:
        version = book.at(fact.adopted_on)
        points, breakdown = _raw_adoption(version.rules, fact)
        lines[fact.key] = Line(points=points, version=version.version, version_key=version.key, breakdown=breakdown)
    first_day = ordered[0].adopted_on if ordered else (
        min(i.instructed_on for i in instructions) if instructions else None)
    if first_day is None:
        return ItemScore(adoptions={}, instructions={})
    item_version = book.at(first_day)
    item_rules = item_version.rules

    if not item_rules.score_every_outlet and len(ordered) > 1:
        # Only the best adoption counts; on equal points the earliest (then higher level) wins.
        best = min(ordered, key=lambda f: (-lines[f.key].points, _adoption_order(f)))
        for fact in ordered:
            if fact.key != best.key and lines[fact.key].points:
                lines[fact.key].breakdown.append({"rule": "best_only", "detail": "",
                                                  "points": str(-lines[fact.key].points)})
                lines[fact.key].points = ZERO

    instruction_lines: dict[Any, Line] = {}
    counted_levels: set[str] = set()
    for fact in sorted(instructions, key=lambda f: (f.instructed_on, _LEVEL_RANK.get(f.level, 99), str(f.key))):
        version = book.at(fact.instructed_on)
        bonus = version.rules.instruction_points.get(fact.level, ZERO)
        if fact.level in counted_levels:
            instruction_lines[fact.key] = Line(points=ZERO, version=version.version, version_key=version.key,
                                               breakdown=[{"rule": "instruction_repeat", "detail": fact.level,
                                                           "points": "0.00"}])
            continue
        counted_levels.add(fact.level)
        instruction_lines[fact.key] = Line(points=q(bonus), version=version.version, version_key=version.key,
                                           breakdown=[{"rule": "instruction", "detail": fact.level,
                                                       "points": str(q(bonus))}])

    if item_rules.item_cap is not None:
        remaining = item_rules.item_cap
        for line in (*(lines[f.key] for f in ordered), *instruction_lines.values()):
            if line.points > remaining:
                cut = line.points - remaining
                line.breakdown.append({"rule": "item_cap", "detail": str(item_rules.item_cap), "points": str(-cut)})
                line.points = q(remaining)
            remaining -= line.points
    return ItemScore(adoptions=lines, instructions=instruction_lines)


def split_shares(points: Decimal, shares: Sequence[tuple[Any, Decimal]]) -> list[tuple[Any, Decimal]]:
    """Split ``points`` between co-authoring units; the rounding remainder goes to the first unit."""
    if not shares:
        return []
    parts = [(unit, q(points * share)) for unit, share in shares]
    remainder = points - sum((p for _, p in parts), ZERO)
    if remainder:
        parts[0] = (parts[0][0], parts[0][1] + remainder)
    return parts


# ---- step 2: one unit's month ------------------------------------------------------------------

@dataclass(frozen=True)
class UnitMonthFacts:
    unit_kind: str
    adoption_points: Decimal = ZERO
    instruction_points: Decimal = ZERO
    submitted_items: int = 0
    adopted_items: int = 0
    commissioned_late: int = 0
    commissioned_missing: int = 0
    urgent_late: int = 0
    urgent_missing: int = 0
    vetoed: bool = False


@dataclass
class MonthScore:
    points: Decimal
    breakdown: list[dict[str, str]]
    vetoed: bool


def score_unit_month(rules: Rules, facts: UnitMonthFacts, *, detail: bool = True) -> MonthScore:
    """One unit's month: capped adoption points, quota, commission deductions, veto, floor.

    ``detail=False`` skips the breakdown (the year's other months only need their points).
    """
    breakdown: list[dict[str, str]] = []
    note = breakdown.append if detail else _ignore
    earned = facts.adoption_points + facts.instruction_points
    if detail:
        note({"rule": "adoptions", "detail": "", "points": str(q(facts.adoption_points))})
        if facts.instruction_points:
            note({"rule": "instructions", "detail": "", "points": str(q(facts.instruction_points))})
    cap = rules.unit_month_cap
    if cap is not None and earned > cap:
        if detail:
            note({"rule": "unit_month_cap", "detail": str(cap), "points": str(q(cap - earned))})
        earned = cap
    total = earned
    quota = rules.quota_for(facts.unit_kind)
    if quota is not None and quota.items:
        counted = facts.submitted_items if rules.quota_counts == "submitted" else facts.adopted_items
        missing = quota.items - counted
        if missing <= 0:
            total += quota.base
            if detail:
                note({"rule": "quota_met", "detail": f"{counted}/{quota.items}", "points": str(q(quota.base))})
        else:
            cut = quota.deduction_per_missing * missing
            total -= cut
            if detail:
                note({"rule": "quota_missing", "detail": f"{counted}/{quota.items}", "points": str(q(-cut))})
    if facts.commissioned_late or facts.commissioned_missing or facts.urgent_late or facts.urgent_missing:
        for count, per, name in ((facts.commissioned_late, rules.commissioned_late, "commissioned_late"),
                                 (facts.commissioned_missing, rules.commissioned_missing, "commissioned_missing"),
                                 (facts.urgent_late, rules.urgent_late, "urgent_late"),
                                 (facts.urgent_missing, rules.urgent_missing, "urgent_missing")):
            if count and per:
                total -= per * count
                if detail:
                    note({"rule": name, "detail": str(count), "points": str(q(-per * count))})
    if facts.vetoed:
        if detail:
            note({"rule": "veto", "detail": "", "points": str(q(-total))})
        return MonthScore(points=ZERO, breakdown=breakdown, vetoed=True)
    if rules.floor_at_zero and total < 0:
        if detail:
            note({"rule": "floor", "detail": "", "points": str(q(-total))})
        total = ZERO
    return MonthScore(points=q(total), breakdown=breakdown, vetoed=False)


def _c(value: Decimal) -> int:
    return int(value * 100)


@dataclass(frozen=True)
class CentRules:
    """The month rules in integer hundredths: the same results as ``score_unit_month`` (rules have at
    most two decimals), fast enough for every unit and month of a year."""

    cap: int | None
    quotas: dict[str, tuple[int, int, int]]
    any_quota: tuple[int, int, int] | None
    count_submitted: bool
    deductions: tuple[int, int, int, int]
    floor: bool

    @classmethod
    def of(cls, rules: Rules) -> CentRules:
        cached = _CENT_CACHE.get(id(rules))
        if cached is not None and cached[0] is rules:
            return cached[1]
        quotas = {k: (v.items, _c(v.base), _c(v.deduction_per_missing)) for k, v in rules.quotas.items()}
        made = cls(cap=None if rules.unit_month_cap is None else _c(rules.unit_month_cap), quotas=quotas,
                   any_quota=quotas.get(ANY), count_submitted=rules.quota_counts == "submitted",
                   deductions=(_c(rules.commissioned_late), _c(rules.commissioned_missing), _c(rules.urgent_late),
                               _c(rules.urgent_missing)), floor=rules.floor_at_zero)
        if len(_CENT_CACHE) > 256:
            _CENT_CACHE.clear()
        _CENT_CACHE[id(rules)] = (rules, made)
        return made

    def month_cents(self, unit_kind: str, earned: int, submitted: int, adopted: int, extra: dict[str, int],
                    vetoed: bool) -> int:
        if vetoed:
            return 0
        total = earned if self.cap is None or earned <= self.cap else self.cap
        quota = self.quotas.get(unit_kind) or self.any_quota
        if quota is not None and quota[0]:
            missing = quota[0] - (submitted if self.count_submitted else adopted)
            total += quota[1] if missing <= 0 else -quota[2] * missing
        if extra:
            late, miss, urgent_late, urgent_miss = self.deductions
            total -= (late * extra.get("commissioned_late", 0) + miss * extra.get("commissioned_missing", 0)
                      + urgent_late * extra.get("urgent_late", 0) + urgent_miss * extra.get("urgent_missing", 0))
        return 0 if self.floor and total < 0 else total


_CENT_CACHE: dict[int, tuple[Rules, CentRules]] = {}


def _ignore(_line: dict[str, str]) -> None:
    return None


def ranking_key(rules: Rules, *, points: Decimal, by_level: dict[str, int], adopted_items: int,
                submitted_items: int, adoptions: int) -> tuple:
    """The sort key (compared highest first) in the rules' tie-break order."""
    parts: list[Any] = []
    for entry in rules.tie_break:
        if entry == "points":
            parts.append(points)
        elif entry == "higher_level_adoptions":
            parts.append(tuple(by_level.get(level, 0) for level in LEVELS))
        elif entry == "adopted_items":
            parts.append(adopted_items)
        elif entry == "submitted_items":
            parts.append(submitted_items)
        elif entry == "adoptions":
            parts.append(adoptions)
    return tuple(parts)


# ---- the built-in default, modelled on city bureaus' 新闻信息采用计分标准 ---------------------------

def _tiers() -> list[dict[str, str]]:
    table = {
        # level: [(kind, position, points)]
        "central": [("*", "*", "20"), ("newspaper", "headline", "40"), ("newspaper", "front", "30"),
                    ("website", "front", "25"), ("tv", "*", "30")],
        "province": [("*", "*", "10"), ("newspaper", "headline", "20"), ("newspaper", "front", "15"),
                     ("website", "front", "12"), ("tv", "*", "15"), ("new_media", "*", "6")],
        "city": [("*", "*", "4"), ("newspaper", "headline", "8"), ("newspaper", "front", "6"),
                 ("website", "front", "5"), ("tv", "*", "6"), ("bulletin", "*", "3"), ("new_media", "*", "2")],
        "county": [("*", "*", "1"), ("newspaper", "*", "2"), ("tv", "*", "2")],
        "internal": [("*", "*", "1"), ("bulletin", "*", "2")],
    }
    return [{"level": level, "kind": kind, "position": position, "points": points}
            for level, rows in table.items() for kind, position, points in rows]


DEFAULT_RULES: dict[str, Any] = {
    "tiers": _tiers(),
    "score_every_outlet": True,
    "headline_bonus": "2",
    "feature_page_bonus": "2",
    "photo_bonus": "1",
    "instruction_points": {"central": "30", "province": "20", "city": "10", "county": "5"},
    "item_cap": "60",
    "unit_month_cap": None,
    "quotas": {
        "county_bureau": {"items": 4, "base": "10", "deduction_per_missing": "2"},
        "hospital": {"items": 2, "base": "5", "deduction_per_missing": "2"},
        "cdc": {"items": 2, "base": "5", "deduction_per_missing": "2"},
        "supervision": {"items": 2, "base": "5", "deduction_per_missing": "2"},
        "*": {"items": 1, "base": "3", "deduction_per_missing": "1"},
    },
    "quota_counts": "submitted",
    "commissioned_late": "2",
    "commissioned_missing": "5",
    "urgent_late": "3",
    "urgent_missing": "5",
    "floor_at_zero": True,
    "tie_break": ["points", "higher_level_adoptions", "adopted_items"],
}
