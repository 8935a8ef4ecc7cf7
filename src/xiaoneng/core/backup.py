"""Backup and restore: one tar archive holding a consistent snapshot of the database and files.

Layout of the archive::

    manifest.json       time, app version, database vendor, row count of every table, sha256 of
                        every file; the counts are taken from the snapshot itself
    database.sqlite3    SQLite: a copy made with the online backup API (readers and writers go on)
    database.pgdump     PostgreSQL: ``pg_dump -Fc`` of the same snapshot the counts were taken in
    secret_key          the generated secret key, when the key is not given by the environment
    files/...           the uploaded files (MEDIA_ROOT)

Restore goes into an empty database and data dir (``--force`` replaces existing data), then
counts the rows and hashes the files again and refuses a result that differs from the manifest.
The audit table is append-only by triggers: both paths keep them (SQLite restores the database
file whole; pg_restore creates triggers after loading the data).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing, contextmanager
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
SECRET_MEMBER = "secret_key"  # noqa: S105 - a file name, not a secret
FILES_PREFIX = "files/"
# Tables `migrate` fills on an empty database; rows there do not make a database "in use".
MIGRATE_FILLED = {"django_migrations", "django_content_type", "auth_permission", "django_site"}


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why."""


def _app_version() -> str:
    try:
        return metadata.version("xiaoneng")
    except metadata.PackageNotFoundError:
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- The database ---------------------------------------------------------------------------

def _sqlite_counts(path: Path) -> dict[str, int]:
    with closing(sqlite3.connect(path)) as db:
        names = [row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {name: db.execute(f"SELECT COUNT(*) FROM {_quote(name)}").fetchone()[0] for name in names}  # noqa: S608  # nosec B608 - a table name from the catalogue, quoted


def _sqlite_snapshot(target: Path) -> dict[str, int]:
    """Copy the live database with SQLite's online backup API; count rows in the copy."""
    source_path = Path(settings.DATABASES["default"]["NAME"])
    with closing(sqlite3.connect(source_path, timeout=30)) as source, closing(sqlite3.connect(target)) as copy:
        # pages=-1 copies everything in one step under one read transaction: a consistent snapshot
        # even while other processes keep writing (WAL).
        source.backup(copy, pages=-1)
    return _sqlite_counts(target)


def _pg_env() -> dict[str, str]:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed; install the PostgreSQL client tools")
    return found


def _pg_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    names = [row[0] for row in cursor.fetchall()]
    counts = {}
    for name in names:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608  # nosec B608 - a table name from the catalogue, quoted
        counts[name] = cursor.fetchone()[0]
    return counts


def _pg_snapshot(target: Path) -> dict[str, int]:
    """Count rows in a REPEATABLE READ transaction and dump that very snapshot with pg_dump -Fc."""
    pg_dump = _pg_tool("pg_dump")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _pg_counts(cursor)
        # The snapshot stays valid while this transaction is open.
        result = subprocess.run(  # noqa: S603 - fixed argv
            [pg_dump, "-Fc", "--no-owner", "--no-acl", f"--snapshot={snapshot}", "-f", str(target),
             settings.DATABASES["default"]["NAME"]],
            env=_pg_env(), capture_output=True, text=True, check=False,
        )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return counts


# --- Creating a backup ----------------------------------------------------------------------

def _add_file(archive: tarfile.TarFile, name: str, path: Path) -> str:
    """Add one file, hashing exactly the bytes archived (the file may change meanwhile)."""
    digest = hashlib.sha256()
    with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as copy:
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(chunk)
                copy.write(chunk)
        info = tarfile.TarInfo(name)
        info.size = copy.tell()
        info.mtime = int(path.stat().st_mtime)
        info.mode = 0o640
        copy.seek(0)
        archive.addfile(info, copy)
    return digest.hexdigest()


def backup_create(target: str | os.PathLike) -> dict[str, Any]:
    """Write a snapshot of the database and the uploaded files to one tar archive; return its manifest.

    The database is copied first; files are archived afterwards, so every file a row of the
    snapshot refers to is there (files are stored before the row that names them is committed).
    """
    target = Path(target).resolve()
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups of {vendor} databases are not supported")
    started = timezone.now()
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".xiaoneng-backup-") as work:
        work_dir = Path(work)
        db_member = SQLITE_MEMBER if vendor == "sqlite" else PG_MEMBER
        db_copy = work_dir / db_member
        counts = _sqlite_snapshot(db_copy) if vendor == "sqlite" else _pg_snapshot(db_copy)
        partial = work_dir / "archive.tar"
        files: dict[str, dict[str, Any]] = {}
        with tarfile.open(partial, "w") as archive:
            archive.add(db_copy, arcname=db_member)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                for path in sorted(p for p in media.rglob("*") if p.is_file() and not p.is_symlink()):
                    relative = path.relative_to(media).as_posix()
                    sha = _add_file(archive, FILES_PREFIX + relative, path)
                    files[relative] = {"sha256": sha, "size": archive.getmember(FILES_PREFIX + relative).size}
            key_file = Path(settings.DATA_DIR) / "secret_key"
            has_secret = not os.environ.get("XIAONENG_SECRET_KEY") and key_file.is_file()
            if has_secret:
                archive.add(key_file, arcname=SECRET_MEMBER)
            manifest = {
                "format": FORMAT,
                "app_version": _app_version(),
                "created_at": started.isoformat(),
                "finished_at": timezone.now().isoformat(),
                "db_vendor": vendor,
                "database": db_member,
                "database_sha256": _sha256(db_copy),
                "tables": counts,
                "files": files,
                "secret_key": has_secret,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(started.timestamp())
            archive.addfile(info, io.BytesIO(data))
        os.chmod(partial, 0o600)  # it holds personal data and possibly the secret key
        os.replace(partial, target)
    return manifest


# --- Restoring ------------------------------------------------------------------------------

def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError) as exc:
        raise BackupError("not a xiaoneng backup: manifest.json missing or unreadable") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _database_in_use() -> list[str]:
    """Tables holding rows beyond what `migrate` puts into a new database."""
    tables = set(connection.introspection.table_names())
    busy = []
    with connection.cursor() as cursor:
        for name in sorted(tables - MIGRATE_FILLED):
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(name)} LIMIT 1")  # noqa: S608  # nosec B608 - a table name from the catalogue, quoted
            if cursor.fetchone():
                busy.append(name)
    return busy


