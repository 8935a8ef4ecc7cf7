"""Download a stored file (scoped, as an attachment) and upload unit documents."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from xiaoneng.core.audit.services import audit_record
from xiaoneng.core.scoping import get_for_user

from . import selectors, services
from .forms import UnitDocumentUploadForm

logger = logging.getLogger(__name__)

# A downloaded file is never a page: the browser must not sniff it, run it or let it script.
ATTACHMENT_CSP = "sandbox; default-src 'none'"


@login_required
@require_GET
def file_download(request, pk: int):
    """The file's bytes as an attachment under its original name, for users whose scope includes it."""
    stored = selectors.stored_file_get_for_user(user=request.user, pk=pk)
    try:
        handle = default_storage.open(stored.storage_name, "rb")
    except FileNotFoundError as exc:
        logger.error("stored file %s has no bytes at %s", stored.pk, stored.storage_name)
        raise Http404 from exc
    audit_record("file.download", request=request, obj=stored, detail={"unit": stored.unit_id})
    response = FileResponse(handle, as_attachment=True, filename=stored.original_name,
                            content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _unit_for_upload(request, unit_id):
    # Attaching documents is the unit's own work (liaison, unit leader) or the office's; it is
    # not editing the unit record, so the generic write rule applies, not org's office-only one.
    from xiaoneng.org.models import Unit

    return get_for_user(Unit, user=request.user, pk=unit_id, write=True)


@login_required
@require_http_methods(["GET", "POST"])
def file_upload(request):
    """Attach documents to a unit the user may change; every file is checked, all are stored or none."""
    if request.method == "GET":
        unit = _unit_for_upload(request, request.GET.get("unit"))
        form = UnitDocumentUploadForm(initial={"unit": unit.pk})
        return render(request, "core/file_upload.html", {"form": form, "unit": unit,
                                                         "next": request.GET.get("next", "")})
    form = UnitDocumentUploadForm(request.POST, request.FILES)
    unit = _unit_for_upload(request, request.POST.get("unit"))
    next_url = request.POST.get("next", "")
    if form.is_valid():
        try:
            stored = services.file_store_many(uploads=form.cleaned_data["files"], unit=unit, user=request.user,
                                              linked_to=unit, request=request)
        except ValidationError as exc:
            form.add_error("files", exc)
        else:
            messages.success(request, ngettext("%(count)d file uploaded.", "%(count)d files uploaded.",
                                               len(stored)) % {"count": len(stored)})
            if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                                            require_https=request.is_secure()):
                return redirect(next_url)
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "core/file_upload.html", {"form": form, "unit": unit, "next": next_url}, status=400)
