"""Sign-in rules: lockout, per-IP throttling, two-factor login, sessions and password changes.

The sign-in is two steps. The password step (``login_attempt``) never signs anyone in when a
second factor is due: it keeps a *pending* user id in the session for a few minutes, and only
``login_otp_verify`` (or the forced enrolment, ``otp_device_confirm``) calls Django's ``login()``.

Failures are rows (``LoginFailure``) counted inside a window, per username and per IP:
- an account (any username typed, existing or not, so the answer reveals nothing) is locked
  for LOGIN_LOCK_MINUTES after LOGIN_FAILURE_LIMIT failures within that many minutes;
- an IP is throttled after LOGIN_IP_FAILURE_LIMIT failures within LOGIN_IP_WINDOW_MINUTES.
Successes are never counted, so a hospital behind one NAT address is not locked out by its own
staff signing in. Attempts refused by a lock are audited but not counted, so an attacker who
keeps trying cannot keep an account locked forever.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, login, logout, update_session_auth_hash
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from xiaoneng.core.audit.models import AuditResult
from xiaoneng.core.audit.services import audit_record

from .ip import client_ip
from .models import LoginFailure, UserSession

# Session keys this module owns.
PENDING_KEY = "security_pending"
LOGIN_AT_KEY = "security_login_at"
LAST_ACTIVITY_KEY = "security_last_activity"
TRACKED_KEY = "security_tracked_key"

# How long the password step stays valid while the second factor is asked for.
PENDING_SECONDS = 300
# The idle clock is written at most this often, so that every click is not a session write.
ACTIVITY_GRANULARITY_SECONDS = 15

DEFAULT_BACKEND = "django.contrib.auth.backends.ModelBackend"


class LoginStatus(StrEnum):
    OK = "ok"
    OTP_REQUIRED = "otp_required"
    ENROL_REQUIRED = "enrol_required"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"
    THROTTLED = "throttled"
    EXPIRED = "expired"


class PendingPurpose(StrEnum):
    VERIFY = "verify"
    ENROL = "enrol"


@dataclass(frozen=True)
class LoginResult:
    status: LoginStatus
    user: Any = None
    retry_minutes: int = 0
    next_url: str = ""


# --- Passwords ---------------------------------------------------------------------------

def password_change_required(user) -> bool:
    """First login, an admin reset, or an expired password (expiry 0 = never)."""
    if user.must_change_password:
        return True
    days = settings.PASSWORD_EXPIRY_DAYS
    changed_at = user.password_changed_at or user.date_joined
    return bool(days and changed_at and timezone.now() - changed_at > timedelta(days=days))


@transaction.atomic
def password_change(*, request, user, new_password: str) -> None:
    """Set the user's own new password, clear the forced change, rotate this session and end the others."""
    user.set_password(new_password)
    user.must_change_password = False
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    update_session_auth_hash(request, user)  # rotates the session key
    session_track(request=request)
    current = request.session.session_key
    _sessions_end(UserSession.objects.filter(user=user).exclude(session_key=current))
    audit_record("password.change", request=request, actor=user, obj=user)


@transaction.atomic
def password_reset_by_admin(*, user, password: str, request=None) -> None:
    """An administrator sets a new password: validated, to be changed at next login, sessions ended."""
    validate_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.password_changed_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "password_changed_at"])
    user_sessions_end(user=user)
    audit_record("password.reset", request=request, obj=user)


# --- Lockout and throttling --------------------------------------------------------------

def username_key(username: str) -> str:
    """The form a typed username is counted under (case and surrounding spaces do not matter)."""
    return (username or "").strip().lower()[:150]


def _retry_minutes(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))


def ip_throttled_until(*, ip: str | None, now: datetime) -> datetime | None:
    """When the IP may try again, if it reached the failure limit inside the window."""
    if not ip:
        return None
    limit = settings.LOGIN_IP_FAILURE_LIMIT
    window = timedelta(minutes=settings.LOGIN_IP_WINDOW_MINUTES)
    times = list(
        LoginFailure.objects.filter(ip=ip, at__gt=now - window, at__lte=now)
        .order_by("-at").values_list("at", flat=True)[:limit]
    )
    return times[-1] + window if len(times) >= limit else None


def account_locked_until(*, username: str, now: datetime) -> datetime | None:
    """When the account may try again: locked for N minutes after the limit-th failure within N minutes.

    Failures before the person's last successful login do not count. A username that does not
    exist locks just the same, so the answer never tells whether an account exists.
    """
    key = username_key(username)
    limit = settings.LOGIN_FAILURE_LIMIT
    period = timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    failures = LoginFailure.objects.filter(username=key, at__gt=now - 2 * period, at__lte=now)
    last_login = get_user_model().objects.filter(username__iexact=key).aggregate(last=Max("last_login"))["last"]
    if last_login is not None:
        failures = failures.filter(at__gt=last_login)
    times = list(failures.order_by("-at").values_list("at", flat=True)[:limit])
    if len(times) >= limit and times[0] - times[-1] <= period and now < times[0] + period:
        return times[0] + period
    return None


