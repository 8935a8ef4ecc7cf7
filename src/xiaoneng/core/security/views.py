"""Sign in (password, then a 6-digit code), sign out, change password, two-factor settings."""

from __future__ import annotations

from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from . import services
from .forms import LoginForm, OtpTokenForm, PasswordChangeForm
from .qr import qr_svg
from .services import LoginStatus, PendingPurpose


def _safe_next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return candidate
    return ""


def _refusal_message(result) -> str:
    """What the login page says; the same words whether or not the account exists."""
    if result.status == LoginStatus.LOCKED:
        return _("This account is locked after too many failed sign-ins. Try again in %(minutes)d minutes.") % {
            "minutes": result.retry_minutes}
    if result.status == LoginStatus.THROTTLED:
        return _("Too many failed sign-ins from this network. Try again in %(minutes)d minutes.") % {
            "minutes": result.retry_minutes}
    return _("Wrong user name or password.")


def _expired_notice(request) -> str:
    reason = request.GET.get("expired")
    if reason == "idle":
        return _("You were signed out after %(minutes)d minutes without activity. Please sign in again.") % {
            "minutes": settings.SESSION_IDLE_MINUTES}
    if reason == "max_age":
        return _("You were signed out after %(hours)d hours. Please sign in again.") % {
            "hours": settings.SESSION_MAX_HOURS}
    return ""


@sensitive_post_parameters("password")
@never_cache
def login_view(request):
    """The password step; sends people with a device to the code step and administrators without one to enrol."""
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    form = LoginForm(data=request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = services.login_attempt(request=request, username=form.cleaned_data["username"],
                                        password=form.cleaned_data["password"], next_url=next_url)
        if result.status == LoginStatus.OK:
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        if result.status == LoginStatus.OTP_REQUIRED:
            return redirect("security:otp_verify")
        if result.status == LoginStatus.ENROL_REQUIRED:
            return redirect("security:otp_enrol")
        form.add_error(None, _refusal_message(result))
        if result.status == LoginStatus.THROTTLED:
            status = 429
    return render(request, "security/login.html",
                  {"form": form, "next": next_url, "notice": _expired_notice(request)}, status=status)


@sensitive_post_parameters("token")
@never_cache
def otp_verify(request):
    """The second step of signing in: the 6-digit code of the person's authenticator app."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    if services.login_pending_user(request=request, purpose=PendingPurpose.VERIFY) is None:
        messages.info(request, _("The sign-in has expired. Please enter your password again."))
        return redirect("security:login")
    form = OtpTokenForm(data=request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        result = services.login_otp_verify(request=request, token=form.cleaned_data["token"])
        if result.status == LoginStatus.OK:
            return redirect(result.next_url or settings.LOGIN_REDIRECT_URL)
        if result.status in (LoginStatus.EXPIRED, LoginStatus.LOCKED):
            if result.status == LoginStatus.LOCKED:
                messages.error(request, _refusal_message(result))
            return redirect("security:login")
        if result.status == LoginStatus.THROTTLED:
            form.add_error(None, _refusal_message(result))
            status = 429
        else:
            form.add_error("token", _("The code is wrong or has already been used. Wait for the next code."))
    return render(request, "security/otp_verify.html", {"form": form}, status=status)


def _secret(device) -> str:
    """The device's secret in base32, in groups of four, for typing into an app by hand."""
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


@sensitive_post_parameters("token")
@never_cache
def otp_enrol(request):
    """Two-factor settings: enrol a device (forced for administrators right after the password), or see it is on."""
    if request.user.is_authenticated:
        user, pending = request.user, False
    else:
        user = services.login_pending_user(request=request, purpose=PendingPurpose.ENROL)
        pending = True
        if user is None:
            return redirect("security:login")
    if not pending and services.user_has_two_factor(user) and user.is_verified():
        return render(request, "security/two_factor.html", {
            "enabled": True, "can_remove": not services.two_factor_required(user), "remove_form": OtpTokenForm()})
    form = OtpTokenForm(data=request.POST or None)
    device = services.otp_device_for_enrolment(user=user)
    if request.method == "POST" and form.is_valid():
        if services.otp_device_confirm(request=request, user=user, token=form.cleaned_data["token"]):
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect(settings.LOGIN_REDIRECT_URL if pending else "security:otp_enrol")
        form.add_error("token", _("The code does not match. Check the time on your phone and try the next code."))
    return render(request, "security/two_factor.html", {
        "enabled": False, "pending": pending, "required": services.two_factor_required(user), "form": form,
        "secret": _secret(device), "qr": qr_svg(device.config_url),
    })


@require_POST
@login_required
@sensitive_post_parameters("token")
def otp_remove(request):
    """Turn two-factor sign-in off (not for administrators), confirmed with a current code."""
    form = OtpTokenForm(data=request.POST)
    can_remove = not services.two_factor_required(request.user)
    if can_remove and form.is_valid():
        if services.otp_device_remove(request=request, user=request.user, token=form.cleaned_data["token"]):
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("security:otp_enrol")
        form.add_error("token", _("The code is wrong or has already been used. Wait for the next code."))
    elif not can_remove:
        form.add_error(None, _("Administrators must keep two-factor sign-in."))
    return render(request, "security/two_factor.html",
                  {"enabled": True, "can_remove": can_remove, "remove_form": form}, status=400)


@never_cache
def logout_view(request):
    """GET asks for confirmation; POST signs out and deletes the session on the server."""
    if not request.user.is_authenticated:
        return redirect("security:login")
    if request.method == "POST":
        services.session_end(request=request, reason="logout")
        return redirect("security:login")
    return render(request, "security/logout.html")


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
def password_change(request):
    """Change one's password (also the forced change at first login, after a reset or on expiry)."""
    form = PasswordChangeForm(request.user, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(request=request, user=request.user, new_password=form.cleaned_data["new_password1"])
        messages.success(request, _("Your password has been changed."))
        return redirect(resolve_url(settings.LOGIN_REDIRECT_URL))
    forced = services.password_change_required(request.user)
    return render(request, "security/password_change.html", {
        "form": form, "forced": forced, "first_login": request.user.must_change_password})
