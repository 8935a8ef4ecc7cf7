"""Backup and restore (check 26): a snapshot under write load restores whole into an empty installation."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tarfile

import pytest

from tests.ops.instances import backends, fresh_instance, wait_for

SEED = """
import json
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from xiaoneng.core.audit.services import audit_record
from xiaoneng.core.jobs.models import Job
from xiaoneng.org.models import Unit, UnitKind, User
bureau = Unit.objects.create(name="备份市卫生健康委员会", kind=UnitKind.BUREAU)
county = Unit.objects.create(name="备份县卫生健康局", kind=UnitKind.COUNTY_BUREAU, parent=bureau)
person = User.objects.create(username="liaison_backup", full_name="备份联络员", unit=county)
audit_record("backup.test", actor=person, obj=county, detail={"note": "留痕"})
Job.objects.create(kind="export.test", status="done", result={"rows": 3})
name = default_storage.save("submissions/2026/报告.docx", ContentFile("正文：备份测试".encode()))
print(json.dumps(name))
"""

CONTENTS = """
import json
from django.core.files.storage import default_storage
from xiaoneng.core.audit.models import AuditEvent
from xiaoneng.core.audit.services import audit_verify
from xiaoneng.core.jobs.models import Job
from xiaoneng.org.models import Unit, User
print(json.dumps({
    "units": sorted(Unit.objects.values_list("name", flat=True)),
    "people": {u.username: [u.full_name, u.unit.name] for u in User.objects.select_related("unit")},
    "audit": list(AuditEvent.objects.filter(action="backup.test").values_list("actor_name", "object_repr")),
    "audit_intact": audit_verify().is_intact,
    "jobs": list(Job.objects.filter(kind="export.test").values_list("status", "result")),
    "file": default_storage.open(FILE_NAME).read().decode(),
}, ensure_ascii=False))
"""

# Appends a job and an audit event per transaction until stopped; prints a line per commit.
WRITER = """
import os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xiaoneng.settings")
import django
django.setup()
from django.db import transaction
from xiaoneng.core.audit.services import audit_record
from xiaoneng.core.jobs.models import Job
n = 0
while True:
    with transaction.atomic():
        job = Job.objects.create(kind="load.test", status="done", result={"n": n})
        audit_record("load.test", obj=job)
    n += 1
    print(n, flush=True)
"""


def _manifest(archive_path) -> dict:
    with tarfile.open(archive_path) as archive:
        return json.load(archive.extractfile("manifest.json"))


@pytest.mark.slow
@pytest.mark.parametrize("backend", backends())
def test_backup_restores_every_row_and_file_into_an_empty_installation(backend, tmp_path):
    archive = tmp_path / "xiaoneng-backup.tar"
    with fresh_instance(backend) as source:
        source.xiaoneng("manage", "migrate", "--no-input", "-v", "0")
        name = source.python(SEED)
        before = source.python(CONTENTS.replace("FILE_NAME", repr(name)))
        out = source.xiaoneng("backup", str(archive)).stdout
        assert "backup written" in out

    manifest = _manifest(archive)
    assert manifest["db_vendor"] == backend
    assert manifest["tables"]["org_unit"] == 2 and manifest["tables"]["audit_auditevent"] >= 1
    assert manifest["files"][name]["size"] == len("正文：备份测试".encode())
    assert archive.stat().st_mode & 0o077 == 0  # the archive holds personal data

    with fresh_instance(backend) as target:
        restored = target.xiaoneng("restore", str(archive))
        assert "all matching the manifest" in restored.stdout
        assert f"{len(manifest['tables'])} tables" in restored.stdout
        after = target.python(CONTENTS.replace("FILE_NAME", repr(name)))
        assert after == before
        assert after["units"] == ["备份县卫生健康局", "备份市卫生健康委员会"]
        assert after["people"] == {"liaison_backup": ["备份联络员", "备份县卫生健康局"]}
        assert after["audit_intact"] is True and after["file"] == "正文：备份测试"
        # The append-only guard survived the restore.
        guarded = target.python(
            "import json\nfrom django.db import connection\nok = False\n"
            "try:\n    connection.cursor().execute(\"DELETE FROM audit_auditevent\")\n"
            "except Exception:\n    ok = True\nprint(json.dumps(ok))"
        )
        assert guarded is True

        again = target.xiaoneng("restore", str(archive), check=False)
        assert again.returncode == 1 and "refusing to restore over existing data" in again.stderr
        forced = target.xiaoneng("restore", "--force", str(archive))
        assert "all matching the manifest" in forced.stdout


@pytest.mark.slow
@pytest.mark.parametrize("backend", backends())
def test_backup_taken_while_rows_are_being_written_is_consistent(backend, tmp_path):
    archive = tmp_path / "under-load.tar"
    with fresh_instance(backend) as source:
        source.xiaoneng("manage", "migrate", "--no-input", "-v", "0")
        writer = subprocess.Popen([sys.executable, "-c", WRITER], env=source.env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True, start_new_session=True)
        source.processes.append(writer)
        try:
            wait_for(lambda: writer.stdout.readline().strip() not in ("", "1", "2", "3", "4"), timeout=30,
                     interval=0, what="the writer to commit a few rows")
            source.xiaoneng("backup", str(archive))
        finally:
            source.stop(writer)
        written = source.python(
            "import json\nfrom xiaoneng.core.jobs.models import Job\n"
            "print(json.dumps(Job.objects.filter(kind='load.test').count()))"
        )

    manifest = _manifest(archive)
    in_backup = manifest["tables"]["jobs_job"]
    assert 5 <= in_backup < written, "the writer kept committing while the backup ran"
    # Each transaction wrote a job and an audit event: a consistent snapshot has as many of each.
    assert manifest["tables"]["audit_auditevent"] == in_backup

    with fresh_instance(backend) as target:
        target.xiaoneng("restore", str(archive))
        counts = target.python(
            "import json\nfrom xiaoneng.core.audit.models import AuditEvent\n"
            "from xiaoneng.core.audit.services import audit_verify\nfrom xiaoneng.core.jobs.models import Job\n"
            "print(json.dumps([Job.objects.count(), AuditEvent.objects.count(), audit_verify().is_intact]))"
        )
        assert counts == [in_backup, in_backup, True]


@pytest.mark.slow
def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    not_a_backup = tmp_path / "notes.tar"
    with tarfile.open(not_a_backup, "w") as archive:
        archive.add(__file__, arcname="notes.py")
    with fresh_instance("sqlite") as target:
        result = target.xiaoneng("restore", str(not_a_backup), check=False)
    assert result.returncode == 1
    assert "not a xiaoneng backup" in result.stderr


def test_killed_writer_helper_is_not_left_running():
    # Guard for the helper above: stop() ends a whole process group.
    with fresh_instance("sqlite") as instance:
        proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
        instance.processes.append(proc)
        instance.stop(proc, signal.SIGTERM)
        assert proc.poll() is not None
