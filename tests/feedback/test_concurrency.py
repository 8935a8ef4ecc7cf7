"""Check 22 for cases: 20 concurrent submissions of one form load make one case with one code."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from xiaoneng.feedback import services
from xiaoneng.feedback.models import Case, CaseEvent

ON_POSTGRES = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="the SQLite test database is in memory with a shared cache, where concurrent writers fail "
           "with 'table is locked' instead of queueing; run with XIAONENG_DATABASE_URL=postgres://...")


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_identical_submissions_make_one_case(bureau):
    results, errors = [], []
    start = threading.Barrier(20)

    def submit():
        try:
            start.wait()
            filed = services.case_file(kind="complaint", unit=None, what="同一表单连续提交二十次", phone="13812345678",
                                       submission_key="one-form-load-key-000000001")
            results.append(filed.tracking_code)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Case.objects.count() == 1
    assert len(set(results)) == 1 and len(results) == 20
    assert CaseEvent.objects.filter(kind="filed").count() == 1


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_change_the_case_once(bureau, office):
    filed = services.case_file(kind="complaint", unit=None, what="并发受理", phone="13812345678")
    outcomes = []
    start = threading.Barrier(8)

    def accept():
        try:
            start.wait()
            services.case_accept(case_id=filed.case.pk, actor=office)
            outcomes.append("ok")
        except services.CaseConflict:
            outcomes.append("conflict")
        except Exception as exc:  # noqa: BLE001
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["ok"]
    assert CaseEvent.objects.filter(kind="accepted").count() == 1
