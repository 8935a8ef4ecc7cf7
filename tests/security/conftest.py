"""Fixtures for the sign-in and session checks (SECURITY-CHECKS 1–6)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hundreds of sign-ins per test: hash with MD5 here (never in production) so that the
    # checks run in seconds. The personas are built after this fixture, with the same hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def now():
    """A fixed starting time for tests that travel."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
