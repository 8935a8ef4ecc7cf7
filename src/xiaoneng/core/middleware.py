"""Request ids for tracing, and the security headers every response carries."""

from __future__ import annotations

import contextvars
import logging
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings

# A context variable, not a thread-local: correct under gunicorn's threads and under asyncio,
# and reset (not merely overwritten) when a request ends.
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("xiaoneng_request_id", default="-")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,32}$")

# self only: no inline script or style, no other origin (PIPL art. 36: nothing from a CDN).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def current_request_id() -> str:
    """The id of the request (or job) this code runs for, "-" outside one."""
    return _request_id.get()


@contextmanager
def log_context(request_id: str) -> Iterator[None]:
    """Tag every log line written inside the block with ``request_id`` (used for jobs too)."""
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


def _request_id_for(request) -> str:
    # Behind a trusted proxy, keep the proxy's id so one id follows the request through both
    # logs; otherwise a client could choose the id, so make our own.
    if settings.TRUSTED_PROXY_COUNT > 0:
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        if _SAFE_ID.match(given):
            return given
    return secrets.token_hex(8)


class RequestIdMiddleware:
    """Give each request an id, echoed in the response and in every log line it causes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = _request_id_for(request)
        with log_context(request.request_id):
            response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


class RequestIdLogFilter(logging.Filter):
    """Put the current request id on each record, for the ``%(request_id)s`` format field."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class SecurityHeadersMiddleware:
    """A strict CSP, no caching of pages with personal data, and a locked-down permissions policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "geolocation=(), microphone=(), camera=(self), payment=()")
        if not request.path.startswith("/static/"):
            response.setdefault("Cache-Control", "no-store")
        return response
