"""The audit log: append-only, hash-chained, readable only by the audit administrator."""

from __future__ import annotations

import json

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditResult(models.TextChoices):
    OK = "ok", _("Succeeded")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Failed")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: D401 - refuse, the log is append-only
        raise AuditImmutableError("audit events cannot be updated")

    def delete(self):
        raise AuditImmutableError("audit events cannot be deleted")

    def bulk_create(self, *args, **kwargs):
        # Every event must be chained by services.audit_record; a bulk insert would not be.
        raise AuditImmutableError("audit events are added only through audit_record")


class AuditImmutableError(Exception):
    """Raised when code tries to change or delete an audit event."""


class AuditEvent(models.Model):
    """One thing that happened: who, what, to which object, with what result, from where."""

    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_name = models.CharField(_("user"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    result = models.CharField(_("result"), max_length=10, choices=AuditResult.choices, default=AuditResult.OK)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.CharField(max_length=32, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    # prev_hash is unique: two appends that read the same last row cannot both commit, so
    # the chain never forks even if the lock in services.audit_record were bypassed.
    prev_hash = models.CharField(max_length=64, unique=True)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutableError("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("audit events cannot be deleted")

    @property
    def detail_text(self) -> str:
        """The detail as one line of JSON, for the viewer and the export (escaped by the template)."""
        return json.dumps(self.detail, ensure_ascii=False, sort_keys=True) if self.detail else ""
