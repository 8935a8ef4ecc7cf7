"""Home page, health check and error pages."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from . import selectors

logger = logging.getLogger(__name__)


@login_required
def home(request):
    """The user's unit and what needs their attention."""
    return render(request, "core/home.html", {"attention": selectors.attention_items_for_user(user=request.user)})


# What anyone may read without an account, in the order the public looks for it.
PUBLIC_PAGES = [
    ("feedback:public_file", _lazy("File a complaint, report or suggestion"),
     _lazy("Tell the health bureau about a service; you get a tracking code.")),
    ("feedback:public_track", _lazy("Follow your case"), _lazy("With the tracking code, read the reply and rate it.")),
    ("supervision:public_problems", _lazy("Problems found and their rectification"),
     _lazy("What inspections found at each unit and what is being done.")),
    ("publicity_bulletins:public_ranking", _lazy("Publicity rankings"),
     _lazy("The monthly ranking of units' publicity work.")),
    ("assessment_results:public_results", _lazy("Assessment results"),
     _lazy("Published results of the inspection and assessment rounds.")),
    ("feedback_escalation:public_summary", _lazy("Monthly summary of public cases"),
     _lazy("How many cases came in and how many were handled on time.")),
]


@require_GET
def public_index(request):
    """The public's entry page: links to every page published without an account."""
    from django.urls import NoReverseMatch, reverse

    pages = []
    for name, title, text in PUBLIC_PAGES:
        try:
            pages.append({"url": reverse(name), "title": title, "text": text})
        except NoReverseMatch:
            continue
    return render(request, "core/public_index.html", {"pages": pages})


@require_GET
def healthz(request):
    """Database reachable and worker heartbeat recent: 200, else 503 with the reason."""
    from xiaoneng.core.jobs.selectors import worker_health

    status = {"database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        logger.exception("healthz: database check failed")
        status["database"] = "error"
    status["worker"] = worker_health() if status["database"] == "ok" else "unknown"
    healthy = status["database"] == "ok" and status["worker"] == "ok"
    return JsonResponse({"status": "ok" if healthy else "degraded", **status}, status=200 if healthy else 503)


def csrf_failure(request, reason=""):
    return render(request, "core/error.html", {"title": _("Request refused"), "message": _(
        "Your form has expired or was sent from another site. Go back, reload the page and try again.")},
        status=403)


def error_400(request, exception=None):
    return render(request, "core/error.html", {"title": _("Bad request"), "message": _(
        "The request could not be understood.")}, status=400)


def error_403(request, exception=None):
    return render(request, "core/error.html", {"title": _("Access denied"), "message": _(
        "You do not have permission to see this page. It may belong to another unit.")}, status=403)


def error_404(request, exception=None):
    return render(request, "core/error.html", {"title": _("Page not found"), "message": _(
        "The page does not exist or you may not see it.")}, status=404)


def error_500(request):
    """A generic page: no trace, no SQL, only the request id that the logged trace carries too.

    Rendered without the request's context processors, so it does not touch the database or
    the session: the error may be that the database is down.
    """
    request_id = getattr(request, "request_id", "")
    context = {"title": _("Server error"), "request_id": request_id, "message": _(
        "Something went wrong on our side. Quote this reference when you report it:")}
    try:
        body = loader.get_template("core/error.html").render(context)
    except Exception:  # noqa: BLE001 - the page of last resort must not fail in turn
        logger.exception("error page could not be rendered")
        body = f"<!DOCTYPE html><title>500</title><p>{escape(context['message'])} {escape(request_id)}</p>"
    return HttpResponseServerError(body)
