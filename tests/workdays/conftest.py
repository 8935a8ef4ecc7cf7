"""Helpers for the working-day calendar tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

NOTICES = Path(__file__).parent / "notices"


def notice_text(year: int) -> str:
    """The State Council notice of ``year`` as published (国务院办公厅关于…部分节假日安排的通知)."""
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def days_of(year: int):
    day = dt.date(year, 1, 1)
    while day.year == year:
        yield day
        day += dt.timedelta(days=1)


@pytest.fixture
def set_day(office):
    """Mark one date as the office would, through the service."""
    from xiaoneng.core.workdays.services import calendar_day_set

    def mark(day: dt.date, kind: str, name: str = ""):
        return calendar_day_set(day=day, kind=kind, name=name, user=office)

    return mark
