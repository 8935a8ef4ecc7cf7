"""Bulletins over publicity's real scoring: a liaison's item, two adoptions recorded by the office,
the published ranking, the bulletin, 附表2, and a later correction published as revision 2."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from docx import Document
from openpyxl import load_workbook

from xiaoneng.publicity.bulletins import selectors, services

from .test_bulletins_support import last_month, publicity_campaign_fixture  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored_month(office, liaison_a, unit_a, unit_b, publicity_campaign):
    """Simple rules (tiers only, no quota): province website front page 12, city newspaper inner page 4."""
    from xiaoneng.publicity import scoring
    from xiaoneng.publicity import services as publicity
    from xiaoneng.publicity.models import Outlet

    rules = dict(scoring.DEFAULT_RULES, quotas={})
    publicity.rule_set_apply(user=office, campaign=publicity_campaign, rules=scoring.Rules.from_dict(rules),
                             name="测试规则", effective_from=publicity_campaign.start_date)
    website = Outlet.objects.create(name="省卫生健康委网站", level="province", kind="website")
    paper = Outlet.objects.create(name="示范日报", level="city", kind="newspaper")
    item = publicity.news_item_submit(user=liaison_a, campaign=publicity_campaign, title="甲县开展义诊进社区活动",
                                      body_html="<p>10月8日，甲县组织专家开展义诊。</p>", author="甲联络")
    year, month = last_month()
    first = publicity.adoption_record(user=office, item=item, data=publicity.AdoptionInput(
        outlet=website, adopted_on=dt.date(year, month, 8), position="front",
        page_or_url="https://wsjkw.example.gov.cn/news/1", evidence_link="https://wsjkw.example.gov.cn/news/1"))
    second = publicity.adoption_record(user=office, item=item, data=publicity.AdoptionInput(
        outlet=paper, adopted_on=dt.date(year, month, 9), position="inner", page_or_url="第3版",
        evidence_link="https://paper.example.cn/3"))
    return {"item": item, "adoptions": [first, second], "paper": paper}


def test_published_ranking_and_bulletin_carry_publicitys_points(office, unit_a, publicity_campaign, scored_month):
    year, month = last_month()
    publication, created = services.publication_publish(
        user=office, campaign=publicity_campaign, year=year, month=month,
        title=f"关于{year}年{month}月全市卫生健康宣传信息工作情况的通报", issuer="测试市卫生健康委员会")
    assert created
    snapshot = publication.latest_revision.snapshot
    county = next(g for g in snapshot["groups"] if any(r["unit_id"] == unit_a.pk for r in g["rows"]))
    row = next(r for r in county["rows"] if r["unit_id"] == unit_a.pk)
    assert (row["rank"], Decimal(row["points"]), row["adoptions"]) == (1, Decimal("16.00"), 2)
    assert row["by_level"].get("province") == 1 and row["by_level"].get("city") == 1
    doc = Document(io.BytesIO(bytes(publication.latest_revision.docx)))
    cells = [[c.text for c in r.cells] for table in doc.tables for r in table.rows]
    assert ["1", unit_a.name, "2", "16.00"] in cells
    assert any("其中省级1条、市级1条" in p.text for p in doc.paragraphs)


def test_form2_lists_both_adoptions_with_points_and_evidence(unit_a, publicity_campaign, scored_month):
    year, month = last_month()
    report = selectors.unit_report(campaign=publicity_campaign, unit=unit_a, year=year, month=month,
                                   base_url="https://xn.example")
    assert [(r.outlet, r.level, r.points, r.evidence_link) for r in report.rows] == [
        ("省卫生健康委网站", "省级", Decimal("12.00"), "https://wsjkw.example.gov.cn/news/1"),
        ("示范日报", "市级", Decimal("4.00"), "https://paper.example.cn/3")]
    from xiaoneng.publicity.bulletins import documents

    sheet = load_workbook(io.BytesIO(documents.unit_report_xlsx(
        unit_name=unit_a.name, campaign_title=publicity_campaign.title, year=year, month=month, rows=report.rows,
        items_sent=report.items_sent))).active
    assert sheet.cell(row=5, column=2).value == "甲县开展义诊进社区活动"
    assert sheet.cell(row=7, column=8).value == 16


def test_a_correction_in_publicity_leaves_the_publication_and_makes_revision_2(
        office, liaison_a, unit_a, publicity_campaign, scored_month):
    from xiaoneng.publicity import services as publicity
    from xiaoneng.publicity.models import Outlet

    year, month = last_month()
    publication, _ = services.publication_publish(user=office, campaign=publicity_campaign, year=year, month=month,
                                                  title="通报", issuer="测试市卫生健康委员会")
    tv = Outlet.objects.create(name="示范电视台", level="city", kind="tv")
    publicity.adoption_record(user=office, item=scored_month["item"], data=publicity.AdoptionInput(
        outlet=tv, adopted_on=dt.date(year, month, 20), position="inner", evidence_link="https://tv.example.cn/1"))
    first = publication.revisions.get(number=1)
    row = next(r for g in first.snapshot["groups"] for r in g["rows"] if r["unit_id"] == unit_a.pk)
    assert row["points"] == "16.00"  # frozen
    revision = services.revision_issue(user=office, publication=publication, note="补录示范电视台采用1条")
    change = next(c for c in revision.changes if c["unit_name"] == unit_a.name)
    assert (change["old_points"], change["new_points"]) == ("16.00", "22.00")
    assert (change["old_adoptions"], change["new_adoptions"]) == (2, 3)


def test_form2_of_a_co_author_lists_the_item_with_its_share_of_points(office, unit_a, unit_b, publicity_campaign,
                                                                      scored_month):
    from xiaoneng.publicity import services as publicity

    publicity.news_item_set_shares(user=office, item=scored_month["item"],
                                   shares=[(unit_a, Decimal("0.5")), (unit_b, Decimal("0.5"))])
    year, month = last_month()
    mine = selectors.unit_report(campaign=publicity_campaign, unit=unit_a, year=year, month=month)
    theirs = selectors.unit_report(campaign=publicity_campaign, unit=unit_b, year=year, month=month)
    assert [r.points for r in mine.rows] == [Decimal("6.00"), Decimal("2.00")]
    assert [r.points for r in theirs.rows] == [Decimal("6.00"), Decimal("2.00")]
    assert theirs.rows[0].title == "甲县开展义诊进社区活动"
