"""Test-only helpers around the audit log's database guards."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction

from xiaoneng.core.audit.guards import TABLE, install_guards, remove_guards


@contextmanager
def guards_lifted():
    """Drop the append-only triggers for the duration (an "offline" edit), then put them back."""
    remove_guards(connection)
    try:
        yield
    finally:
        install_guards(connection)


def audit_log_clear() -> None:
    """Empty the audit table so a transactional test's flush (DELETE / TRUNCATE) is not refused."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608 - constant
        if cursor.fetchone()[0] == 0:
            return
        with guards_lifted():
            cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - constant
