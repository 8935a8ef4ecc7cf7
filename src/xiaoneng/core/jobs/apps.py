import os

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "xiaoneng.core.jobs"
    label = "jobs"

    def ready(self) -> None:
        # Job kinds used only by the crash tests (tests/jobs): never registered in production.
        if os.environ.get("XIAONENG_TEST_JOBS") == "1":
            from . import testing_jobs  # noqa: F401
