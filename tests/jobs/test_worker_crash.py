"""A worker killed with kill -9 in the middle of a job: the job is finished once, by the next worker."""

from __future__ import annotations

import signal
import time

import pytest

from tests.ops.instances import backends, fresh_instance, wait_for

LEASE_SECONDS = 3
JOB_SECONDS = 4

JOB_STATE = """
import json
from xiaoneng.core.jobs.models import Job
job = Job.objects.get(pk={pk})
effects = Job.objects.filter(dedupe_key="test-effect:{pk}").count()
print(json.dumps({{"status": job.status, "attempts": job.attempts, "effects": effects, "error": job.last_error}}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("backend", backends())
def test_job_of_a_killed_worker_is_finished_exactly_once_by_the_restarted_worker(backend):
    env = {"XIAONENG_TEST_JOBS": "1", "XIAONENG_JOB_LEASE_SECONDS": str(LEASE_SECONDS)}
    with fresh_instance(backend, extra_env=env) as instance:
        instance.xiaoneng("manage", "migrate", "--no-input", "-v", "0")
        first = instance.start("worker", log_name="worker-1.log")
        job_id = instance.python(
            "import json\nfrom xiaoneng.core.jobs.services import job_enqueue\n"
            f"print(json.dumps(job_enqueue(kind='test.slow', payload={{'seconds': {JOB_SECONDS}}}).pk))"
        )
        runs = instance.data_dir / f"test-job-{job_id}.runs"
        wait_for(runs.exists, timeout=30, what=f"the first worker to start the job\n{instance.log('worker-1.log')}")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)

        left = instance.python(JOB_STATE.format(pk=job_id))
        assert (left["status"], left["attempts"], left["effects"]) == ("running", 1, 0)

        killed_at = time.monotonic()
        instance.start("worker", log_name="worker-2.log")

        def finished():
            state = instance.python(JOB_STATE.format(pk=job_id))
            return state if state["status"] not in ("pending", "running") else None

        final = wait_for(finished, timeout=60, interval=1,
                         what=f"the restarted worker to finish the job\n{instance.log('worker-2.log')}")
        elapsed = time.monotonic() - killed_at

        assert final == {"status": "done", "attempts": 2, "effects": 1, "error": ""}
        assert runs.read_text().splitlines() == ["attempt 1", "attempt 2"]
        # lease + start-up reconcile + the job, with room for a loaded machine
        assert elapsed < 50
        # A late duplicate trigger (the reconciler, a second worker) finds the job done.
        again = instance.python(
            "import json\nfrom xiaoneng.core.jobs.services import job_run\n"
            f"print(json.dumps(job_run({job_id})))"
        )
        assert again is None
        assert len(runs.read_text().splitlines()) == 2
