"""Assessment results: a campaign whose locked rounds score unit A (published), and one that scores only B."""

from __future__ import annotations

from .seeds import KWARG_KINDS, World, seed

KWARG_KINDS.setdefault("campaign_id", "campaign")
KWARG_KINDS.setdefault("round_id", "round")


@seed
def seed_results(world: World) -> None:
    import datetime as dt
    from decimal import Decimal

    from xiaoneng.assessment.results import services
    from xiaoneng.assessment.results.demo import scored_rounds_build
    from xiaoneng.campaigns.models import Campaign

    campaign_a = Campaign.objects.create(title="甲县效能年督查考核", year=2026, start_date=dt.date(2026, 1, 1),
                                         end_date=dt.date(2026, 12, 31))
    rounds_a = scored_rounds_build(campaign=campaign_a, totals=[{world.unit_a: Decimal("88.5")},
                                                                {world.unit_a: Decimal("90")}])
    services.weights_apply(campaign=campaign_a, weights={"assessment": 80, "on_time": 20}, actor=world.office)
    services.publication_publish(campaign=campaign_a, kind="final", actor=world.office)
    world.add_a("campaign", campaign_a)
    world.add_a("round", *rounds_a)

    campaign_b = Campaign.objects.create(pk=world.b_pk(), title="乙七院专项督查考核", year=2026,
                                         start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    rounds_b = scored_rounds_build(campaign=campaign_b, totals=[{world.unit_b: Decimal("77.25")}],
                                   scheme_name="乙七院专用考核细则")
    world.add_b("campaign", campaign_b, "乙七院专项督查考核")
    for round_b in rounds_b:
        world.add_b("round", round_b)
