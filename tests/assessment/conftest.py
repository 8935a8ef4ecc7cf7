"""A small scheme, a campaign and rounds for the assessment tests, built in code."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest


@pytest.fixture
def campaign(db):
    from xiaoneng.campaigns.models import Campaign

    return Campaign.objects.create(title="2026年效能年活动宣传工作", kind="publicity", year=2026,
                                   start_date=dt.date(2026, 2, 1), end_date=dt.date(2026, 12, 31))


@pytest.fixture
def scheme(db, office):
    """Two categories, three items: 10 points in 1s, 5 in 0.5s with a note required, 5 in 1s."""
    from xiaoneng.assessment import services

    scheme = services.scheme_create(name="宣传工作督查考核标准", actor=office)
    organisation = services.criterion_save(scheme=scheme, actor=office, parent=None, code="一", title="组织领导",
                                           step=Decimal("1"))
    services.criterion_save(scheme=scheme, actor=office, parent=organisation, code="1", title="成立宣传工作领导小组",
                            max_points=Decimal("10"), step=Decimal("1"), guidance="未成立扣10分")
    services.criterion_save(scheme=scheme, actor=office, parent=organisation, code="2", title="制定宣传工作方案",
                            max_points=Decimal("5"), step=Decimal("0.5"), note_required=True,
                            evidence_required="工作方案文件")
    reporting = services.criterion_save(scheme=scheme, actor=office, parent=None, code="二", title="信息报送",
                                        step=Decimal("1"))
    services.criterion_save(scheme=scheme, actor=office, parent=reporting, code="3", title="按时报送附表2",
                            max_points=Decimal("5"), step=Decimal("1"))
    return scheme


def items_of(scheme):
    return list(scheme.criteria.filter(parent__isnull=False).order_by("parent__order", "order"))


@pytest.fixture
def inspector2(make_person, bureau):
    return make_person("inspector_zhou", unit=bureau, roles=["inspector"], full_name="周督查")


@pytest.fixture
def make_round(office, campaign, scheme, unit_a, unit_b, inspector):
    from xiaoneng.assessment import services

    def make(*, order=1, members=(), units=None, open_=True, leader=None):
        round_ = services.round_create(campaign=campaign, scheme=scheme, name=f"第{order}轮督查", order=order,
                                       actor=office)
        team = services.team_save(round_=round_, name="第一督查组", leader=leader or inspector, members=members,
                                  actor=office)
        services.round_units_assign(round_=round_, team=team, units=units if units is not None else [unit_a, unit_b],
                                    actor=office)
        if open_:
            services.round_transition(round_=round_, action="open", actor=office)
        round_.refresh_from_db()
        return round_

    return make


@pytest.fixture
def open_round(make_round):
    return make_round()


def round_unit_of(round_, unit):
    return round_.round_units.get(unit=unit)


def score_all(sheet, values, actor):
    """Give every item the points in ``values`` (a list, in item order), with notes where needed."""
    from xiaoneng.assessment import services

    for criterion, points in zip(items_of(sheet.round_unit.round.scheme), values, strict=True):
        note = "" if Decimal(points) == criterion.max_points else "部分未达标"
        result = services.score_apply(sheet=sheet, criterion_id=criterion.pk, points_text=str(points), note=note,
                                      actor=actor)
        assert result.ok, result.errors