def _member_path(name: str) -> str:
    """The path below files/ an archive member stands for; refuses anything that could escape."""
    relative = PurePosixPath(name[len(FILES_PREFIX):])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"unsafe path in the backup: {name}")
    return relative.as_posix()


def _restore_files(archive: tarfile.TarFile, manifest: dict[str, Any], *, force: bool) -> int:
    media = Path(settings.MEDIA_ROOT)
    staging = Path(tempfile.mkdtemp(dir=settings.DATA_DIR, prefix=".restore-files-"))
    try:
        for member in archive.getmembers():
            if not member.name.startswith(FILES_PREFIX):
                continue
            if not member.isfile():
                raise BackupError(f"unexpected entry in the backup: {member.name}")
            relative = _member_path(member.name)
            expected = manifest["files"].get(relative)
            if expected is None:
                raise BackupError(f"file not in the manifest: {relative}")
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(member) as source, destination.open("wb") as out:
                shutil.copyfileobj(source, out)
            os.chmod(destination, settings.FILE_UPLOAD_PERMISSIONS or 0o640)
            if _sha256(destination) != expected["sha256"]:
                raise BackupError(f"file damaged in the backup (sha256 differs): {relative}")
        restored = {p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file()}
        missing = sorted(set(manifest["files"]) - restored)
        if missing:
            raise BackupError(f"files listed in the manifest are missing from the backup: {missing[:5]}")
        if media.exists() and force:
            shutil.rmtree(media)
        media.parent.mkdir(parents=True, exist_ok=True)
        if media.exists():
            media.rmdir()  # empty: checked before anything was changed
        os.replace(staging, media)
        return len(restored)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def _extracted(archive: tarfile.TarFile, member: str):
    with tempfile.TemporaryDirectory(dir=settings.DATA_DIR, prefix=".restore-db-") as work:
        path = Path(work) / member
        try:
            source = archive.extractfile(member)
        except KeyError as exc:
            raise BackupError(f"the backup has no {member}") from exc
        with source, path.open("wb") as out:
            shutil.copyfileobj(source, out)
        yield path


