"""Personal data of cases at rest: Fernet encryption with rotatable keys, keyed hashes, masking.

``settings.PII_KEYS`` (env ``XIAONENG_PII_KEYS``) lists Fernet keys, newest first: new values are
encrypted with the first, every listed key decrypts, and ``xiaoneng manage rotate_pii_key``
re-encrypts all rows with the newest so an old key can be dropped. A value that no listed key
opens raises ``PiiDecryptError`` (fails closed; never returns the ciphertext as if it were text).

``settings.PII_HASH_KEY`` keys the HMACs used to find rows without decrypting them (tracking
codes, the phone for rate limits and duplicates). It does not rotate with the Fernet keys.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class PiiDecryptError(Exception):
    """No configured key opens this value."""


@lru_cache(maxsize=8)
def _multi(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _fernet() -> MultiFernet:
    return _multi(tuple(settings.PII_KEYS))


def pii_encrypt(value: str) -> str:
    """Ciphertext of ``value`` under the newest key ('' stays '')."""
    if not value:
        return ""
    return _fernet().encrypt(value.encode()).decode()


def pii_decrypt(token: str) -> str:
    """Plain text of a stored value; PiiDecryptError if no configured key opens it."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError) as exc:
        raise PiiDecryptError("personal data cannot be decrypted with the configured keys") from exc


def pii_rotate(token: str) -> str:
    """The same value re-encrypted under the newest key."""
    if not token:
        return ""
    try:
        return _fernet().rotate(token.encode()).decode()
    except (InvalidToken, ValueError) as exc:
        raise PiiDecryptError("personal data cannot be decrypted with the configured keys") from exc


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 of ``value`` for ``purpose`` (hex): lets rows be found without the plain text."""
    key = hashlib.sha256(f"xiaoneng:{purpose}:{settings.PII_HASH_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


_NOT_DIGIT = re.compile(r"\D")


def normalise_phone(value: str) -> str:
    """Digits only, without a leading +86/0086 (so the same phone always hashes the same)."""
    digits = _NOT_DIGIT.sub("", value or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def phone_hash(phone: str) -> str:
    return keyed_hash("phone", normalise_phone(phone))


def mask_phone(phone: str) -> str:
    """138****1234 for a mobile number; for other lengths keep at most the last 4 digits."""
    digits = normalise_phone(phone)
    if not digits:
        return ""
    if len(digits) >= 11:
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) > 4:
        return "*" * (len(digits) - 4) + digits[-4:]
    return "*" * len(digits)


def mask_id_number(value: str) -> str:
    """110***********123X: the region's first three and the last four characters."""
    value = (value or "").strip()
    if len(value) < 8:
        return "*" * len(value)
    return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"


def mask_name(name: str) -> str:
    """张** : the family name only."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * max(1, len(name) - 1)
