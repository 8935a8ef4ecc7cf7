"""Supervision: visits, findings, problems (with checks, progress and the public wall) and targets of A and B."""

from __future__ import annotations

from .seeds import KWARG_KINDS, World, seed

KWARG_KINDS.setdefault("campaign_pk", "campaign")


@seed
def seed_supervision(world: World) -> None:
    import datetime as dt
    from decimal import Decimal

    from xiaoneng.assessment.supervision import services
    from xiaoneng.assessment.supervision.models import (
        Finding,
        IndicatorValue,
        InspectionVisit,
        Problem,
        ProblemCheck,
        ProblemUpdate,
        Target,
    )
    from xiaoneng.campaigns import services as campaigns
    from xiaoneng.campaigns.models import Campaign, Obligation

    office, unit_a, unit_b = world.office, world.unit_a, world.unit_b
    # A campaign that asks something of unit A (so A's liaison may open it) with a target.
    campaign = campaigns.campaign_create(user=office, title="甲县妇幼健康目标考核", year=2026,
                                         start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    campaigns.obligation_save(user=office, obligation=Obligation(
        campaign=campaign, title="报送目标完成情况", frequency="once", due_date=dt.date(2026, 12, 20)))
    target = services.target_create(campaign=campaign, indicator="孕产妇死亡率", operator="<=", value=Decimal("30"),
                                    unit_of_measure="1/100000", actor=office)
    value_a = services.indicator_value_report(user=office, target=target, unit=unit_a, numerator=Decimal("1"),
                                              denominator=Decimal("8000"), note="甲县上报说明")
    world.add_a("campaign", campaign)
    world.add_a("target", target)

    visit_a = services.visit_create(user=office, unit=unit_a, visit_date=dt.date(2026, 11, 2), kind="covert",
                                    summary="甲县暗访小结")
    finding_a = services.finding_add(user=office, visit=visit_a, description="甲县导诊台无人")
    problem_a = services.finding_to_problem(user=office, finding=finding_a)
    services.problem_update(user=office, problem=problem_a, data={"measures": "甲县安排专人值守"})
    services.problem_check_record(user=office, problem=problem_a, kind="facts", note="甲县已核实")
    update_a = services.problem_progress_add(user=world.liaison_a, problem=problem_a, text="甲县已整改")
    services.problem_publish(user=office, problem=problem_a, public=True)
    world.add_a("visit", visit_a)
    world.add_a("finding", finding_a)
    world.add_a("problem", problem_a)

    # Unit B: rows with explicit far-away ids and distinctive markers, none of them public.
    visit_b = InspectionVisit.objects.create(pk=world.b_pk(), unit=unit_b, visit_date=dt.date(2026, 11, 3),
                                             kind="covert", summary="乙七院暗访机密小结", team_note="乙七院暗访第三方",
                                             created_by=office)
    finding_b = Finding.objects.create(pk=world.b_pk(), visit=visit_b, description="乙七院药房账实不符")
    problem_b = Problem.objects.create(pk=world.b_pk(), unit=unit_b, source="visit", finding=finding_b,
                                       source_ref="乙七院暗访编号B7", description="乙七院收受红包问题",
                                       measures="乙七院整改措施机密", owner=world.liaison_b,
                                       due_date=dt.date(2026, 12, 1))
    ProblemCheck.objects.create(pk=world.b_pk(), problem=problem_b, kind="facts", note="乙七院核查记录")
    ProblemUpdate.objects.create(pk=world.b_pk(), problem=problem_b, kind="progress", text="乙七院整改进展")
    IndicatorValue.objects.create(pk=world.b_pk(), target=target, unit=unit_b, value=Decimal("12"),
                                  note="乙七院上报说明")
    campaign_b = Campaign.objects.create(pk=world.b_pk(), title="乙七院专项目标考核", year=2026,
                                         start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    target_b = Target.objects.create(pk=world.b_pk(), campaign=campaign_b, indicator="乙七院专属指标",
                                     operator=">=", value=Decimal("1"), unit_of_measure="个")
    world.add_b("visit", visit_b, "乙七院暗访机密小结", "乙七院暗访第三方")
    world.add_b("finding", finding_b, "乙七院药房账实不符")
    world.add_b("problem", problem_b, "乙七院收受红包问题", "乙七院整改措施机密", "乙七院暗访编号B7", "乙七院核查记录",
                "乙七院整改进展")
    world.add_b("value", IndicatorValue.objects.get(unit=unit_b), "乙七院上报说明")
    world.add_b("campaign", campaign_b, "乙七院专项目标考核")
    world.add_b("target", target_b, "乙七院专属指标")

    def setter(model, pk, field):
        return lambda value: model.objects.filter(pk=pk).update(**{field: value})

    world.text_setters.extend([
        ("problem description", 5000, setter(Problem, problem_a.pk, "description")),
        ("problem measures", 5000, setter(Problem, problem_a.pk, "measures")),
        ("problem reference", 200, setter(Problem, problem_a.pk, "source_ref")),
        ("finding", 5000, setter(Finding, finding_a.pk, "description")),
        ("visit summary", 5000, setter(InspectionVisit, visit_a.pk, "summary")),
        ("visit team note", 200, setter(InspectionVisit, visit_a.pk, "team_note")),
        ("progress", 5000, setter(ProblemUpdate, update_a.pk, "text")),
        ("check note", 2000, lambda value: ProblemCheck.objects.filter(problem=problem_a).update(note=value)),
        ("target indicator", 200, setter(Target, target.pk, "indicator")),
        ("target period", 50, setter(Target, target.pk, "period")),
        ("value note", 2000, setter(IndicatorValue, value_a.pk, "note")),
    ])
