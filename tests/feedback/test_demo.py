"""The demo command loads realistic cases once and leaves personal data encrypted."""

from __future__ import annotations

from django.core.management import call_command

from xiaoneng.feedback.models import Case, CaseRequest
from xiaoneng.feedback.selectors import case_clock


def test_demo_cases_load_once_and_show_every_stage(db):
    from xiaoneng.org.demo import demo_load

    demo_load()
    call_command("demo_feedback")
    count = Case.objects.count()
    call_command("demo_feedback")
    assert Case.objects.count() == count == 10
    statuses = set(Case.objects.values_list("status", flat=True))
    assert {"received", "in_progress", "replied", "closed", "declined"} <= statuses
    colours = {case_clock(case).colour for case in Case.objects.all()}
    assert "red" in colours
    assert CaseRequest.objects.filter(status="pending", kind="extension").exists()
    assert Case.objects.filter(paused_since__isnull=False).exists()
    assert not Case.objects.filter(phone_encrypted__contains="139").exists()
