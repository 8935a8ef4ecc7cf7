"""Whether a measured value meets a target: a pure evaluator (no Django, no database).

Comparisons are exact: values are turned into ``Fraction`` so that a rate computed from
counts (3 deaths in 10,000 births = 30/10万) meets "30/10万以下" exactly at the boundary,
without a float or a rounded Decimal deciding it. Words follow the Civil Code art. 1259:
以上/以下/以内 include the number itself, 超过/不满/低于/高于 exclude it.

Units of measure: rates (``%``, ``‰``, ``1/10000`` = 每万, ``1/100000`` = 每10万, and
``ratio`` for a plain fraction) convert into each other; any other unit (个, 次, 篇, 元…)
only compares with itself.
"""

from __future__ import annotations

import operator as op
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

OPERATORS = {">=": op.ge, ">": op.gt, "<=": op.le, "<": op.lt, "=": op.eq}
SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}

# Longest words first: 不低于 must win over 低于, 不超过 over 超过.
WORD_OPERATORS: tuple[tuple[str, str], ...] = (
    ("不低于", ">="), ("不少于", ">="), ("不小于", ">="), ("至少", ">="), ("最少", ">="),
    ("不超过", "<="), ("不高于", "<="), ("不多于", "<="), ("不大于", "<="), ("最多", "<="),
    ("以上", ">="), ("以下", "<="), ("以内", "<="),
    ("超过", ">"), ("高于", ">"), ("多于", ">"), ("大于", ">"),
    ("不满", "<"), ("不足", "<"), ("低于", "<"), ("少于", "<"), ("小于", "<"),
    ("达到", ">="), ("达", ">="),
)

# Scale of each rate unit: a value v in the unit means v / scale.
RATE_SCALES: dict[str, int] = {"ratio": 1, "%": 100, "‰": 1000, "1/10000": 10_000, "1/100000": 100_000}
UNIT_ALIASES: dict[str, str] = {
    "％": "%", "percent": "%", "百分比": "%", "‰": "‰", "千分之": "‰", "permille": "‰",
    "/万": "1/10000", "/1万": "1/10000", "每万": "1/10000", "万分之": "1/10000", "1/10000": "1/10000",
    "/10万": "1/100000", "/十万": "1/100000", "每10万": "1/100000", "per10万": "1/100000",
    "1/10万": "1/100000", "十万分之": "1/100000", "1/100000": "1/100000",
    "毫升": "ml", "ML": "ml", "mL": "ml",
}
UNIT_LABELS: dict[str, str] = {"1/100000": "/10万", "1/10000": "/万", "ratio": ""}
TWO_PLACES = Decimal("0.01")


