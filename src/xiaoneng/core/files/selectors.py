"""Reads of stored files, always through unit scoping."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from xiaoneng.core.models import StoredFile
from xiaoneng.core.scoping import get_for_user, scope_queryset


def stored_file_get_for_user(*, user: Any, pk: Any) -> StoredFile:
    """A file the user may see (403 for another unit's file, 404 for none)."""
    return get_for_user(StoredFile, user=user, pk=pk)


def stored_file_list_for_user(*, user: Any, linked_to: models.Model) -> QuerySet[StoredFile]:
    """The files attached to ``linked_to`` that the user may see, newest first."""
    linked_type = ContentType.objects.get_for_model(linked_to)
    files = StoredFile.objects.filter(linked_type=linked_type, linked_id=linked_to.pk)
    return scope_queryset(files.select_related("uploaded_by"), user)
