"""The demo command: a realistic scheme, three rounds (two locked with scores, one open), idempotent."""

import pytest
from django.core.management import call_command

from xiaoneng.assessment.models import Round, RoundStatus, Scheme
from xiaoneng.assessment.selectors import round_unit_totals, rounds_for_campaign, scheme_total

pytestmark = pytest.mark.django_db


def test_demo_assessment_loads_once_with_two_locked_rounds_and_one_open():
    call_command("demo")
    call_command("demo_campaign")
    call_command("demo_assessment")
    call_command("demo_assessment")
    scheme = Scheme.objects.get()
    assert scheme_total(scheme) == 100
    rounds = rounds_for_campaign(campaign=Round.objects.first().campaign)
    assert [r.status for r in rounds] == [RoundStatus.LOCKED, RoundStatus.LOCKED, RoundStatus.OPEN]
    totals = round_unit_totals(round_ids=[r.pk for r in rounds])
    assert len([k for k in totals if k[0] == rounds[0].pk]) == 21
    assert len([k for k in totals if k[0] == rounds[1].pk]) == 20  # one unit absent from round 2
    assert all(0 < total <= 100 for total in totals.values())
