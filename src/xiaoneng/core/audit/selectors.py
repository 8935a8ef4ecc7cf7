"""Reading the audit log: only the audit administrator may (三员分立)."""

from __future__ import annotations

import ipaddress
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import AuditEvent


def can_read_audit_log(user: Any) -> bool:
    """Only an active, signed-in audit administrator reads the log; the system admin does not."""
    from xiaoneng.org.models import Role

    return bool(user and user.is_authenticated and user.is_active and user.has_role(Role.AUDIT_ADMIN))


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_event_list_for_user(*, user: Any, filters: dict | None = None) -> QuerySet[AuditEvent]:
    """The events matching ``filters`` (newest first); PermissionDenied for anyone but the audit admin."""
    if not can_read_audit_log(user):
        raise PermissionDenied
    filters = filters or {}
    events = AuditEvent.objects.order_by("-id")
    if filters.get("date_from"):
        events = events.filter(at__gte=_local_midnight(filters["date_from"]))
    if filters.get("date_to"):
        events = events.filter(at__lt=_local_midnight(filters["date_to"] + timedelta(days=1)))
    if filters.get("user"):
        events = events.filter(actor_name__icontains=filters["user"])
    if filters.get("action"):
        events = events.filter(action__startswith=filters["action"])
    if filters.get("object"):
        text = filters["object"]
        events = events.filter(
            Q(object_repr__icontains=text) | Q(object_type__icontains=text) | Q(object_id=text)
        )
    if filters.get("result"):
        events = events.filter(result=filters["result"])
    if filters.get("ip"):
        text = filters["ip"].strip()
        try:
            events = events.filter(ip=ipaddress.ip_address(text).compressed)
        except ValueError:
            events = events.filter(ip__startswith=text)  # a prefix such as "10.12."
    return events