def _refusal(*, request, username: str, now: datetime, step: str) -> LoginResult | None:
    """The throttle or lock that refuses this attempt before any secret is checked, audited."""
    until = ip_throttled_until(ip=client_ip(request), now=now)
    status, reason = LoginStatus.THROTTLED, "ip_throttled"
    if until is None:
        until = account_locked_until(username=username, now=now)
        status, reason = LoginStatus.LOCKED, "account_locked"
    if until is None:
        return None
    audit_record("login.locked", request=request, actor=None, object_type="org.user",
                 object_repr=username_key(username), result=AuditResult.DENIED,
                 detail={"username": username_key(username), "reason": reason, "step": step})
    return LoginResult(status, retry_minutes=_retry_minutes(until, now))


def _failure(*, request, username: str, now: datetime, step: str) -> LoginResult:
    """Count one failure and audit it; say whether it has just locked the account or the IP."""
    ip = client_ip(request)
    with transaction.atomic():
        LoginFailure.objects.create(username=username_key(username), ip=ip, at=now)
        locked = account_locked_until(username=username, now=now)
        throttled = ip_throttled_until(ip=ip, now=now)
        audit_record("login.failure", request=request, actor=None, object_type="org.user",
                     object_repr=username_key(username), result=AuditResult.FAILED,
                     detail={"username": username_key(username), "step": step,
                             "locked": locked is not None, "ip_throttled": throttled is not None})
    if throttled is not None:
        return LoginResult(LoginStatus.THROTTLED, retry_minutes=_retry_minutes(throttled, now))
    if locked is not None:
        return LoginResult(LoginStatus.LOCKED, retry_minutes=_retry_minutes(locked, now))
    return LoginResult(LoginStatus.BAD_CREDENTIALS)


# --- Signing in --------------------------------------------------------------------------

def login_attempt(*, request, username: str, password: str, next_url: str = "") -> LoginResult:
    """The password step: refuse if throttled or locked, check the password, then sign in or ask for 2FA."""
    now = timezone.now()
    refused = _refusal(request=request, username=username, now=now, step="password")
    if refused is not None:
        return refused
    user = authenticate(request, username=username.strip(), password=password)
    if user is None:  # unknown user, wrong password, or a disabled account: one answer for all
        return _failure(request=request, username=username, now=now, step="password")
    if user_has_two_factor(user):
        purpose = PendingPurpose.VERIFY
    elif user.is_admin_role_holder:
        purpose = PendingPurpose.ENROL
    else:
        login_complete(request=request, user=user)
        return LoginResult(LoginStatus.OK, user=user, next_url=next_url)
    request.session[PENDING_KEY] = {
        "user_id": user.pk, "purpose": str(purpose), "at": time.time(), "next": next_url,
        "backend": getattr(user, "backend", DEFAULT_BACKEND),
    }
    audit_record("login.password", request=request, actor=user, obj=user, detail={"next_step": str(purpose)})
    status = LoginStatus.OTP_REQUIRED if purpose == PendingPurpose.VERIFY else LoginStatus.ENROL_REQUIRED
    return LoginResult(status, user=user, next_url=next_url)


def login_pending_user(*, request, purpose: PendingPurpose):
    """The user who passed the password step for this purpose a few minutes ago, or None."""
    pending = request.session.get(PENDING_KEY)
    if not pending or pending.get("purpose") != purpose:
        return None
    if not 0 <= time.time() - pending.get("at", 0) <= PENDING_SECONDS:
        request.session.pop(PENDING_KEY, None)
        return None
    return get_user_model().objects.filter(pk=pending["user_id"], is_active=True).first()


def login_otp_verify(*, request, token: str) -> LoginResult:
    """The second step: check the 6-digit code of the pending user's device; sign in on success."""
    user = login_pending_user(request=request, purpose=PendingPurpose.VERIFY)
    if user is None:
        return LoginResult(LoginStatus.EXPIRED)
    now = timezone.now()
    refused = _refusal(request=request, username=user.username, now=now, step="otp")
    if refused is not None:
        if refused.status == LoginStatus.LOCKED:
            request.session.pop(PENDING_KEY, None)
        return refused
    with transaction.atomic():
        # Rows locked so that two concurrent uses of one code cannot both pass (last_t check).
        device = next((d for d in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
                       if d.verify_token(token)), None)
    if device is None:
        result = _failure(request=request, username=user.username, now=now, step="otp")
        if result.status == LoginStatus.LOCKED:
            request.session.pop(PENDING_KEY, None)
        return result
    next_url = request.session[PENDING_KEY].get("next", "")
    login_complete(request=request, user=user, device=device)
    return LoginResult(LoginStatus.OK, user=user, next_url=next_url)


