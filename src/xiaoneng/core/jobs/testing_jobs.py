"""Job kinds for the crash tests; imported only when XIAONENG_TEST_JOBS=1 (see apps.ready).

``test.slow`` appends a line to a file each time it starts (so a test can count executions,
including the one a killed worker never finished), works for a few seconds, then records its
effect idempotently: a row keyed by the job id, created with get_or_create.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Job, JobStatus
from .registry import job_handler

EFFECT_KIND = "test.effect"


def executions_file(job_id: int) -> Path:
    return Path(settings.DATA_DIR) / f"test-job-{job_id}.runs"


@job_handler("test.slow")
def slow_job(job: Job) -> dict:
    with executions_file(job.pk).open("a") as handle:
        handle.write(f"attempt {job.attempts}\n")
    time.sleep(float(job.payload.get("seconds", 3)))
    with transaction.atomic():
        effect, created = Job.objects.get_or_create(
            dedupe_key=f"test-effect:{job.pk}",
            defaults={"kind": EFFECT_KIND, "status": JobStatus.DONE, "payload": {"for_job": job.pk}},
        )
    return {"effect_id": effect.pk, "created": created}
