"""Sign-in rules: password change required, lockout, throttling."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone


def password_change_required(user) -> bool:
    """First login, an admin reset, or an expired password (expiry 0 = never)."""
    if user.must_change_password:
        return True
    days = settings.PASSWORD_EXPIRY_DAYS
    if days and user.password_changed_at and timezone.now() - user.password_changed_at > timedelta(days=days):
        return True
    return False
