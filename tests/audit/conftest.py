"""Helpers for the audit tests: events at a chosen age, raw SQL in a savepoint."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone


def raw_sql(sql: str, params=()) -> int:
    """Run one statement in a savepoint (a failure on PostgreSQL must not poison the test transaction)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


@pytest.fixture
def record_aged():
    """Append an event as if it happened ``days`` ago (Python's clock only; the database's stays real)."""
    from xiaoneng.core.audit.services import audit_record

    def record(days: float, action: str = "test.event", **kwargs):
        with time_machine.travel(timezone.now() - timedelta(days=days), tick=False):
            return audit_record(action, **kwargs)

    return record
