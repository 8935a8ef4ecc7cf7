"""Shared pieces of the bulletin tests: hand-built rankings (the shape of publicity's MonthRanking),
campaigns, and the live ranking publicity would compute now."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone


def row(unit_id, name, rank, points, *, tied=False, items=3, adoptions=2, by_level=None, vetoed=False):
    return SimpleNamespace(unit_id=unit_id, unit_name=name, rank=rank, tied=tied, points=Decimal(points), items=items,
                           adoptions=adoptions, by_level=by_level if by_level is not None else {"city": adoptions},
                           vetoed=vetoed, year_points=Decimal(points) * 3, campaign_points=Decimal(points) * 4)


def ranking(campaign, year=2026, month=10, groups=None):
    if groups is None:
        groups = [
            ("县区卫生健康局", [row(1, "东城区卫生健康局", 1, "36.50", items=5, adoptions=4,
                                  by_level={"province": 1, "city": 3}),
                              row(2, "西城区卫生健康局", 2, "20.00", tied=True, items=4, adoptions=2),
                              row(3, "南湖区卫生健康局", 2, "20.00", tied=True, items=3, adoptions=2),
                              row(4, "北山区卫生健康局", 4, "0.00", items=2, adoptions=1, vetoed=True)]),
            ("市直医疗卫生单位", [row(5, "示范市第一人民医院", 1, "12.25", items=6, adoptions=3,
                                    by_level={"central": 1, "city": 2})]),
        ]
    return SimpleNamespace(
        campaign=campaign, year=year, month=month,
        tie_break=["上级媒体采用数", "采用稿件数"],
        groups=[SimpleNamespace(group_name=name, rows=rows) for name, rows in groups])


def last_month() -> tuple[int, int]:
    day = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    return day.year, day.month


@pytest.fixture(name="campaign")
def campaign_fixture(db):
    from xiaoneng.campaigns.models import Campaign

    year, _month = last_month()
    return Campaign.objects.create(title="测试宣传工作", kind="publicity", year=year,
                                   start_date=dt.date(year, 1, 1), end_date=dt.date(year, 12, 31))


@pytest.fixture(name="live")
def live_fixture(monkeypatch):
    """The ranking publicity would compute now; tests change it to play a later correction."""
    state = {"groups": None}

    def fake(*, campaign, year, month):
        return ranking(campaign, year, month, groups=state["groups"])

    monkeypatch.setattr("xiaoneng.publicity.bulletins.selectors.month_ranking", fake)
    return state


@pytest.fixture(name="publicity_campaign")
def publicity_campaign_fixture(office, unit_a, unit_b):
    """A campaign from the built-in publicity template: 附表2 is due monthly by the 5th."""
    from xiaoneng.campaigns.builtin import PUBLICITY_PLAN, builtin_template
    from xiaoneng.campaigns.services import campaign_create

    year, _month = last_month()
    return campaign_create(user=office, template=builtin_template(PUBLICITY_PLAN, year), title="测试宣传工作",
                           kind="publicity", year=year, start_date=dt.date(year, 1, 1),
                           end_date=dt.date(year, 12, 31))


def corrected_groups():
    return [("县区卫生健康局", [row(1, "东城区卫生健康局", 1, "36.50", adoptions=4),
                               row(2, "西城区卫生健康局", 2, "24.00", adoptions=3)]),
            ("市直医疗卫生单位", [row(5, "示范市第一人民医院", 1, "12.25", adoptions=3)])]
