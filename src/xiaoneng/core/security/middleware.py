"""Session policy: idle timeout and absolute cap, forced 2FA enrolment, forced password change."""

from __future__ import annotations

import time

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import services

# Reachable whatever is pending (static files never get here: WhiteNoise serves them first).
ALWAYS_ALLOWED_PREFIXES = ("/static/", "/healthz", "/i18n/")
POLL_HEADER = "X-Xiaoneng-Poll"


def _redirect(request, url: str) -> HttpResponse:
    """A redirect; htmx requests get HX-Redirect so the whole page moves, not a fragment."""
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class SessionPolicyMiddleware:
    """Runs after authentication and django-otp on every request of a signed-in user.

    1. The session ends after SESSION_IDLE_MINUTES without a user action (requests carrying
       ``X-Xiaoneng-Poll: 1`` are background polling and do not count) and SESSION_MAX_HOURS
       after sign-in whatever happens.
    2. An administrator whose session has not passed a second factor enrols a device first.
    3. A forced password change (first login, admin reset, expiry) comes before anything else.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            refusal = self._enforce(request, user)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _enforce(self, request, user):
        now = time.time()
        reason = services.session_expiry_reason(request=request, now=now)
        if reason is not None:
            services.session_end(request=request, reason=reason)
            query = {"expired": reason}
            if request.method == "GET" and not request.headers.get("HX-Request"):
                query["next"] = request.get_full_path()
            return _redirect(request, f"{reverse('security:login')}?{urlencode(query)}")
        if request.headers.get(POLL_HEADER) != "1":
            services.session_touch(request=request, now=now)
        if request.session.get(services.TRACKED_KEY) != request.session.session_key:
            services.session_track(request=request)

        path = request.path_info
        if path.startswith(ALWAYS_ALLOWED_PREFIXES) or path == reverse("security:logout"):
            return None
        if services.two_factor_required(user) and not user.is_verified():
            if services.user_has_two_factor(user):
                # A device exists but this session never passed it: sign in again with the code.
                services.session_end(request=request, reason="two_factor_missing")
                return _redirect(request, reverse("security:login"))
            enrol = reverse("security:otp_enrol")
            return None if path == enrol else _redirect(request, enrol)
        if services.password_change_required(user):
            change = reverse("security:password_change")
            return None if path == change else _redirect(request, change)
        return None
