"""The supervision demo: a covert visit, problems in every state, targets with values; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_demo_shows_every_state_and_loads_once(client):
    from xiaoneng.assessment.supervision.models import InspectionVisit, Problem, Target

    call_command("demo")
    call_command("demo_campaign")
    call_command("demo_supervision")
    call_command("demo_supervision")
    assert InspectionVisit.objects.filter(kind="covert").count() == 1
    assert set(Problem.objects.values_list("status", flat=True)) == {"open", "submitted", "closed"}
    assert Target.objects.filter(operator="<=", unit_of_measure="1/100000").exists()
    page = client.get("/supervision/public/").content.decode()
    assert "示范市第一人民医院" in page and "孙联络" not in page
