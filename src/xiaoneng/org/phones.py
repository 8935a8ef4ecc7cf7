"""Staff phone numbers: what a valid one looks like, and how it is shown to people who may not read it."""

from __future__ import annotations

import re

# A mainland mobile (13800138000, optionally +86), or a landline with area code and an
# optional extension (0571-88881234, 057188881234-123).
PHONE_RE = re.compile(r"^(?:(?:\+?86[- ]?)?1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$")


def is_valid_phone(value: str) -> bool:
    return bool(PHONE_RE.match(value.strip()))


def mask_phone(value: str | None) -> str:
    """Hide the middle of a phone number: 13812341234 → 138****1234."""
    if not value:
        return ""
    value = str(value).strip()
    digit_positions = [i for i, ch in enumerate(value) if ch.isdigit()]
    if len(digit_positions) < 8:
        return "*" * len(value)
    # Keep the first three and the last four digits; every digit between becomes *.
    hidden = set(digit_positions[3:-4])
    return "".join("*" if i in hidden else ch for i, ch in enumerate(value))
