"""Nightly housekeeping removes what is no longer needed and nothing else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from xiaoneng.core.security.models import LoginFailure
from xiaoneng.core.tasks import housekeeping_task


@pytest.mark.django_db
def test_housekeeping_forgets_old_login_failures_only():
    now = timezone.now()
    LoginFailure.objects.create(username="old", ip="10.0.0.1", at=now - timedelta(days=2))
    LoginFailure.objects.create(username="recent", ip="10.0.0.1", at=now - timedelta(minutes=5))
    housekeeping_task.call_local()
    assert list(LoginFailure.objects.values_list("username", flat=True)) == ["recent"]
