"""The secrets of anonymous answering: form keys, browser cookies, period secrets, paper codes.

Nothing here is stored next to a response. The browser cookie is a random value kept by the
browser; the server keeps only HMAC(period secret, cookie, distribution), and the period
secret is deleted when the period is over (``period_secrets_purge``), after which the tokens
of that period cannot be recomputed or joined to anything.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.utils.crypto import salted_hmac

from xiaoneng.core.codes import CODE_ALPHABET, normalise_code, random_code  # noqa: F401 - re-exported

CODE_LENGTH = 10
DEVICE_COOKIE = "xn_survey_device"


def new_form_key() -> str:
    return secrets.token_urlsafe(24)


def new_device_cookie() -> str:
    return secrets.token_urlsafe(24)


def new_distribution_token() -> str:
    return secrets.token_urlsafe(16)


def new_period_secret() -> str:
    return secrets.token_hex(32)


def new_paper_code() -> str:
    return random_code(CODE_LENGTH)


def paper_code_hash(code: str) -> str:
    return salted_hmac("xiaoneng.surveys.paper-code", normalise_code(code), algorithm="sha256").hexdigest()


def device_token(period_secret: str, cookie: str, distribution_id: int) -> str:
    message = f"{distribution_id}:{cookie}".encode()
    return hmac.new(bytes.fromhex(period_secret), message, hashlib.sha256).hexdigest()


def form_key_digest(form_key: str) -> str:
    """Stored instead of the key itself, so a leaked table cannot be replayed against forms."""
    return hashlib.sha256(form_key.encode()).hexdigest()
