"""file_store: bytes and row saved together, under a random name, audited; nothing orphaned."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from xiaoneng.core.files.services import file_orphans_delete, file_store, file_store_many
from xiaoneng.core.models import StoredFile

from . import samples

pytestmark = pytest.mark.django_db


def stored_paths() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def test_stored_file_keeps_bytes_under_a_random_name_with_hash_and_audit(unit_a, liaison_a):
    from xiaoneng.core.audit.models import AuditEvent

    stored = file_store(upload=samples.upload("甲县总结.pdf", samples.PDF), unit=unit_a, user=liaison_a)
    assert (stored.original_name, stored.kind, stored.content_type) == ("甲县总结.pdf", "pdf", "application/pdf")
    assert stored.sha256 == hashlib.sha256(samples.PDF).hexdigest()
    assert stored.size == len(samples.PDF)
    assert "甲县" not in stored.storage_name and "pdf" not in stored.storage_name
    assert (Path(settings.MEDIA_ROOT) / stored.storage_name).read_bytes() == samples.PDF
    assert AuditEvent.objects.filter(action="file.upload", object_id=str(stored.pk), actor=liaison_a).count() == 1


def test_refused_file_leaves_no_row_and_no_bytes(unit_a, liaison_a):
    before = stored_paths()
    with pytest.raises(ValidationError) as caught:
        file_store(upload=samples.upload("通知.pdf", samples.EXE), unit=unit_a, user=liaison_a)
    assert caught.value.code == "executable"
    assert StoredFile.objects.count() == 0
    assert stored_paths() == before


def test_failed_transaction_deletes_the_written_file(unit_a, liaison_a, monkeypatch):
    from xiaoneng.core.files import services

    def broken_audit(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    before = stored_paths()
    with pytest.raises(RuntimeError):
        file_store(upload=samples.upload("总结.pdf", samples.PDF), unit=unit_a, user=liaison_a)
    assert StoredFile.objects.count() == 0
    assert stored_paths() == before


def test_one_bad_file_among_several_stores_none_and_names_the_bad_one(unit_a, liaison_a):
    uploads = [
        samples.upload("总结.pdf", samples.PDF),
        samples.upload("伪装.docx", samples.docm()),
        samples.upload("照片.png", samples.png()),
    ]
    before = stored_paths()
    with pytest.raises(ValidationError) as caught:
        file_store_many(uploads=uploads, unit=unit_a, user=liaison_a)
    assert len(caught.value.messages) == 1
    assert caught.value.messages[0].startswith(("伪装.docx: ", "伪装.docx："))
    assert StoredFile.objects.count() == 0
    assert stored_paths() == before


def test_sending_the_same_file_twice_keeps_one_record(unit_a, liaison_a):
    first = file_store(upload=samples.upload("总结.pdf", samples.PDF), unit=unit_a, user=liaison_a, linked_to=unit_a)
    second = file_store(upload=samples.upload("总结.pdf", samples.PDF), unit=unit_a, user=liaison_a, linked_to=unit_a)
    assert first.pk == second.pk
    assert StoredFile.objects.count() == 1
    assert len(stored_paths()) == 1


def test_orphan_sweep_removes_only_old_bytes_without_a_row(unit_a, liaison_a):
    import os
    import time

    kept = file_store(upload=samples.upload("总结.pdf", samples.PDF), unit=unit_a, user=liaison_a)
    orphan = Path(settings.MEDIA_ROOT) / "2020" / "01" / "deadbeef"
    orphan.parent.mkdir(parents=True, exist_ok=True)
    orphan.write_bytes(b"left by a killed worker")
    old = time.time() - 7 * 3600
    os.utime(orphan, (old, old))
    assert file_orphans_delete() == 1
    assert not orphan.exists()
    assert (Path(settings.MEDIA_ROOT) / kept.storage_name).exists()
