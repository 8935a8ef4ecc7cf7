"""Writing the audit log. Call ``audit_record`` in the same transaction as the change.

Each event is hash-chained to the one before it: its hash covers its own content and the
previous event's hash, so editing a row (or removing one from the middle) shows up in
``audit_verify``. The content is normalised before it is hashed *and* stored (UTC time to
the microsecond, JSON with sorted keys, compressed IP text), so the hash recomputed from
what the database returns matches on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from .guards import MIN_RETENTION_DAYS, TABLE
from .models import AuditEvent, AuditResult

GENESIS = "0" * 64

# Column widths of AuditEvent: content is cut to fit *before* hashing, never by the database.
_LIMITS = {
    "actor_name": 150,
    "action": 64,
    "object_type": 100,
    "object_id": 64,
    "object_repr": 300,
    "request_id": 32,
}


def _client_ip(request: Any) -> str | None:
    if request is None:
        return None
    from xiaoneng.core.security.ip import client_ip

    return client_ip(request)


def normalise_ip(value: Any) -> str | None:
    """One text form per address ("::1", "10.0.0.1"), whatever the database gives back."""
    if value in (None, ""):
        return None
    try:
        return ipaddress.ip_address(str(value).split("/")[0]).compressed
    except ValueError:
        return None


def _text(value: Any, limit: int) -> str:
    # PostgreSQL refuses NUL in text; cut to the column width so storage never truncates.
    return ("" if value is None else str(value)).replace("\x00", "")[:limit]


def _canonical_json(value: Any) -> Any:
    """Plain JSON values that survive a round trip through SQLite's JSON text and PG's jsonb."""
    if isinstance(value, dict):
        return {str(key).replace("\x00", ""): _canonical_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [_canonical_json(item) for item in items]
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        # jsonb writes 1e20 back as an integer; an integral float is hashed as that integer.
        return int(value) if value.is_integer() else value
    if isinstance(value, str):
        return value.replace("\x00", "")
    return _canonical_json(json.loads(json.dumps(value, cls=DjangoJSONEncoder)))


def _utc_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_digest(
    *,
    prev_hash: str,
    at: datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    result: str,
    ip: str | None,
    request_id: str,
    detail: Any,
) -> str:
    """The hash of one event, chained to the previous one."""
    payload = json.dumps(
        {
            "prev": prev_hash,
            "at": _utc_text(at),
            "actor_id": actor_id,
            "actor": actor_name,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "object": object_repr,
            "result": result,
            "ip": normalise_ip(ip) or "",
            "request_id": request_id,
            "detail": _canonical_json(detail),
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _digest_of(event: AuditEvent) -> str:
    return event_digest(
        prev_hash=event.prev_hash,
        at=event.at,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        object_repr=event.object_repr,
        result=event.result,
        ip=event.ip,
        request_id=event.request_id,
        detail=event.detail,
    )


def _lock_chain() -> None:
    # Events are chained, so appends must be serial. SQLite serialises writers already
    # (settings use IMMEDIATE transactions); PostgreSQL takes a transaction-scoped advisory
    # lock. The unique prev_hash is the backstop: a forked chain cannot commit.
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
        object_id = object_id if object_id not in ("", None) else (obj.pk if obj.pk is not None else "")
        object_repr = object_repr or str(obj)
    fields = {
        "actor_id": actor.pk if actor is not None else None,
        "actor_name": _text(actor.get_username() if actor is not None else "", _LIMITS["actor_name"]),
        "action": _text(action, _LIMITS["action"]),
        "object_type": _text(object_type, _LIMITS["object_type"]),
        "object_id": _text(object_id, _LIMITS["object_id"]),
        "object_repr": _text(object_repr, _LIMITS["object_repr"]),
        "result": _text(result, 10),
        "ip": normalise_ip(_client_ip(request)),
        "request_id": _text(getattr(request, "request_id", "") if request is not None else "", 32),
        "detail": _canonical_json(detail or {}),
    }
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        prev_hash = last or GENESIS
        # Microseconds are the finest both databases keep; taken inside the lock so time
        # never runs backwards along the chain.
        at = timezone.now()
        digest = event_digest(prev_hash=prev_hash, at=at, **fields)
        return AuditEvent.objects.create(at=at, prev_hash=prev_hash, hash=digest, **fields)


@dataclass(frozen=True)
class ChainReport:
    """What ``audit_verify`` found: ``first_bad_id`` is the first event that fails, if any."""

    checked: int
    first_bad_id: int | None = None
    reason: str = ""  # "content" (row edited) or "link" (a row before it removed or inserted)
    anchor: str = GENESIS  # prev_hash of the oldest remaining row (the chain's start after a purge)

    @property
    def is_intact(self) -> bool:
        return self.first_bad_id is None


def audit_verify() -> ChainReport:
    """Walk the chain in id order and report the first event whose hash or link does not match."""
    checked = 0
    anchor = GENESIS
    previous_hash: str | None = None
    events = AuditEvent.objects.order_by("id")
    for event in events.iterator(chunk_size=2000):
        if previous_hash is None:
            anchor = event.prev_hash
        elif event.prev_hash != previous_hash:
            return ChainReport(checked=checked, first_bad_id=event.pk, reason="link", anchor=anchor)
        if _digest_of(event) != event.hash:
            return ChainReport(checked=checked, first_bad_id=event.pk, reason="content", anchor=anchor)
        previous_hash = event.hash
        checked += 1
    return ChainReport(checked=checked, anchor=anchor)


def audit_retention_days() -> int:
    """The configured retention, never below the legal six months."""
    return max(MIN_RETENTION_DAYS, int(settings.AUDIT_RETENTION_DAYS))


def audit_purge(*, now: datetime | None = None) -> int:
    """Delete the oldest events past the retention period; returns how many were deleted.

    The ORM refuses deletes, so this is raw SQL; the database trigger still refuses any row
    younger than 180 days. Only a prefix of the chain goes, so what remains verifies from
    its first row.
    """
    cutoff = (now or timezone.now()) - timedelta(days=audit_retention_days())
    with transaction.atomic():
        _lock_chain()
        boundary = (
            AuditEvent.objects.filter(at__gte=cutoff).order_by("id").values_list("id", flat=True).first()
        )
        if boundary is None:
            boundary = (AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE id < %s AND at < %s",  # noqa: S608 - constant table name
                [boundary, connection.ops.adapt_datetimefield_value(cutoff)],
            )
            deleted = cursor.rowcount
        if deleted:
            audit_record(
                "audit.purge",
                object_type="audit.auditevent",
                detail={"deleted": deleted, "older_than": _utc_text(cutoff)},
            )
    return deleted