class TargetError(ValueError):
    """A value that cannot be judged against the target; ``code`` says why."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


def normalise_unit(unit: str | None) -> str:
    """A unit of measure as the code stores it: "/10万" → "1/100000", "毫升" → "ml", spaces dropped."""
    text = (unit or "").strip().replace(" ", "")
    return UNIT_ALIASES.get(text, text)


def unit_label(unit: str | None) -> str:
    """How a stored unit reads after a number: "1/100000" → "/10万"."""
    unit = normalise_unit(unit)
    return UNIT_LABELS.get(unit, unit)


def is_rate(unit: str | None) -> bool:
    return normalise_unit(unit) in RATE_SCALES


def operator_from_words(text: str) -> str:
    """The comparison a Chinese phrase states (以上 → ">=", 低于 → "<"); a bare goal to reach is ">="."""
    for word, symbol in WORD_OPERATORS:
        if word in text:
            return symbol
    return ">="


def as_fraction(value: Decimal | Fraction | int | str) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):  # never silently: a float would carry binary noise into the comparison
        raise TargetError("float", "use Decimal, not float")
    try:
        return Fraction(Decimal(str(value)))
    except (ArithmeticError, ValueError) as exc:
        raise TargetError("not_a_number") from exc


def convert(value: Decimal | Fraction | int, from_unit: str | None, to_unit: str | None) -> Fraction:
    """``value`` in ``from_unit`` expressed in ``to_unit`` (e.g. 0.3‰ → 30/10万); exact."""
    source, target = normalise_unit(from_unit), normalise_unit(to_unit)
    number = as_fraction(value)
    if source == target or not source:
        return number
    if source in RATE_SCALES and target in RATE_SCALES:
        return number * RATE_SCALES[target] / RATE_SCALES[source]
    raise TargetError("unit_mismatch", f"{from_unit} cannot be compared with {to_unit}")


def rate_from_counts(numerator: Decimal | int, denominator: Decimal | int, unit: str) -> Fraction:
    """A count over a population as a rate in ``unit``: 3 in 10,000 → 30 in "1/100000"."""
    unit = normalise_unit(unit)
    if unit not in RATE_SCALES:
        raise TargetError("not_a_rate", f"{unit} is not a rate")
    top, bottom = as_fraction(numerator), as_fraction(denominator)
    if bottom <= 0:
        raise TargetError("no_population", "the population must be more than zero")
    if top < 0:
        raise TargetError("negative_count", "a count cannot be negative")
    return top / bottom * RATE_SCALES[unit]


def meets(measured: Decimal | Fraction | int, operator: str, threshold: Decimal | Fraction | int) -> bool:
    """Whether ``measured`` satisfies ``operator threshold`` (both in the same unit), exactly."""
    try:
        compare = OPERATORS[operator]
    except KeyError as exc:
        raise TargetError("unknown_operator", operator) from exc
    return compare(as_fraction(measured), as_fraction(threshold))


def to_decimal(value: Fraction, places: Decimal = TWO_PLACES) -> Decimal:
    """A fraction for display, rounded half up (Decimal arithmetic, never float)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(places, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Measurement:
    """What was measured: a value in ``unit`` (the target's own when empty), or a count over a population."""

    value: Decimal | Fraction | None = None
    unit: str = ""
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def has_counts(self) -> bool:
        return self.numerator is not None and self.denominator is not None


@dataclass(frozen=True)
class Evaluation:
    """The result: ``met`` is None when there is nothing to judge (``reason`` says why)."""

    met: bool | None
    value: Fraction | None = None
    reason: str = ""

    @property
    def display_value(self) -> Decimal | None:
        return to_decimal(self.value) if self.value is not None else None


def measured_value(measurement: Measurement, target_unit: str) -> Fraction:
    """The measurement in the target's unit of measure."""
    if measurement.has_counts:
        if is_rate(target_unit):
            return rate_from_counts(measurement.numerator, measurement.denominator, target_unit)
        raise TargetError("not_a_rate", f"{target_unit} is not a rate")
    if measurement.value is None:
        raise TargetError("no_value")
    return convert(measurement.value, measurement.unit or target_unit, target_unit)


def evaluate(*, operator: str, threshold: Decimal | Fraction | int, unit: str,
             measurement: Measurement | None) -> Evaluation:
    """Judge one measurement against a target ``operator threshold unit``."""
    if measurement is None:
        return Evaluation(None, None, "no_value")
    try:
        value = measured_value(measurement, unit)
        return Evaluation(meets(value, operator, threshold), value, "")
    except TargetError as error:
        return Evaluation(None, None, error.code)


def pooled(measurements: Iterable[Measurement]) -> Measurement | None:
    """All units' counts together (Σ count / Σ population), when every one was given as counts."""
    items = list(measurements)
    if not items or not all(m.has_counts for m in items):
        return None
    return Measurement(numerator=sum((Decimal(m.numerator) for m in items), Decimal(0)),
                       denominator=sum((Decimal(m.denominator) for m in items), Decimal(0)))


@dataclass(frozen=True)
class Overall:
    """A target across units: ``met`` when the area's own value (or the pooled counts) meets it,
    else when every unit with a value meets it; ``met_units`` of ``judged_units`` meet it."""

    met: bool | None
    value: Fraction | None
    basis: str  # "area", "pooled", "all_units", "none"
    met_units: int
    judged_units: int


def overall(*, operator: str, threshold: Decimal | Fraction | int, unit: str,
            area: Measurement | None, units: Iterable[Measurement]) -> Overall:
    """The target's overall result from the area-wide value, else pooled counts, else all units."""
    unit_measurements = list(units)
    results = [evaluate(operator=operator, threshold=threshold, unit=unit, measurement=m)
               for m in unit_measurements]
    judged = [r for r in results if r.met is not None]
    met_units = sum(1 for r in judged if r.met)
    if area is not None:
        result = evaluate(operator=operator, threshold=threshold, unit=unit, measurement=area)
        if result.met is not None:
            return Overall(result.met, result.value, "area", met_units, len(judged))
    together = pooled(unit_measurements) if is_rate(unit) else None
    if together is not None:
        result = evaluate(operator=operator, threshold=threshold, unit=unit, measurement=together)
        if result.met is not None:
            return Overall(result.met, result.value, "pooled", met_units, len(judged))
    if not judged:
        return Overall(None, None, "none", 0, 0)
    return Overall(met_units == len(judged), None, "all_units", met_units, len(judged))
