"""Durable jobs: the row is the truth, a trigger runs it at most once at a time, the reconciler re-runs leftovers."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.utils import timezone

from xiaoneng.core.jobs import registry
from xiaoneng.core.jobs.models import Job, JobStatus
from xiaoneng.core.jobs.services import job_enqueue, job_run, jobs_reconcile


@pytest.fixture
def runs(monkeypatch):
    """A job kind 'test.count' that records each execution; set .fail to make it raise."""

    class Recorder(list):
        fail: Exception | None = None

    recorder = Recorder()

    def handler(job):
        recorder.append(job.attempts)
        if recorder.fail is not None:
            raise recorder.fail
        return {"seen": job.payload.get("n")}

    monkeypatch.setitem(registry.HANDLERS, "test.count", handler)
    return recorder


def _leftover(**fields) -> Job:
    defaults = {"kind": "test.count", "status": JobStatus.RUNNING, "attempts": 1,
                "lease_expires_at": timezone.now() - timedelta(seconds=1)}
    return Job.objects.create(**(defaults | fields))


@pytest.mark.django_db
def test_enqueued_job_runs_once_the_transaction_commits_and_keeps_its_result(runs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="test.count", payload={"n": 7})
        assert runs == []  # nothing runs before the commit
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result, job.finished_at is not None) == ("done", 1, {"seen": 7}, True)
    assert runs == [1]


@pytest.mark.django_db
def test_a_second_trigger_of_a_finished_job_does_nothing(runs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="test.count")
    assert job_run(job.pk) is None
    assert runs == [1]


@pytest.mark.django_db
def test_same_dedupe_key_gives_the_same_job(runs):
    first = job_enqueue(kind="test.count", dedupe_key="export:2026-11")
    second = job_enqueue(kind="test.count", dedupe_key="export:2026-11")
    assert first.pk == second.pk
    assert Job.objects.count() == 1


@pytest.mark.django_db
def test_enqueue_of_an_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="no handler"):
        job_enqueue(kind="no.such.kind")
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_failing_job_keeps_the_reason_is_retried_and_finally_fails(runs, settings):
    settings.JOB_MAX_ATTEMPTS = 2
    runs.fail = KeyError("unit 42")  # a LookupError from the handler is an ordinary failure
    job = Job.objects.create(kind="test.count")
    assert job_run(job.pk) == JobStatus.PENDING
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("pending", 1)
    assert "KeyError" in job.last_error and "unit 42" in job.last_error

    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert jobs_reconcile() == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.attempts, job.finished_at is not None) == ("failed", 2, True)
    assert runs == [1, 2]


@pytest.mark.django_db
def test_job_of_an_unknown_kind_fails_at_once_with_the_reason(runs):
    job = Job.objects.create(kind="removed.kind")
    assert job_run(job.pk) == JobStatus.FAILED
    job.refresh_from_db()
    assert job.status == "failed" and "removed.kind" in job.last_error


@pytest.mark.django_db
def test_reconciler_runs_again_a_job_whose_worker_died(runs):
    job = _leftover()
    assert jobs_reconcile() == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("done", 2)
    assert runs == [2]


@pytest.mark.django_db
def test_reconciler_leaves_a_job_with_a_live_lease_alone(runs):
    job = _leftover(lease_expires_at=timezone.now() + timedelta(seconds=60))
    assert jobs_reconcile() == []
    job.refresh_from_db()
    assert job.status == "running"
    assert runs == []


@pytest.mark.django_db
def test_reconciler_picks_up_a_pending_job_never_triggered_only_after_the_grace_time(runs):
    job = Job.objects.create(kind="test.count")
    assert jobs_reconcile(pending_grace_seconds=30) == []
    assert jobs_reconcile(pending_grace_seconds=0) == [job.pk]
    job.refresh_from_db()
    assert job.status == "done"


@pytest.mark.django_db
def test_reconciler_gives_up_on_a_job_that_stopped_the_worker_on_every_attempt(runs, settings):
    settings.JOB_MAX_ATTEMPTS = 3
    job = _leftover(attempts=3)
    assert jobs_reconcile() == []
    job.refresh_from_db()
    assert job.status == "failed" and "every attempt" in job.last_error
    assert runs == []


@pytest.mark.django_db
def test_a_run_that_lost_its_lease_cannot_overwrite_the_newer_run(monkeypatch):
    def handler(job):
        # Meanwhile the reconciler handed the job to another worker, which claimed it.
        Job.objects.filter(pk=job.pk).update(attempts=job.attempts + 1)
        return {"stale": True}

    monkeypatch.setitem(registry.HANDLERS, "test.slowpoke", handler)
    job = Job.objects.create(kind="test.slowpoke")
    job_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.result) == ("running", 2, {})


@pytest.mark.django_db(transaction=True)
def test_a_live_worker_keeps_renewing_the_lease_of_a_long_job(monkeypatch, settings):
    settings.JOB_LEASE_SECONDS = 1
    leases = []

    def handler(job):
        leases.append(Job.objects.get(pk=job.pk).lease_expires_at)
        time.sleep(1.6)
        leases.append(Job.objects.get(pk=job.pk).lease_expires_at)
        return {}

    monkeypatch.setitem(registry.HANDLERS, "test.long", handler)
    job = Job.objects.create(kind="test.long")
    assert job_run(job.pk) == JobStatus.DONE
    assert leases[1] > leases[0]
    assert leases[1] > timezone.now() - timedelta(seconds=1)


@pytest.mark.django_db
def test_person_sees_the_status_of_their_own_job_only(client_for, office, liaison_a, runs):
    job = Job.objects.create(kind="test.count", created_by=office)
    assert client_for(office).get(f"/jobs/{job.pk}/").status_code == 200
    assert client_for(liaison_a).get(f"/jobs/{job.pk}/").status_code == 404


def test_heartbeat_and_reconciler_are_periodic_tasks_of_the_worker():
    from huey.api import PeriodicTask

    from xiaoneng.core.jobs import tasks

    assert isinstance(tasks.heartbeat_task.task_class(), PeriodicTask)
    assert isinstance(tasks.reconcile_task.task_class(), PeriodicTask)