def _restore_sqlite(archive: tarfile.TarFile, manifest: dict[str, Any]) -> None:
    with _extracted(archive, SQLITE_MEMBER) as copy:
        if _sha256(copy) != manifest["database_sha256"]:
            raise BackupError("the database copy in the backup is damaged (sha256 differs)")
        connections.close_all()
        target = Path(settings.DATABASES["default"]["NAME"])
        # The backup API writes the copy into the live database file page by page, WAL and all,
        # keeping its schema, indexes and triggers.
        with closing(sqlite3.connect(copy)) as source, closing(sqlite3.connect(target, timeout=30)) as live:
            source.backup(live, pages=-1)


def _restore_postgresql(archive: tarfile.TarFile, manifest: dict[str, Any], *, replace: bool) -> None:
    pg_restore = _pg_tool("pg_restore")
    with _extracted(archive, PG_MEMBER) as dump:
        if _sha256(dump) != manifest["database_sha256"]:
            raise BackupError("the database dump in the backup is damaged (sha256 differs)")
        connections.close_all()
        argv = [pg_restore, "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
                "-d", settings.DATABASES["default"]["NAME"]]
        if replace:
            argv[1:1] = ["--clean", "--if-exists"]
        result = subprocess.run([*argv, str(dump)], env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _current_counts() -> dict[str, int]:
    connections.close_all()
    if connection.vendor == "sqlite":
        return _sqlite_counts(Path(settings.DATABASES["default"]["NAME"]))
    with connection.cursor() as cursor:
        return _pg_counts(cursor)


def backup_restore(source: str | os.PathLike, *, force: bool = False) -> dict[str, Any]:
    """Restore a backup into an empty database and data dir, verify it, and say what was restored.

    Refuses a database with data or a data dir with files unless ``force``; refuses a backup
    whose database vendor differs from the configured one. Returns the manifest with the
    ``restored`` summary added.
    """
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"no such backup file: {source}")
    with tarfile.open(source, "r:*") as archive:
        manifest = _read_manifest(archive)
        if manifest["db_vendor"] != connection.vendor:
            raise BackupError(f"the backup holds a {manifest['db_vendor']} database; this installation "
                              f"uses {connection.vendor}")
        busy = _database_in_use()
        media = Path(settings.MEDIA_ROOT)
        has_files = media.is_dir() and any(media.iterdir())
        if (busy or has_files) and not force:
            what = ([f"the database has data ({', '.join(busy[:5])})"] if busy else []) + (
                [f"{media} holds files"] if has_files else [])
            raise BackupError("refusing to restore over existing data: " + "; ".join(what)
                              + ". Restore into an empty installation, or pass --force to replace it.")
        has_tables = bool(connection.introspection.table_names())
        if manifest["db_vendor"] == "sqlite":
            _restore_sqlite(archive, manifest)
        else:
            _restore_postgresql(archive, manifest, replace=has_tables)
        file_count = _restore_files(archive, manifest, force=force)
        secret_restored = False
        if manifest.get("secret_key") and not os.environ.get("XIAONENG_SECRET_KEY"):
            key_file = Path(settings.DATA_DIR) / "secret_key"
            with archive.extractfile(SECRET_MEMBER) as key:
                data = key.read()
            fd = os.open(key_file.with_suffix(".restored"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.replace(key_file.with_suffix(".restored"), key_file)
            secret_restored = True

    counts = _current_counts()
    differing = {name: (expected, counts.get(name)) for name, expected in manifest["tables"].items()
                 if counts.get(name) != expected}
    if differing:
        raise BackupError(f"restored row counts differ from the manifest (expected, found): {differing}")
    manifest["restored"] = {"rows": sum(counts[name] for name in manifest["tables"]),
                            "tables": len(manifest["tables"]), "files": file_count,
                            "secret_key": secret_restored}
    return manifest
