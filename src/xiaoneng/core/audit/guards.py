"""Database-level guards that keep the audit log append-only even for raw SQL.

The ORM already refuses updates and deletes (see models.py); these triggers make the
database refuse them too, so a stray ``cursor.execute("UPDATE ...")`` or an injected
statement fails. Deleting is allowed only for rows older than 180 days (网络安全法 art. 21:
logs kept at least six months); the floor is written into the trigger itself so no
setting can lower it. The purge service deletes within that rule.

The trigger SQL lives here, not only in the migration, because SQLite drops triggers when
a later migration rebuilds the table; ``post_migrate`` re-installs them (idempotently).
"""

from __future__ import annotations

TABLE = "audit_auditevent"
MIN_RETENTION_DAYS = 180

# Django stores SQLite datetimes as UTC text "YYYY-MM-DD HH:MM:SS[.ffffff]", and SQLite's
# datetime('now') is UTC text in the same layout, so text comparison orders them correctly.
_SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'audit events cannot be updated'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON {TABLE}
    WHEN NOT (OLD.at < datetime('now', '-{MIN_RETENTION_DAYS} days'))
    BEGIN SELECT RAISE(ABORT, 'audit events younger than {MIN_RETENTION_DAYS} days cannot be deleted'); END""",
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
]

_PG_INSTALL = [
    """CREATE OR REPLACE FUNCTION audit_event_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit events cannot be updated' USING ERRCODE = 'insufficient_privilege';
    END $$""",
    f"""CREATE OR REPLACE FUNCTION audit_event_refuse_young_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT (OLD.at < now() - interval '{MIN_RETENTION_DAYS} days') THEN
            RAISE EXCEPTION 'audit events younger than {MIN_RETENTION_DAYS} days cannot be deleted'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN OLD;
    END $$""",
    # TRUNCATE skips row triggers, so it gets its own rule: allowed only when every row
    # could have been deleted one by one anyway (e.g. an already emptied test database).
    f"""CREATE OR REPLACE FUNCTION audit_event_refuse_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM {TABLE} WHERE NOT (at < now() - interval '{MIN_RETENTION_DAYS} days')) THEN
            RAISE EXCEPTION 'audit events younger than {MIN_RETENTION_DAYS} days cannot be deleted'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NULL;
    END $$""",  # noqa: S608 - constants only
    f"DROP TRIGGER IF EXISTS audit_event_no_update ON {TABLE}",
    f"""CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_update()""",
    f"DROP TRIGGER IF EXISTS audit_event_no_delete ON {TABLE}",
    f"""CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_young_delete()""",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
    f"""CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_truncate()""",
]
_PG_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_event_no_update ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_event_no_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS audit_event_no_truncate ON {TABLE}",
]


def _statements(connection, *, install: bool) -> list[str]:
    if connection.vendor == "sqlite":
        return _SQLITE_INSTALL if install else _SQLITE_REMOVE
    if connection.vendor == "postgresql":
        return _PG_INSTALL if install else _PG_REMOVE
    raise NotImplementedError(f"no audit guards for database vendor {connection.vendor!r}")


def install_guards(connection) -> None:
    """Create the triggers that refuse UPDATE and young DELETE on the audit table (idempotent)."""
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=True):
            cursor.execute(statement)


def remove_guards(connection) -> None:
    """Drop the triggers (used by the migration's reverse and by tests that tamper on purpose)."""
    with connection.cursor() as cursor:
        for statement in _statements(connection, install=False):
            cursor.execute(statement)


def guards_installed(connection) -> bool:
    """Whether both row triggers exist on the audit table."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
                "AND name IN ('audit_event_no_update', 'audit_event_no_delete')",
                [TABLE],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass "
                "AND tgname IN ('audit_event_no_update', 'audit_event_no_delete')",
                [TABLE],
            )
        return cursor.fetchone()[0] == 2