def login_complete(*, request, user, device=None) -> None:
    """Sign the user in: a new session key, the verified device, the session clocks; audited."""
    pending = request.session.pop(PENDING_KEY, None) or {}
    with transaction.atomic():
        login(request, user, backend=pending.get("backend") or getattr(user, "backend", None) or DEFAULT_BACKEND)
        if device is not None:
            otp_login(request, device)
        now = time.time()
        request.session[LOGIN_AT_KEY] = now
        request.session[LAST_ACTIVITY_KEY] = now
        session_track(request=request)
        audit_record("login.success", request=request, actor=user, obj=user,
                     detail={"two_factor": device is not None})


# --- Sessions ----------------------------------------------------------------------------

def session_track(*, request) -> None:
    """Record that this session key belongs to the signed-in user (keys change at login and password change)."""
    session = request.session
    if session.session_key is None:
        session.save()
    key = session.session_key
    previous = session.get(TRACKED_KEY)
    if previous == key:
        return
    if previous:
        UserSession.objects.filter(session_key=previous).delete()
    UserSession.objects.update_or_create(session_key=key, defaults={"user_id": request.user.pk})
    session[TRACKED_KEY] = key


def session_expiry_reason(*, request, now: float) -> str | None:
    """'idle' after SESSION_IDLE_MINUTES without a user action, 'max_age' after SESSION_MAX_HOURS, else None."""
    session = request.session
    login_at = session.setdefault(LOGIN_AT_KEY, now)
    last = session.setdefault(LAST_ACTIVITY_KEY, now)
    if now - last > settings.SESSION_IDLE_MINUTES * 60:
        return "idle"
    if now - login_at > settings.SESSION_MAX_HOURS * 3600:
        return "max_age"
    return None


def session_touch(*, request, now: float) -> None:
    """Restart the idle clock (called for user actions, not for background polling)."""
    if now - request.session.get(LAST_ACTIVITY_KEY, 0) >= ACTIVITY_GRANULARITY_SECONDS:
        request.session[LAST_ACTIVITY_KEY] = now


def session_end(*, request, reason: str = "logout") -> None:
    """Sign out: audit, then delete the server-side session and its tracking row."""
    key = request.session.session_key
    if request.user.is_authenticated:
        audit_record("logout", request=request, detail={"reason": reason})
    logout(request)  # flushes: the session row is deleted
    if key:
        UserSession.objects.filter(session_key=key).delete()


def _sessions_end(tracked) -> int:
    """Delete the sessions behind these UserSession rows, whatever the session engine, and the rows."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(tracked.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def user_sessions_end(*, user) -> int:
    """End every session the user holds (on any machine); returns how many were ended."""
    return _sessions_end(UserSession.objects.filter(user=user))


@transaction.atomic
def user_disable(*, user, request=None) -> None:
    """Disable the account and end all its sessions at once; audited."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = user_sessions_end(user=user)
    audit_record("user.disable", request=request, obj=user, detail={"sessions_ended": ended})


# --- Two-factor devices ------------------------------------------------------------------

def user_has_two_factor(user) -> bool:
    """Whether the user has a confirmed TOTP device."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_factor_required(user) -> bool:
    """The three administrator roles must sign in with a second factor."""
    return user.is_admin_role_holder


def otp_device_for_enrolment(*, user) -> TOTPDevice:
    """The user's unconfirmed device, created once so that reloading the page keeps the same secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    return device


def otp_device_confirm(*, request, user, token: str) -> TOTPDevice | None:
    """Confirm the unconfirmed device with a code from the app; it replaces any older device. Audited.

    For a pending (forced) enrolment this completes the sign-in; for a signed-in user it marks
    the session as verified.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-id").first()
        if device is None or not device.verify_token(token):
            audit_record("otp.enrol", request=request, actor=user, obj=user, result=AuditResult.FAILED)
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record("otp.enrol", request=request, actor=user, obj=user)
    if request.user.is_authenticated:
        otp_login(request, device)
    else:
        login_complete(request=request, user=user, device=device)
    return device


def otp_device_remove(*, request, user, token: str) -> bool:
    """Turn two-factor sign-in off after checking a current code; refused for administrators. Audited."""
    if two_factor_required(user):
        raise PermissionDenied
    with transaction.atomic():
        devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
        if not any(device.verify_token(token) for device in devices):
            audit_record("otp.remove", request=request, obj=user, result=AuditResult.FAILED)
            return False
        TOTPDevice.objects.filter(user=user).delete()
        request.session.pop(DEVICE_ID_SESSION_KEY, None)
        audit_record("otp.remove", request=request, obj=user)
    return True
