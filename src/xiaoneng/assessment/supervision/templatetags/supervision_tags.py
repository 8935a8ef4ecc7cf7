"""How targets and values read on screen: "≥ 95%", "≤ 30/10万"."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django import template

from .. import targets as evaluator

register = template.Library()


def _number(value) -> str:
    if value is None:
        return "—"
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    text = f"{value.normalize():f}"
    return text


@register.filter
def target_text(target) -> str:
    """A target's comparison, value and unit: "≥ 95%"."""
    return f"{evaluator.SYMBOLS.get(target.operator, target.operator)} {_number(target.value)}" \
           f"{evaluator.unit_label(target.unit_of_measure)}"


@register.filter
def with_unit(value, unit) -> str:
    """A measured value (already in the target's unit) with the unit: "25.00/10万"."""
    if value is None:
        return "—"
    if isinstance(value, Fraction):
        value = evaluator.to_decimal(value)
    return f"{value}{evaluator.unit_label(unit)}"


@register.filter
def unit_label(unit) -> str:
    return evaluator.unit_label(unit)


@register.filter
def number(value) -> str:
    return _number(value)
