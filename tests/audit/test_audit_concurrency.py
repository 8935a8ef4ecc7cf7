"""Appends from several threads at once keep one unbroken chain."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from xiaoneng.core.audit.models import AuditEvent
from xiaoneng.core.audit.services import audit_record, audit_verify

THREADS = 6
EVENTS_PER_THREAD = 15


@pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="the SQLite test database is in memory with a shared cache; writers are serial anyway",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_from_threads_keep_a_valid_chain():
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            start.wait()
            for n in range(EVENTS_PER_THREAD):
                audit_record("test.concurrent", object_repr=f"worker {worker} event {n}")
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(worker,)) for worker in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert AuditEvent.objects.filter(action="test.concurrent").count() == THREADS * EVENTS_PER_THREAD
    report = audit_verify()
    assert report.is_intact and report.checked == THREADS * EVENTS_PER_THREAD
    assert connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True)
def test_a_transactional_test_that_writes_audit_rows_is_still_flushed_afterwards():
    # The delete/TRUNCATE guards would refuse the flush; tests/conftest.py empties the log first.
    audit_record("test.flushable")
    assert AuditEvent.objects.count() == 1


def test_the_same_with_the_transactional_db_fixture_requested_by_name(transactional_db):
    audit_record("test.flushable")
    assert AuditEvent.objects.count() == 1
