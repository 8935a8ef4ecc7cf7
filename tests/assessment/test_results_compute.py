"""The arithmetic of results (no database): means, rounding, composites, weights, shared ranks."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from xiaoneng.assessment.results import compute
from xiaoneng.assessment.results.compute import UnitInfo


@pytest.mark.parametrize(("values", "expected"), [
    (["85.555"], "85.56"),  # half up, not banker's rounding
    (["85.545"], "85.55"),
    (["90", "85", "86"], "87.00"),
    (["90", "85", "85"], "86.67"),  # 86.666… repeats
    (["1", "0", "0"], "0.33"),
    (["2", "0", "0"], "0.67"),
    (["80.5", "80.5"], "80.50"),
    (["99.99", "100", "100"], "100.00"),  # 99.996666…
])
def test_mean_is_rounded_once_to_two_places_half_up(values, expected):
    assert compute.mean2(D(v) for v in values) == D(expected)
    assert str(compute.mean2(D(v) for v in values)) == expected


def test_mean_of_nothing_is_none_and_floats_are_refused():
    assert compute.mean2([]) is None
    with pytest.raises(TypeError):
        compute.mean2([85.5])


def test_final_result_averages_only_the_rounds_a_unit_took_part_in():
    totals = {(1, 10): D("90"), (2, 10): D("80"), (3, 10): D("85"),
              (1, 11): D("90"), (3, 11): D("80"),  # absent from round 2: not a zero
              (2, 12): D("70")}
    results = compute.final_results(totals, [1, 2, 3])
    assert results[10].final == D("85.00") and results[10].rounds_taken == 3
    assert results[11].final == D("85.00") and results[11].rounds_taken == 2
    assert results[11].round_totals == {1: D("90"), 2: None, 3: D("80")}
    assert results[12].final == D("70.00")


def test_rounds_not_asked_for_are_left_out():
    totals = {(1, 10): D("90"), (2, 10): D("60")}
    assert compute.final_results(totals, [1])[10].final == D("90.00")


@pytest.mark.parametrize(("weights", "ok"), [
    ({"assessment": 100}, True),
    ({"assessment": 60, "publicity": 20, "on_time": 10, "satisfaction": 10}, True),
    ({"assessment": "33.5", "publicity": "33.5", "on_time": 33}, True),
    ({"assessment": 60, "publicity": 20}, False),  # 80
    ({"assessment": 60, "publicity": 50}, False),  # 110
    ({"assessment": 110, "publicity": -10}, False),  # negative
    ({"assessment": "abc"}, False),
    ({"assessment": 50, "bonus": 50}, False),  # unknown source
])
def test_weights_must_be_non_negative_and_sum_to_100(weights, ok):
    if ok:
        assert sum(compute.validate_weights(weights).values()) == 100
    else:
        with pytest.raises(compute.WeightError):
            compute.validate_weights(weights)


def test_weights_not_summing_to_100_are_refused_with_the_sum():
    with pytest.raises(compute.WeightError, match="80"):
        compute.composite_scores({1: {"assessment": D("90")}}, {"assessment": 60, "publicity": 20})


@pytest.mark.parametrize(("value", "scale", "expected"), [
    ("0.95", "fraction", "95.00"),
    ("95", "%", "95"),
    ("950", "‰", "95"),
    ("30", "‰", "3"),
])
def test_rates_are_read_as_percentages(value, scale, expected):
    assert compute.rate_to_percent(value, scale) == D(expected)


def test_components_are_percentages_of_full_marks_and_of_the_best_publicity():
    parts = compute.normalise_components(
        unit_ids=[1, 2, 3], finals={1: D("90"), 2: D("45")}, assessment_full_marks=D("100"),
        publicity_points={1: D("12"), 2: D("36"), 3: D("0")}, on_time_percent={1: D("87.5")},
        satisfaction_percent=None)
    assert parts[1] == {"assessment": D("90.00"), "publicity": D("33.33"), "on_time": D("87.50")}
    assert parts[2] == {"assessment": D("45.00"), "publicity": D("100.00")}
    assert parts[3] == {"publicity": D("0.00")}


def test_assessment_without_full_marks_is_relative_to_the_best_unit():
    parts = compute.normalise_components(unit_ids=[1, 2], finals={1: D("80"), 2: D("40")})
    assert parts[1]["assessment"] == D("100.00") and parts[2]["assessment"] == D("50.00")


def test_a_missing_source_re_normalises_the_weights_over_what_the_unit_has():
    components = {1: {"assessment": D("90"), "satisfaction": D("80")},
                  2: {"assessment": D("90")},  # no survey yet
                  3: {}}
    result = compute.composite_scores(components, {"assessment": 80, "satisfaction": 20})
    assert result[1].score == D("88.00")
    assert result[2].score == D("90.00") and result[2].missing == ("satisfaction",)
    assert result[3].score is None


def test_composite_rounds_half_up_once():
    components = {1: {"assessment": D("85.55"), "publicity": D("85.56")}}
    # (85.55 + 85.56) / 2 = 85.555 → 85.56
    assert compute.composite_scores(components, {"assessment": 50, "publicity": 50})[1].score == D("85.56")


def _units():
    return [UnitInfo(1, "甲", 7, "县区组", 1, 1), UnitInfo(2, "乙", 7, "县区组", 1, 2),
            UnitInfo(3, "丙", 7, "县区组", 1, 3), UnitInfo(4, "丁", 7, "县区组", 1, 4),
            UnitInfo(5, "医院", 8, "市直组", 2, 1), UnitInfo(6, "无组", None, "", 0, 1)]


def test_ties_share_a_rank_per_group_and_units_without_a_value_are_unranked():
    values = {1: D("80.00"), 2: D("90.00"), 3: D("80.00"), 4: D("70.00"), 5: D("60.00"), 6: None}
    groups = compute.rank_by_group(_units(), values, other_group_name="其他")
    assert [g.group_name for g in groups] == ["县区组", "市直组", "其他"]
    county = [(r.unit_name, r.rank, r.tied) for r in groups[0].rows]
    assert county == [("乙", 1, False), ("甲", 2, True), ("丙", 2, True), ("丁", 4, False)]
    assert groups[1].rows[0].rank == 1  # ranked within its own group
    assert groups[2].rows[0].rank is None


def test_tie_break_orders_equal_values_and_equal_tie_breaks_still_share():
    values = {1: D("80"), 2: D("80"), 3: D("80"), 4: D("70")}
    tie = {1: D("85"), 2: D("90"), 3: D("85"), 4: D("99")}
    rows = compute.rank_by_group(_units()[:4], values, tie_break=tie)[0].rows
    assert [(r.unit_name, r.rank) for r in rows] == [("乙", 1), ("甲", 2), ("丙", 2), ("丁", 4)]


def test_rank_changes_pair_new_rows_with_old_ranks():
    units = _units()[:3]
    old = compute.rank_by_group(units, {1: D("90"), 2: D("80"), 3: D("70")})
    new = compute.rank_by_group(units, {1: D("70"), 2: D("80"), 3: D("90")})
    assert [(row.unit_name, row.rank, before) for _g, row, before in compute.rank_changes(old, new)] == [
        ("丙", 1, 3), ("乙", 2, 2), ("甲", 3, 1)]
