"""Login failures (for lockout and per-IP throttling) and the sessions each user holds."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class LoginFailure(models.Model):
    """One failed sign-in attempt (password or second factor); counted per username and per IP.

    Rows, not counters: a lock is decided by counting rows inside a time window, so two
    concurrent failures can never be lost by a read-modify-write race.
    """

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"], name="security_failure_user_at"),
            models.Index(fields=["ip", "at"], name="security_failure_ip_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username} {self.ip or '-'}"


class UserSession(models.Model):
    """Which session keys belong to whom, so that disabling a user ends all their sessions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id} {self.session_key[:6]}…"
