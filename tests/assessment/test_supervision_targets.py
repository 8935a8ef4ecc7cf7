"""The target evaluator: every operator, the inclusive/exclusive words, and rate units (%, ‰, per 10万)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xiaoneng.assessment.supervision import targets as t

D = Decimal


@pytest.mark.parametrize(("measured", "operator", "threshold", "met"), [
    (D("95"), ">=", D("95"), True),     # 以上 includes the number
    (D("94.99"), ">=", D("95"), False),
    (D("95"), ">", D("95"), False),     # 超过 excludes it
    (D("95.01"), ">", D("95"), True),
    (D("30"), "<=", D("30"), True),     # 以下 includes it
    (D("30.01"), "<=", D("30"), False),
    (D("16"), "<", D("16"), False),     # 低于/不满 exclude it
    (D("15.99"), "<", D("16"), True),
    (D("100"), "=", D("100"), True),
    (D("100.0"), "=", D("100"), True),
    (D("99"), "=", D("100"), False),
])
def test_every_operator_compares_exactly_at_and_around_the_boundary(measured, operator, threshold, met):
    assert t.meets(measured, operator, threshold) is met


@pytest.mark.parametrize(("phrase", "operator"), [
    ("随访率达到95%以上", ">="), ("孕产妇死亡率控制在30/10万以下", "<="), ("控制在5%以内", "<="),
    ("超过3次", ">"), ("不满18周岁", "<"), ("低于16‰", "<"), ("高于全省平均", ">"),
    ("不低于4次", ">="), ("不少于两场", ">="), ("至少1件", ">="), ("不超过10%", "<="),
    ("开课率达100%", ">="), ("培养10名", ">="),
])
def test_chinese_words_give_the_operator_the_civil_code_says(phrase, operator):
    assert t.operator_from_words(phrase) == operator


@pytest.mark.parametrize(("given", "stored", "label"), [
    ("/10万", "1/100000", "/10万"), ("per 10万", "1/100000", "/10万"), ("1/100000", "1/100000", "/10万"),
    ("/万", "1/10000", "/万"), ("％", "%", "%"), ("‰", "‰", "‰"), ("毫升", "ml", "ml"), ("个", "个", "个"),
    (" 次 ", "次", "次"), ("", "", ""),
])
def test_units_of_measure_are_normalised_and_labelled(given, stored, label):
    assert t.normalise_unit(given) == stored
    assert t.unit_label(stored) == label


@pytest.mark.parametrize(("value", "source", "target", "expected"), [
    (D("0.3"), "‰", "1/100000", Fraction(30)),     # 0.3‰ is 30 per 10万
    (D("0.03"), "%", "1/100000", Fraction(30)),
    (D("30"), "1/100000", "%", Fraction(3, 100)),
    (D("16"), "‰", "%", Fraction(16, 10)),
    (D("0.95"), "ratio", "%", Fraction(95)),
    (D("7"), "1/10000", "1/100000", Fraction(70)),
    (D("3"), "个", "个", Fraction(3)),
    (D("3"), "", "次", Fraction(3)),                 # no unit given: the target's own
])
def test_rates_convert_between_units_exactly(value, source, target, expected):
    assert t.convert(value, source, target) == expected


@pytest.mark.parametrize(("source", "target"), [("个", "%"), ("%", "次"), ("篇", "条")])
def test_a_count_never_compares_with_a_rate_or_another_count(source, target):
    with pytest.raises(t.TargetError) as error:
        t.convert(D("1"), source, target)
    assert error.value.code == "unit_mismatch"


@pytest.mark.parametrize(("numerator", "denominator", "unit", "rate"), [
    (D("3"), D("10000"), "1/100000", Fraction(30)),
    (D("3"), D("12000"), "1/100000", Fraction(25)),
    (D("19"), D("20"), "%", Fraction(95)),
    (D("1"), D("3"), "%", Fraction(100, 3)),
    (D("16"), D("1000"), "‰", Fraction(16)),
])
def test_a_rate_given_as_a_count_over_a_population(numerator, denominator, unit, rate):
    assert t.rate_from_counts(numerator, denominator, unit) == rate


def test_maternal_mortality_of_exactly_30_per_100000_meets_30_per_100000_or_below():
    # 3 deaths in 10,000 live births: exactly the limit, which 以下 includes.
    result = t.evaluate(operator="<=", threshold=D("30"), unit="1/100000",
                        measurement=t.Measurement(numerator=D("3"), denominator=D("10000")))
    assert result.met is True and result.display_value == D("30.00")
    one_more = t.evaluate(operator="<=", threshold=D("30"), unit="1/100000",
                          measurement=t.Measurement(numerator=D("4"), denominator=D("10000")))
    assert one_more.met is False and one_more.display_value == D("40.00")


def test_a_rate_reported_in_another_unit_is_converted_before_comparing():
    # Infant mortality 16‰ or below; a unit reports 1.5% = 15‰.
    result = t.evaluate(operator="<=", threshold=D("16"), unit="‰",
                        measurement=t.Measurement(value=D("1.5"), unit="%"))
    assert result.met is True and result.value == Fraction(15)


def test_a_third_is_judged_without_rounding():
    # 1 of 3 is 33.333…%: below 33.34%, above 33.33%, whatever the display says.
    third = t.Measurement(numerator=D("1"), denominator=D("3"))
    assert t.evaluate(operator="<", threshold=D("33.34"), unit="%", measurement=third).met is True
    assert t.evaluate(operator=">", threshold=D("33.33"), unit="%", measurement=third).met is True
    assert t.evaluate(operator="<=", threshold=D("33.33"), unit="%", measurement=third).met is False


@pytest.mark.parametrize(("measurement", "reason"), [
    (None, "no_value"),
    (t.Measurement(), "no_value"),
    (t.Measurement(value=D("3"), unit="个"), "unit_mismatch"),
    (t.Measurement(numerator=D("1"), denominator=D("0")), "no_population"),
    (t.Measurement(numerator=D("-1"), denominator=D("10")), "negative_count"),
])
def test_what_cannot_be_judged_says_why(measurement, reason):
    result = t.evaluate(operator=">=", threshold=D("95"), unit="%", measurement=measurement)
    assert result.met is None and result.reason == reason


def test_counts_cannot_be_given_for_a_count_target():
    result = t.evaluate(operator=">=", threshold=D("3"), unit="篇",
                        measurement=t.Measurement(numerator=D("1"), denominator=D("2")))
    assert result.met is None and result.reason == "not_a_rate"


def test_a_float_is_refused_rather_than_compared_with_binary_noise():
    with pytest.raises(t.TargetError):
        t.meets(0.1 + 0.2, "<=", D("0.3"))


def test_overall_uses_the_area_value_first():
    result = t.overall(operator=">=", threshold=D("95"), unit="%", area=t.Measurement(value=D("96")),
                       units=[t.Measurement(value=D("90")), t.Measurement(value=D("99"))])
    assert (result.met, result.basis, result.met_units, result.judged_units) == (True, "area", 1, 2)


def test_overall_pools_the_counts_of_every_unit_for_a_rate():
    # 2 deaths in 5,000 and 2 in 15,000: 20/10万 together, although one unit alone is at 40.
    result = t.overall(operator="<=", threshold=D("30"), unit="1/100000", area=None,
                       units=[t.Measurement(numerator=D("2"), denominator=D("5000")),
                              t.Measurement(numerator=D("2"), denominator=D("15000"))])
    assert (result.met, result.basis, result.value) == (True, "pooled", Fraction(20))
    assert (result.met_units, result.judged_units) == (1, 2)


def test_overall_without_counts_is_met_only_when_every_unit_meets_it():
    units = [t.Measurement(value=D("1")), t.Measurement(value=D("2"))]
    assert t.overall(operator=">=", threshold=D("1"), unit="篇", area=None, units=units).met is True
    result = t.overall(operator=">=", threshold=D("2"), unit="篇", area=None, units=units)
    assert (result.met, result.basis, result.met_units) == (False, "all_units", 1)
    nothing = t.overall(operator=">=", threshold=D("2"), unit="篇", area=None, units=[])
    assert (nothing.met, nothing.basis) == (None, "none")


decimals = st.decimals(min_value=D("-100000"), max_value=D("100000"), places=4, allow_nan=False,
                       allow_infinity=False)
rate_units = st.sampled_from(sorted(t.RATE_SCALES))


@given(decimals, decimals)
def test_inclusive_and_exclusive_operators_are_complements(measured, threshold):
    assert t.meets(measured, ">=", threshold) is not t.meets(measured, "<", threshold)
    assert t.meets(measured, "<=", threshold) is not t.meets(measured, ">", threshold)
    assert t.meets(measured, "=", threshold) is (t.meets(measured, ">=", threshold)
                                                  and t.meets(measured, "<=", threshold))


@given(decimals, rate_units, rate_units)
def test_converting_a_rate_there_and_back_returns_it_exactly(value, source, target):
    assert t.convert(t.convert(value, source, target), target, source) == Fraction(value)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**7), rate_units)
def test_a_count_over_a_population_is_the_same_rate_in_every_unit(count, population, unit):
    rate = t.rate_from_counts(D(count), D(population), unit)
    assert t.convert(rate, unit, "ratio") == Fraction(count, population)


@given(st.integers(min_value=0, max_value=1000), st.integers(min_value=1, max_value=10**6),
       st.sampled_from(["<=", "<", ">=", ">", "="]), decimals, rate_units)
def test_judging_counts_agrees_with_judging_the_exact_fraction(count, population, operator, threshold, unit):
    result = t.evaluate(operator=operator, threshold=threshold, unit=unit,
                        measurement=t.Measurement(numerator=D(count), denominator=D(population)))
    exact = Fraction(count, population) * t.RATE_SCALES[unit]
    assert result.met is t.meets(exact, operator, threshold)
