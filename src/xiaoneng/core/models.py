"""Stored files: every uploaded file is a row here plus an object in the default storage.

The bytes live under a random storage name outside any public path (there is no
MEDIA_URL); they are served only by ``core:file_download``, which checks scope.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scoping import ScopedQuerySet


class StoredFile(models.Model):
    """One uploaded file, owned by a unit and optionally attached to the record it belongs to."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="stored_files"
    )
    original_name = models.CharField(_("file name"), max_length=200)
    # What the bytes are (detected from the content), not what the browser claimed.
    kind = models.CharField(_("file type"), max_length=10)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    storage_name = models.CharField(max_length=200, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # The record this file belongs to (a submission, a news item, the unit itself...).
    linked_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    linked_id = models.PositiveBigIntegerField(null=True, blank=True)
    linked_to = GenericForeignKey("linked_type", "linked_id")

    objects = ScopedQuerySet.as_manager()

    scope_unit_field = "unit"

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("file")
        verbose_name_plural = _("files")
        indexes = [models.Index(fields=["linked_type", "linked_id"])]

    def __str__(self) -> str:
        return self.original_name
