"""Assessment: a locked round that scored unit A (its liaison sees the result), and a round of B only.

B's round has its own scheme, team and notes with distinctive markers: liaison A must meet none of
them (scheme, round and score pages are the office's and the inspectors'; a unit sees its own
settled result once the round is locked).
"""

from __future__ import annotations

from .seeds import KWARG_KINDS, World, seed

KWARG_KINDS.setdefault("scheme_pk", "scheme")
KWARG_KINDS.setdefault("round_pk", "round")


def _scheme(world: World, name: str, item_title: str, *, pk=None):
    from decimal import Decimal

    from xiaoneng.assessment.models import Criterion, Scheme

    scheme = Scheme.objects.create(pk=pk, name=name, created_by=world.office) if pk else \
        Scheme.objects.create(name=name, created_by=world.office)
    category = Criterion.objects.create(pk=world.b_pk() if pk else None, scheme=scheme, title="组织领导",
                                        max_points=Decimal("10"), order=1)
    item = Criterion.objects.create(pk=world.b_pk() if pk else None, scheme=scheme, parent=category, code="1",
                                    title=item_title, max_points=Decimal("10"), step=Decimal("1"), order=1)
    return scheme, item


@seed
def seed_assessment(world: World) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from xiaoneng.assessment.models import (
        Round,
        RoundStatus,
        RoundUnit,
        Score,
        ScoreSheet,
        SettledScore,
        Team,
    )
    from xiaoneng.campaigns.models import Campaign
    from xiaoneng.org.models import RoleAssignment, User

    inspector = User.objects.create(username="crawl_inspector", full_name="督查员甲", unit=world.unit_a.parent,
                                    must_change_password=False, password_changed_at=timezone.now())
    RoleAssignment.objects.create(user=inspector, role="inspector")
    campaign = Campaign.objects.create(title="甲县效能建设督查", year=2026, start_date=dt.date(2026, 1, 1),
                                       end_date=dt.date(2026, 12, 31))
    now = timezone.now()

    scheme_a, item_a = _scheme(world, "效能建设考核细则", "成立领导小组")
    round_a = Round.objects.create(campaign=campaign, scheme=scheme_a, name="甲县第一轮督查", order=1,
                                   status=RoundStatus.LOCKED, opened_at=now, locked_at=now)
    team_a = Team.objects.create(round=round_a, name="第一督查组", leader=inspector)
    ru_a = RoundUnit.objects.create(round=round_a, unit=world.unit_a, team=team_a, settled_at=now)
    sheet_a = ScoreSheet.objects.create(round_unit=ru_a, inspector=inspector, submitted_at=now)
    score_a = Score.objects.create(sheet=sheet_a, criterion=item_a, points=Decimal("8"), note="台账不全")
    settled_a = SettledScore.objects.create(round_unit=ru_a, criterion=item_a, points=Decimal("8"), note="台账不全")
    world.add_a("scheme", scheme_a)
    world.add_a("round", round_a)
    world.add_a("round_unit", ru_a)

    scheme_b, item_b = _scheme(world, "乙七院专用督查细则", "乙七院专项考核内容", pk=world.b_pk())
    round_b = Round.objects.create(pk=world.b_pk(), campaign=campaign, scheme=scheme_b, name="乙七院专项督查轮次",
                                   order=2, status=RoundStatus.LOCKED, opened_at=now, locked_at=now)
    team_b = Team.objects.create(pk=world.b_pk(), round=round_b, name="乙七院督查组", leader=inspector)
    ru_b = RoundUnit.objects.create(pk=world.b_pk(), round=round_b, unit=world.unit_b, team=team_b, settled_at=now)
    sheet_b = ScoreSheet.objects.create(pk=world.b_pk(), round_unit=ru_b, inspector=inspector, submitted_at=now)
    Score.objects.create(pk=world.b_pk(), sheet=sheet_b, criterion=item_b, points=Decimal("3"),
                         note="乙七院现场发现的问题")
    SettledScore.objects.create(pk=world.b_pk(), round_unit=ru_b, criterion=item_b, points=Decimal("3"),
                                note="乙七院结算说明")
    world.add_b("scheme", scheme_b, "乙七院专用督查细则")
    world.add_b("round", round_b, "乙七院专项督查轮次")
    world.add_b("round_unit", ru_b, "乙七院现场发现的问题", "乙七院结算说明", "乙七院专项考核内容", "乙七院督查组")

    world.text_setters.extend([
        ("assessment settled note", 500,
         lambda value: SettledScore.objects.filter(pk=settled_a.pk).update(note=value)),
        ("assessment score note", 500, lambda value: Score.objects.filter(pk=score_a.pk).update(note=value)),
        ("assessment criterion title", 500,
         lambda value: type(item_a).objects.filter(pk=item_a.pk).update(title=value)),
        ("assessment round name", 200, lambda value: Round.objects.filter(pk=round_a.pk).update(name=value)),
        ("assessment scheme name", 200,
         lambda value: type(scheme_a).objects.filter(pk=scheme_a.pk).update(name=value)),
        ("assessment team name", 100, lambda value: Team.objects.filter(pk=team_a.pk).update(name=value)),
    ])
