"""The scoring engine, rule by rule, from tables of small cases (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from xiaoneng.publicity import scoring
from xiaoneng.publicity.scoring import (
    AdoptionFact,
    InstructionFact,
    RuleBook,
    Rules,
    RulesError,
    UnitMonthFacts,
    Version,
    ranking_key,
    score_item,
    score_unit_month,
    split_shares,
)

DAY = dt.date(2026, 10, 10)

BASE = {
    "tiers": [
        {"level": "central", "kind": "*", "position": "*", "points": "20"},
        {"level": "central", "kind": "website", "position": "front", "points": "25"},
        {"level": "province", "kind": "*", "position": "*", "points": "10"},
        {"level": "province", "kind": "newspaper", "position": "*", "points": "12"},
        {"level": "province", "kind": "*", "position": "headline", "points": "15"},
        {"level": "province", "kind": "newspaper", "position": "headline", "points": "18"},
        {"level": "city", "kind": "*", "position": "*", "points": "4"},
        {"level": "internal", "kind": "bulletin", "position": "*", "points": "2"},
    ],
    "headline_bonus": "2", "feature_page_bonus": "1.5", "photo_bonus": "1",
    "instruction_points": {"central": "30", "province": "20", "city": "10"},
    "quotas": {"county_bureau": {"items": 4, "base": "10", "deduction_per_missing": "2"},
               "*": {"items": 1, "base": "3", "deduction_per_missing": "1"}},
    "commissioned_late": "2", "commissioned_missing": "5", "urgent_late": "3", "urgent_missing": "6",
}


def rules(**overrides) -> Rules:
    return Rules.from_dict({**BASE, **overrides})


def book(**overrides) -> RuleBook:
    return RuleBook([Version(version=1, effective_from=dt.date(2026, 1, 1), rules=rules(**overrides))])


def fact(key, level, kind="website", position="inner", day=DAY, **flags) -> AdoptionFact:
    return AdoptionFact(key=key, level=level, kind=kind, position=position, adopted_on=day, **flags)


@pytest.mark.parametrize(("level", "kind", "position", "expected"), [
    ("central", "tv", "inner", "20"),            # only the level row matches
    ("central", "website", "front", "25"),       # exact kind and position beat "*"
    ("central", "website", "inner", "20"),
    ("province", "newspaper", "inner", "12"),    # exact kind beats exact position
    ("province", "tv", "headline", "15"),        # exact position when the kind is "*"
    ("province", "newspaper", "headline", "18"),  # both exact wins
    ("city", "radio", "front", "4"),
    ("county", "website", "inner", "0"),         # no tier for the level: nothing
    ("internal", "website", "inner", "0"),       # the internal row is for bulletins only
    ("internal", "bulletin", "inner", "2"),
])
def test_tier_table_most_specific_row_wins(level, kind, position, expected):
    assert rules().tier_points(level, kind, position)[0] == D(expected)


@pytest.mark.parametrize(("flags", "expected"), [
    ({}, "4.00"),
    ({"headline": True}, "6.00"),
    ({"feature_page": True}, "5.50"),
    ({"photo": True}, "5.00"),
    ({"headline": True, "feature_page": True, "photo": True}, "8.50"),
])
def test_bonuses_add_to_each_adoption(flags, expected):
    result = score_item(book(), [fact(1, "city", **flags)])
    assert result.adoptions[1].points == D(expected)


def test_every_outlet_scores_when_the_rules_say_so():
    result = score_item(book(), [fact(1, "city"), fact(2, "province"), fact(3, "central")])
    assert [result.adoptions[k].points for k in (1, 2, 3)] == [D("4.00"), D("10.00"), D("20.00")]
    assert result.total == D("34.00")


def test_only_the_best_outlet_scores_when_the_rules_say_so():
    result = score_item(book(score_every_outlet=False), [fact(1, "city"), fact(2, "central"), fact(3, "province")])
    assert [result.adoptions[k].points for k in (1, 2, 3)] == [D("0"), D("20.00"), D("0")]
    assert any(line["rule"] == "best_only" for line in result.adoptions[1].breakdown)


def test_best_only_tie_goes_to_the_earliest_adoption():
    result = score_item(book(score_every_outlet=False),
                        [fact(1, "city", day=DAY + dt.timedelta(days=2)), fact(2, "city", day=DAY)])
    assert (result.adoptions[1].points, result.adoptions[2].points) == (D("0"), D("4.00"))


def test_leader_instructions_count_once_per_level():
    instructions = [InstructionFact(key=10, level="province", instructed_on=DAY),
                    InstructionFact(key=11, level="province", instructed_on=DAY + dt.timedelta(days=1)),
                    InstructionFact(key=12, level="city", instructed_on=DAY)]
    result = score_item(book(), [fact(1, "city")], instructions)
    assert {k: line.points for k, line in result.instructions.items()} == {10: D("20.00"), 11: D("0"),
                                                                           12: D("10.00")}
    assert result.total == D("34.00")


def test_instruction_without_adoption_still_scores():
    result = score_item(book(), [], [InstructionFact(key=1, level="central", instructed_on=DAY)])
    assert result.total == D("30.00")


@pytest.mark.parametrize(("cap", "expected"), [
    (None, ["20.00", "10.00", "4.00"]),
    ("25", ["20.00", "5.00", "0.00"]),
    ("20", ["20.00", "0.00", "0.00"]),
    ("34", ["20.00", "10.00", "4.00"]),
])
def test_item_cap_cuts_the_later_adoptions(cap, expected):
    # Ordered by date, then level: the central adoption came first.
    adoptions = [fact(1, "central", day=DAY), fact(2, "province", day=DAY + dt.timedelta(1)),
                 fact(3, "city", day=DAY + dt.timedelta(2))]
    result = score_item(book(item_cap=cap), adoptions)
    assert [str(result.adoptions[k].points) for k in (1, 2, 3)] == expected


def test_item_cap_also_covers_instruction_bonuses():
    result = score_item(book(item_cap="25"), [fact(1, "central")],
                        [InstructionFact(key=9, level="province", instructed_on=DAY)])
    assert result.total == D("25.00")
    assert result.instructions[9].points == D("5.00")


def test_each_adoption_is_scored_with_the_version_in_force_on_its_date():
    v1 = Rules.from_dict(BASE)
    v2 = Rules.from_dict({**BASE, "tiers": [{"level": "city", "points": "6"}]})
    versions = RuleBook([Version(1, dt.date(2026, 1, 1), v1, key="a"), Version(2, dt.date(2026, 10, 15), v2, key="b")])
    result = score_item(versions, [fact(1, "city", day=dt.date(2026, 10, 14)), fact(2, "city", day=dt.date(2026, 10, 15))])
    assert (result.adoptions[1].points, result.adoptions[1].version) == (D("4.00"), 1)
    assert (result.adoptions[2].points, result.adoptions[2].version, result.adoptions[2].version_key) == (
        D("6.00"), 2, "b")


def test_rule_book_same_day_higher_version_wins_and_early_dates_use_the_first():
    a, b = Rules.from_dict(BASE), Rules.from_dict({**BASE, "photo_bonus": "5"})
    versions = RuleBook([Version(2, dt.date(2026, 3, 1), b), Version(1, dt.date(2026, 3, 1), a)])
    assert versions.at(dt.date(2026, 3, 1)).version == 2
    assert versions.at(dt.date(2025, 1, 1)).version == 1


@pytest.mark.parametrize(("points", "shares", "expected"), [
    ("10.00", [("a", D("0.5")), ("b", D("0.5"))], [("a", "5.00"), ("b", "5.00")]),
    ("10.00", [("a", D("0.3333")), ("b", D("0.3333")), ("c", D("0.3334"))],
     [("a", "3.34"), ("b", "3.33"), ("c", "3.33")]),
    ("1.00", [("a", D("0.3333")), ("b", D("0.6667"))], [("a", "0.33"), ("b", "0.67")]),
    ("0.05", [("a", D("0.5")), ("b", D("0.5"))], [("a", "0.02"), ("b", "0.03")]),
])
def test_co_authored_points_are_split_and_sum_to_the_whole(points, shares, expected):
    parts = split_shares(D(points), shares)
    assert sum(p for _u, p in parts) == D(points)
    # The rounding remainder goes to the first unit; ROUND_HALF_UP on the others.
    got = [(u, str(p)) for u, p in parts]
    assert got == expected


@pytest.mark.parametrize(("facts", "expected"), [
    # county bureau: quota 4 items, base 10, 2 per missing item
    (dict(unit_kind="county_bureau", adoption_points=D("20"), submitted_items=4), "30.00"),
    (dict(unit_kind="county_bureau", adoption_points=D("20"), submitted_items=6), "30.00"),
    (dict(unit_kind="county_bureau", adoption_points=D("20"), submitted_items=1), "14.00"),
    (dict(unit_kind="county_bureau", adoption_points=D("0"), submitted_items=0), "0.00"),  # floored at zero
    # other kinds fall back to "*": quota 1, base 3
    (dict(unit_kind="hospital", adoption_points=D("5"), submitted_items=1), "8.00"),
    (dict(unit_kind="hospital", adoption_points=D("5"), submitted_items=0), "4.00"),
    # commissioned pieces and urgent reports
    (dict(unit_kind="hospital", adoption_points=D("20"), submitted_items=1, commissioned_late=1), "21.00"),
    (dict(unit_kind="hospital", adoption_points=D("20"), submitted_items=1, commissioned_missing=2), "13.00"),
    (dict(unit_kind="hospital", adoption_points=D("20"), submitted_items=1, urgent_late=1, urgent_missing=1), "14.00"),
    # the veto zeroes everything
    (dict(unit_kind="hospital", adoption_points=D("50"), submitted_items=3, vetoed=True), "0.00"),
    # instruction points count with adoption points
    (dict(unit_kind="hospital", adoption_points=D("5"), instruction_points=D("20"), submitted_items=1), "28.00"),
])
def test_unit_month_quota_deductions_and_veto(facts, expected):
    assert score_unit_month(rules(), UnitMonthFacts(**facts)).points == D(expected)


def test_quota_can_count_adopted_items_instead():
    r = rules(quota_counts="adopted")
    assert score_unit_month(r, UnitMonthFacts("hospital", submitted_items=5, adopted_items=0)).points == D("0.00")
    assert score_unit_month(r, UnitMonthFacts("hospital", submitted_items=0, adopted_items=1)).points == D("3.00")


@pytest.mark.parametrize(("cap", "earned", "expected"), [
    (None, "80", "83.00"), ("50", "80", "53.00"), ("50", "40", "43.00"), ("50", "50", "53.00"),
])
def test_unit_month_cap_applies_before_the_quota_base(cap, earned, expected):
    result = score_unit_month(rules(unit_month_cap=cap), UnitMonthFacts("hospital", adoption_points=D(earned),
                                                                        submitted_items=1))
    assert result.points == D(expected)


def test_negative_month_allowed_when_floor_is_off():
    result = score_unit_month(rules(floor_at_zero=False), UnitMonthFacts("county_bureau", submitted_items=0))
    assert result.points == D("-8.00")


def test_breakdown_explains_the_month():
    result = score_unit_month(rules(), UnitMonthFacts("county_bureau", adoption_points=D("9"), submitted_items=2,
                                                      urgent_late=1))
    assert [line["rule"] for line in result.breakdown] == ["adoptions", "quota_missing", "urgent_late"]
    assert result.points == D("2.00")


def test_ranking_key_follows_the_tie_break_order():
    r = rules(tie_break=["points", "higher_level_adoptions", "adopted_items"])
    a = ranking_key(r, points=D("10"), by_level={"province": 1}, adopted_items=1, submitted_items=9, adoptions=1)
    b = ranking_key(r, points=D("10"), by_level={"city": 5}, adopted_items=5, submitted_items=9, adoptions=5)
    c = ranking_key(r, points=D("10"), by_level={"province": 1}, adopted_items=2, submitted_items=1, adoptions=1)
    assert sorted([a, b, c], reverse=True) == [c, a, b]
    r2 = rules(tie_break=["points", "adoptions"])
    assert ranking_key(r2, points=D("10"), by_level={}, adopted_items=0, submitted_items=0, adoptions=3) == (D("10"), 3)


@pytest.mark.parametrize(("change", "message"), [
    ({"tiers": []}, "tiers: at least one row is required"),
    ({"tiers": [{"level": "moon", "points": "1"}]}, "tiers[1].level: 'moon' is not one of"),
    ({"tiers": [{"level": "city", "kind": "blog", "points": "1"}]}, "tiers[1].kind"),
    ({"tiers": [{"level": "city", "points": "abc"}]}, "tiers[1].points: 'abc' is not a number"),
    ({"tiers": [{"level": "city", "points": "-1"}]}, "tiers[1].points: must not be negative"),
    ({"tiers": [{"level": "city", "points": "1.234"}]}, "at most two decimal places"),
    ({"tiers": [{"level": "city", "points": "1"}, {"level": "city", "points": "2"}]}, "appear twice"),
    ({"photo_bonus": True}, "photo_bonus: True is not a number"),
    ({"item_cap": "NaN"}, "item_cap: 'NaN' is not a number"),
    ({"quotas": {"spaceship": {"items": 1}}}, "quotas.spaceship: not a unit category"),
    ({"quotas": {"hospital": {"items": -1}}}, "quotas.hospital.items"),
    ({"tie_break": ["items"]}, "tie_break: 'items' is not one of"),
    ({"tie_break": ["adoptions", "points"]}, "tie_break: must start with points"),
    ({"score_every_outlet": "yes"}, "score_every_outlet: must be true or false"),
    ({"bogus": 1}, "bogus: unknown setting"),
])
def test_bad_rules_are_refused_with_a_clear_message(change, message):
    with pytest.raises(RulesError) as exc:
        Rules.from_dict({**BASE, **change})
    assert any(message in m for m in exc.value.messages), exc.value.messages


def test_rules_round_trip_through_json_and_the_default_validates():
    r = Rules.from_dict(scoring.DEFAULT_RULES)
    assert Rules.from_dict(r.to_dict()) == r
    assert r.tier_points("central", "newspaper", "headline")[0] == D("40")


def test_same_inputs_give_the_same_points_whatever_the_input_order():
    adoptions = [fact(i, lvl, day=DAY + dt.timedelta(days=i % 3)) for i, lvl in
                 enumerate(["city", "central", "province", "city", "internal"])]
    first = score_item(book(item_cap="30", score_every_outlet=False), adoptions)
    second = score_item(book(item_cap="30", score_every_outlet=False), list(reversed(adoptions)))
    assert {k: v.points for k, v in first.adoptions.items()} == {k: v.points for k, v in second.adoptions.items()}


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

cents_values = st.integers(min_value=0, max_value=50_000)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(["county_bureau", "hospital", "cdc", "other"]), ap=cents_values, ip=cents_values,
       submitted=st.integers(0, 8), adopted=st.integers(0, 8), late=st.integers(0, 2), missing=st.integers(0, 2),
       vetoed=st.booleans(), cap=st.sampled_from([None, "50", "120.5"]), floor=st.booleans(),
       counts=st.sampled_from(["submitted", "adopted"]))
def test_the_fast_month_path_gives_exactly_the_same_points(kind, ap, ip, submitted, adopted, late, missing, vetoed,
                                                           cap, floor, counts):
    r = rules(unit_month_cap=cap, floor_at_zero=floor, quota_counts=counts)
    facts = UnitMonthFacts(kind, adoption_points=D(ap).scaleb(-2), instruction_points=D(ip).scaleb(-2),
                           submitted_items=submitted, adopted_items=adopted, commissioned_late=late,
                           urgent_missing=missing, vetoed=vetoed)
    slow = score_unit_month(r, facts).points
    extra = {"commissioned_late": late, "urgent_missing": missing}
    fast = scoring.CentRules.of(r).month_cents(kind, ap + ip, submitted, adopted, extra, vetoed)
    assert D(fast).scaleb(-2) == slow
