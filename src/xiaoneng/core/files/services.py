"""Writes on stored files: the bytes and the row are saved together or not at all."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.audit.services import audit_record
from xiaoneng.core.models import StoredFile

from .checks import BUSINESS_KINDS, CheckedUpload, check_upload


def _new_storage_name() -> str:
    # Random and unrelated to what the user called the file: nothing to guess, nothing to inject.
    now = timezone.now()
    return f"{now:%Y/%m}/{secrets.token_hex(16)}"


def _check_all(uploads: Iterable[Any], allowed_kinds: frozenset[str]) -> list[CheckedUpload]:
    """Check every file; one refusal refuses the lot, with a message naming each bad file."""
    checked: list[CheckedUpload] = []
    errors: list[ValidationError] = []
    for upload in uploads:
        try:
            checked.append(check_upload(upload, allowed_kinds=allowed_kinds))
        except ValidationError as exc:
            reason = " ".join(exc.messages)
            errors.append(ValidationError(
                _("%(name)s: %(reason)s"), code=exc.code or "invalid",
                params={"name": getattr(upload, "name", "") or "?", "reason": reason}))
    if errors:
        raise ValidationError(errors)
    if not checked:
        raise ValidationError(_("Choose at least one file."), code="required")
    return checked


def file_store_many(
    *, uploads: Iterable[Any], unit: Any, user: Any, allowed_kinds: frozenset[str] = BUSINESS_KINDS,
    linked_to: models.Model | None = None, request: Any = None,
) -> list[StoredFile]:
    """Check all ``uploads`` by content, then store them for ``unit``: all of them, or none (audited)."""
    checked = _check_all(uploads, allowed_kinds)
    return _store_checked(checked, unit=unit, user=user, linked_to=linked_to, request=request)


def file_store(
    *, upload: Any, unit: Any, user: Any, allowed_kinds: frozenset[str] = BUSINESS_KINDS,
    linked_to: models.Model | None = None, request: Any = None,
) -> StoredFile:
    """Check one upload by content and store it for ``unit``; ValidationError (with a code) if refused."""
    checked = check_upload(upload, allowed_kinds=allowed_kinds)
    return _store_checked([checked], unit=unit, user=user, linked_to=linked_to, request=request)[0]


def _store_checked(checked: list[CheckedUpload], *, unit, user, linked_to, request) -> list[StoredFile]:
    linked_type = ContentType.objects.get_for_model(linked_to) if linked_to is not None else None
    linked_id = linked_to.pk if linked_to is not None else None
    written: list[str] = []
    try:
        # Bytes first, then the rows in one transaction; if the transaction fails the bytes go.
        # (Inside a caller's transaction that later rolls back, file_orphans_delete cleans up.)
        pending: list[tuple[CheckedUpload, str | None]] = []
        for item in checked:
            duplicate = StoredFile.objects.filter(
                unit=unit, linked_type=linked_type, linked_id=linked_id, sha256=item.sha256,
                original_name=item.name,
            ).exists()
            if duplicate:  # the same file sent twice (a double submit): keep one
                pending.append((item, None))
                continue
            item.content.seek(0)
            name = default_storage.save(_new_storage_name(), File(item.content))
            written.append(name)
            pending.append((item, name))
        with transaction.atomic():
            stored = [_record(item, name, unit=unit, user=user, linked_type=linked_type, linked_id=linked_id,
                              request=request) for item, name in pending]
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return stored


def _record(item: CheckedUpload, storage_name: str | None, *, unit, user, linked_type, linked_id,
            request) -> StoredFile:
    if storage_name is None:
        return StoredFile.objects.get(unit=unit, linked_type=linked_type, linked_id=linked_id,
                                      sha256=item.sha256, original_name=item.name)
    row = StoredFile.objects.create(
        unit=unit, original_name=item.name, kind=item.kind, content_type=item.content_type, size=item.size,
        sha256=item.sha256, storage_name=storage_name, uploaded_by=user if user is not None and user.pk else None,
        linked_type=linked_type, linked_id=linked_id,
    )
    audit_record("file.upload", request=request, actor=user, obj=row,
                 detail={"unit": unit.pk, "kind": item.kind, "size": item.size, "sha256": item.sha256})
    return row


def file_orphans_delete(*, older_than: timedelta = timedelta(hours=6)) -> int:
    """Delete stored bytes that no row refers to (left by a process killed between write and commit)."""
    known = set(StoredFile.objects.values_list("storage_name", flat=True))
    cutoff = timezone.now() - older_than
    removed = 0

    def walk(path: str) -> None:
        nonlocal removed
        directories, files = default_storage.listdir(path)
        for name in files:
            full = f"{path}/{name}" if path else name
            if full in known:
                continue
            try:
                modified = default_storage.get_modified_time(full)
            except (NotImplementedError, OSError):
                continue
            if modified < cutoff:
                default_storage.delete(full)
                removed += 1
        for directory in directories:
            walk(f"{path}/{directory}" if path else directory)

    try:
        walk("")
    except FileNotFoundError:
        return 0
    return removed
