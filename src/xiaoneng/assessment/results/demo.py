"""Scored rounds built straight in the database: for the demo, the tests and the browser test.

``scored_rounds_build`` writes what the assessment screens would have produced (a scheme, locked
rounds, the units that took part and their settled scores) without walking through scoring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

ROUND_NAMES = ["第一轮督查", "第二轮督查", "第三轮督查", "第四轮督查", "第五轮督查"]


@transaction.atomic
def scored_rounds_build(*, campaign: Any, totals: Sequence[Mapping[Any, Decimal | str | None]], lock: bool = True,
                        scheme_name: str = "效能年活动宣传工作督查考核标准") -> list[Any]:
    """One round per mapping of ``totals`` (unit → total; None = took part, not scored), scored on a
    100-point scheme of two items (宣传发动 40, 信息报送 60); the rounds are locked unless ``lock`` is false."""
    from xiaoneng.assessment.models import Criterion, Round, RoundStatus, RoundUnit, Scheme, SettledScore

    scheme = Scheme.objects.create(name=scheme_name, frozen=True)
    category = Criterion.objects.create(scheme=scheme, order=1, code="一", title="宣传工作", max_points=Decimal("100"))
    first = Criterion.objects.create(scheme=scheme, parent=category, order=1, code="1", title="组织宣传发动",
                                     max_points=Decimal("40"), step=Decimal("0.01"))
    second = Criterion.objects.create(scheme=scheme, parent=category, order=2, code="2", title="新闻信息报送",
                                      max_points=Decimal("60"), step=Decimal("0.01"))
    start = campaign.assessment_rounds.count()
    now = timezone.now()
    rounds = []
    for index, per_unit in enumerate(totals, start=start + 1):
        round_obj = Round.objects.create(
            campaign=campaign, scheme=scheme, name=ROUND_NAMES[index - 1] if index <= len(ROUND_NAMES) else f"第{index}轮",
            order=index, status=RoundStatus.LOCKED if lock else RoundStatus.CLOSED, opened_at=now, closed_at=now,
            locked_at=now if lock else None)
        for unit, total in per_unit.items():
            round_unit = RoundUnit.objects.create(round=round_obj, unit=unit, settled_at=now if total is not None else None)
            if total is None:
                continue
            total = Decimal(str(total))
            part = min(total * Decimal("0.4"), Decimal("40")).quantize(Decimal("0.01"))
            SettledScore.objects.create(round_unit=round_unit, criterion=first, points=part)
            SettledScore.objects.create(round_unit=round_unit, criterion=second, points=total - part)
        rounds.append(round_obj)
    return rounds


def demo_results_load() -> str:
    """On the demo campaign with locked rounds (demo_assessment): composite weights and one publication."""
    from xiaoneng.campaigns.demo import DEMO_TITLE
    from xiaoneng.campaigns.models import Campaign
    from xiaoneng.org.models import User

    from . import selectors, services
    from .models import Publication

    campaign = Campaign.objects.filter(title=DEMO_TITLE).first()
    office = User.objects.filter(username="office").first()
    if campaign is None or office is None:
        return "no demo campaign yet"
    if not selectors.locked_rounds(selectors.rounds_for_campaign(campaign=campaign)):
        return "no locked round yet (run demo_assessment first)"
    if selectors.current_weights(campaign=campaign) is None:
        services.weights_apply(campaign=campaign, actor=office,
                               weights={"assessment": 70, "publicity": 20, "on_time": 10, "satisfaction": 0})
    if not Publication.objects.filter(campaign=campaign).exists():
        services.publication_publish(campaign=campaign, kind="final", actor=office)
    return "composite weights and a publication in place"
