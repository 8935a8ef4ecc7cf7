"""Writing the audit log. Call ``audit_record`` in the same transaction as the change."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .models import AuditEvent, AuditResult

GENESIS = "0" * 64


def _client_ip(request: Any) -> str | None:
    if request is None:
        return None
    from xiaoneng.core.security.ip import client_ip

    return client_ip(request)


def event_digest(*, prev_hash: str, at, actor_name: str, action: str, object_type: str, object_id: str,
                 object_repr: str, result: str, ip: str | None, detail: dict) -> str:
    """The hash of one event, chained to the previous one."""
    payload = json.dumps(
        [prev_hash, at.isoformat(), actor_name, action, object_type, object_id, object_repr, result, ip or "",
         detail],
        ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _lock_chain() -> None:
    # Events are chained, so appends must be serial. SQLite serialises writers already
    # (IMMEDIATE transactions); PostgreSQL takes a transaction-scoped advisory lock.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7428001)")


def audit_record(
    action: str,
    *,
    request: Any = None,
    actor: Any = None,
    obj: Any = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    result: str = AuditResult.OK,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event to the log (actor and IP taken from ``request`` when given)."""
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)[:300]
    actor_name = (actor.get_username() if actor is not None else "") or ""
    detail = detail or {}
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        prev_hash = last or GENESIS
        at = timezone.now()
        fields = {
            "at": at,
            "actor_name": actor_name,
            "action": action,
            "object_type": object_type,
            "object_id": str(object_id),
            "object_repr": object_repr[:300],
            "result": str(result),
            "ip": _client_ip(request),
            "detail": detail,
        }
        digest = event_digest(prev_hash=prev_hash, **fields)
        return AuditEvent.objects.create(
            actor=actor, request_id=getattr(request, "request_id", "") if request else "", prev_hash=prev_hash,
            hash=digest, **fields,
        )
