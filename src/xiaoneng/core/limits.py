"""Request limits enforced before Django reads a body into Python.

Django's own limits (DATA_UPLOAD_MAX_NUMBER_FILES, DATA_UPLOAD_MAX_MEMORY_SIZE) act while
the body is parsed; a 25 MB upload should be refused from its Content-Length alone, so it
never reaches the upload handlers, the disk or a view.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def declared_length(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except (TypeError, ValueError):
        return 0


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose declared body exceeds settings.REQUEST_MAX_BYTES."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = declared_length(request)
        limit = settings.REQUEST_MAX_BYTES
        if length > limit:
            logger.warning("request refused: body of %s bytes exceeds %s", length, limit)
            limit_mb = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
            response = render(request, "core/error.html", {
                "title": _("Upload too large"),
                "message": _("What you sent is larger than the limit of %(limit)s MB per file. Make the file "
                             "smaller (for example save pictures at a lower resolution or split the document) "
                             "and try again.") % {"limit": limit_mb},
            }, status=413)
            return response
        return self.get_response(request)
