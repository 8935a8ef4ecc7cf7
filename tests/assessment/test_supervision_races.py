"""Two people verifying (or asking to close) the same problem at the same moment change it once."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from xiaoneng.assessment.supervision import services
from xiaoneng.assessment.supervision.models import FourCheck, Problem, ProblemUpdate

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks race only on PostgreSQL")]


def run_together(function, times=2):
    barrier = threading.Barrier(times)
    outcomes = []

    def worker():
        barrier.wait()
        try:
            function()
            outcomes.append("ok")
        except ValidationError as exc:
            outcomes.append(exc.code if hasattr(exc, "code") else "invalid")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_two_verifications_at_once_close_the_problem_once(office, liaison_a, unit_a):
    assert connection.vendor == "postgresql"
    problem = services.problem_create(unit=unit_a, description="并发验收", source="other", actor=office,
                                      measures="整改", due_date=dt.date(2026, 12, 31))
    for kind in FourCheck.values:
        services.problem_check_record(user=liaison_a, problem=problem, kind=kind, note="已落实")
    services.problem_submit(user=liaison_a, problem=problem)
    outcomes = run_together(lambda: services.problem_verify(user=office, problem=Problem.objects.get(pk=problem.pk)))
    assert sorted(outcomes) == ["ok", "stale"]
    assert ProblemUpdate.objects.filter(problem=problem, kind="verified").count() == 1


def test_two_requests_to_close_at_once_send_it_once(office, liaison_a, unit_a):
    problem = services.problem_create(unit=unit_a, description="并发申请", source="other", actor=office,
                                      measures="整改", due_date=dt.date(2026, 12, 31))
    for kind in FourCheck.values:
        services.problem_check_record(user=liaison_a, problem=problem, kind=kind, note="已落实")
    outcomes = run_together(lambda: services.problem_submit(user=liaison_a,
                                                            problem=Problem.objects.get(pk=problem.pk)))
    assert sorted(outcomes) == ["ok", "stale"]
    assert ProblemUpdate.objects.filter(problem=problem, kind="submitted").count() == 1
