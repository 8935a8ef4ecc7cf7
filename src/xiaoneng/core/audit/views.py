"""The audit log screens: list with filters, and export to .xlsx. Audit admin only; both audited."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from .exports import audit_events_xlsx
from .forms import AuditFilterForm
from .models import AuditResult
from .selectors import audit_event_list_for_user, can_read_audit_log
from .services import audit_record

PAGE_SIZE = 50
# The object of a view or export is the log itself (stored data, not a UI label).
LOG_REPR = "audit log"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _refuse_unless_audit_admin(request, action: str) -> None:
    # A refused look at the log is itself worth recording (who tried, from where).
    if not can_read_audit_log(request.user):
        audit_record(
            action,
            request=request,
            object_type="audit.auditevent",
            object_repr=LOG_REPR,
            result=AuditResult.DENIED,
        )
        raise PermissionDenied


def _filtered(request) -> tuple[AuditFilterForm, dict, object]:
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    events = audit_event_list_for_user(user=request.user, filters=filters)
    if form.is_bound and not form.is_valid():
        events = events.none()
    return form, filters, events


@login_required
def event_list(request):
    """The audit log, for the audit administrator only."""
    _refuse_unless_audit_admin(request, "audit.view")
    form, filters, events = _filtered(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read before this view's own event is added
    audit_record(
        "audit.view",
        request=request,
        object_type="audit.auditevent",
        object_repr=LOG_REPR,
        detail={"filters": filters, "page": page.number},
    )
    return render(request, "audit/event_list.html", {"form": form, "page": page})


@login_required
def export(request):
    """The filtered audit log as .xlsx."""
    _refuse_unless_audit_admin(request, "audit.export")
    _form, filters, events = _filtered(request)
    content, rows = audit_events_xlsx(events.iterator(chunk_size=2000))
    audit_record(
        "audit.export",
        request=request,
        object_type="audit.auditevent",
        object_repr=LOG_REPR,
        detail={"filters": filters, "rows": rows},
    )
    response = HttpResponse(content, content_type=XLSX)
    filename = f"audit-log-{timezone.localtime():%Y%m%d-%H%M%S}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
