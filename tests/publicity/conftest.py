"""Publicity fixtures: a campaign with the built-in rules, outlets, and helpers to record adoptions."""

from __future__ import annotations

import datetime as dt

import pytest

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def pcampaign(db, office):
    from xiaoneng.campaigns.models import Campaign
    from xiaoneng.publicity import services

    campaign = Campaign.objects.create(title="2026年效能年活动宣传工作", kind="publicity", year=2026,
                                       start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    services.publicity_enable(user=office, campaign=campaign)
    return campaign


@pytest.fixture
def outlets(db):
    from xiaoneng.publicity.models import Outlet

    rows = [("人民日报", "central", "newspaper"), ("国家卫生健康委网站", "central", "website"),
            ("省卫生健康委网站", "province", "website"), ("健康报", "central", "newspaper"),
            ("市日报", "city", "newspaper"), ("《卫生信息》", "city", "bulletin"), ("县电视台", "county", "tv")]
    return {name: Outlet.objects.create(name=name, level=level, kind=kind) for name, level, kind in rows}


@pytest.fixture
def make_item(db):
    from xiaoneng.publicity import services

    counter = {"n": 0}

    def make(user, campaign, *, title=None, body=None):
        counter["n"] += 1
        n = counter["n"]
        return services.news_item_submit(
            user=user, campaign=campaign, title=title or f"第{n}篇：基层卫生服务能力提升",
            body_html=body or f"<p>第{n}篇正文：本院开展义诊活动，服务群众{n * 37}人次，发放宣传资料{n * 11}份。</p>",
            author="张三")

    return make


@pytest.fixture
def record(db, office):
    from xiaoneng.publicity import services

    def rec(item, outlet, day=dt.date(2026, 3, 10), **kw):
        data = services.AdoptionInput(outlet=outlet, adopted_on=day, position=kw.pop("position", "inner"),
                                      page_or_url=kw.pop("page", "第2版"),
                                      evidence_link=kw.pop("link", "https://example.org/a"), **kw)
        return services.adoption_record(user=office, item=item, data=data)

    return rec
