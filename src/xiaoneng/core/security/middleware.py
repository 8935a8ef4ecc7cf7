"""Session policy: idle timeout, forced password change, forced 2FA enrolment."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

# Paths reachable while a password change or 2FA enrolment is pending.
ALWAYS_ALLOWED_PREFIXES = ("/static/", "/healthz", "/i18n/", "/account/")


class SessionPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            last = request.session.get("last_activity", now)
            if now - last > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                return redirect(f"{reverse('security:login')}?expired=1")
            # Background polling (htmx every N seconds) must not keep an idle session alive.
            if not request.headers.get("X-Xiaoneng-Poll"):
                request.session["last_activity"] = now
            if not request.path.startswith(ALWAYS_ALLOWED_PREFIXES):
                from .services import password_change_required

                if password_change_required(user):
                    return redirect("security:password_change")
        return self.get_response(request)
