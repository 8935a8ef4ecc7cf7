"""Codes people copy by hand: case tracking codes, survey paper codes (SECURITY-CHECKS).

30 symbols without look-alikes (no 0/O, 1/I/L, U/V): 10 of them give 30¹⁰ ≈ 5.9×10¹⁴ codes.
"""

from __future__ import annotations

import secrets

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _position in range(length))


def code_from_digest(digest: bytes, length: int) -> str:
    """A code read off a keyed digest (uniform over the alphabet for digests far longer than the code)."""
    number = int.from_bytes(digest, "big")
    chars = []
    for _position in range(length):
        number, index = divmod(number, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[index])
    return "".join(chars)


def normalise_code(value: str) -> str:
    """Upper case, without the spaces and dashes people type, and nothing outside the alphabet."""
    return "".join(ch for ch in (value or "").upper() if ch in CODE_ALPHABET)
