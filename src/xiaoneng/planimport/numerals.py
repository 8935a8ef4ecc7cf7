"""Numbers and calendar arithmetic shared by the schedule and target rules."""

from __future__ import annotations

import calendar

_DIGITS = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}

CN_NUM = "零〇一二两三四五六七八九十百千"


def parse_number(text: str) -> float | None:
    """Read an Arabic or Chinese numeral ("12", "2.5", "十二", "两", "一百零五")."""
    text = text.strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        pass
    total = 0
    current = 0
    seen = False
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
            seen = True
        elif ch in _UNITS:
            total += (current or 1) * _UNITS[ch]
            current = 0
            seen = True
        else:
            return None
    return float(total + current) if seen else None


def parse_int(text: str) -> int | None:
    value = parse_number(text)
    return int(value) if value is not None and value == int(value) else None


def month_end(year: int | None, month: int) -> int:
    """Last day of a month; February of an unknown year is given 28 days."""
    return calendar.monthrange(year or 2001, month)[1]


def fmt_date(year: int | None, month: int, day: int) -> str:
    """YYYY-MM-DD, or --MM-DD where the year cannot be known (SCHEMA.md)."""
    if year:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return f"--{month:02d}-{day:02d}"


def valid_day(year: int | None, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= month_end(year or 2000, month)


def xun_range(year: int | None, month: int, xun: str) -> tuple[int, int]:
    """上旬/中旬/下旬 are days 1–10, 11–20 and 21–end; 初 and 底/末 likewise."""
    if xun in ("上旬", "初"):
        return 1, 10
    if xun == "中旬":
        return 11, 20
    if xun in ("下旬", "底", "末"):
        return 21, month_end(year, month)
    return 1, month_end(year, month)
