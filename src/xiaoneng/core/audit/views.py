from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .models import AuditEvent


def event_list(request):
    """The audit log, for the audit administrator only."""
    if not request.user.is_authenticated or not request.user.has_role("audit_admin"):
        raise PermissionDenied
    return render(request, "audit/event_list.html", {"events": AuditEvent.objects.all()[:100]})
