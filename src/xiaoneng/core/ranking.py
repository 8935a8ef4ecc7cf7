"""Competition ranking ("1, 2, 2, 4"): rows with equal sort keys share a rank.

DESIGN.md: ties share a rank and the order of tie-breaks is part of the scoring rules, so
the caller builds the sort key from its tie-break order (highest first) and this module only
numbers the sorted rows. Keys are compared for equality, so use ``Decimal`` or ints, never
floats that differ in the last bit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Row = TypeVar("Row")


@dataclass(frozen=True)
class Ranked(Generic[Row]):
    rank: int
    row: Row
    tied: bool


def competition_ranks(rows: Iterable[Row], key: Callable[[Row], Any], *, descending: bool = True) -> list[Ranked[Row]]:
    """Sort ``rows`` by ``key`` (highest first unless ``descending=False``) and number them 1, 2, 2, 4.

    The sort is stable: rows sharing a key keep the order they came in (pass them in a fixed
    order, e.g. by unit order, so the same inputs always give the same list).
    """
    ordered = sorted(rows, key=key, reverse=descending) if descending else sorted(rows, key=key)
    keys = [key(row) for row in ordered]
    result: list[Ranked[Row]] = []
    rank = 0
    for index, row in enumerate(ordered):
        if index == 0 or keys[index] != keys[index - 1]:
            rank = index + 1
        tied = (index > 0 and keys[index] == keys[index - 1]) or (
            index + 1 < len(keys) and keys[index] == keys[index + 1])
        result.append(Ranked(rank=rank, row=row, tied=tied))
    return result
