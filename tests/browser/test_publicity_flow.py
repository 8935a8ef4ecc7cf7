"""Publicity end to end in Chromium: a liaison sends a news item, the office records two adoptions,
the ranking page shows the points and rank, the month is published and the downloaded bulletin
(.docx, opened with python-docx) and the public page (no sign-in, phone size) say the same.

Set XIAONENG_SCREENSHOTS=1 to also write docs/screenshots/bulletins-*.png (public page on a phone and a
desktop, the office's month page).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path

import pytest
from docx import Document

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shoot(page, name: str) -> None:
    if os.environ.get("XIAONENG_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"bulletins-{name}.png"), full_page=True)


def last_month() -> dt.date:
    from django.utils import timezone

    return timezone.localdate().replace(day=1) - dt.timedelta(days=1)


@pytest.fixture
def scored_campaign(office, unit_a, unit_b):
    """A publicity campaign (built-in template) with simple rules: tiers only, no monthly quota."""
    from xiaoneng.campaigns.builtin import PUBLICITY_PLAN, builtin_template
    from xiaoneng.campaigns.services import campaign_create
    from xiaoneng.publicity import scoring
    from xiaoneng.publicity import services as publicity
    from xiaoneng.publicity.models import Outlet

    year = last_month().year
    campaign = campaign_create(user=office, template=builtin_template(PUBLICITY_PLAN, year), title="宣传信息工作测试",
                               kind="publicity", year=year, start_date=dt.date(year, 1, 1),
                               end_date=dt.date(year, 12, 31))
    publicity.rule_set_apply(user=office, campaign=campaign, name="测试规则", effective_from=campaign.start_date,
                             rules=scoring.Rules.from_dict(dict(scoring.DEFAULT_RULES, quotas={})))
    Outlet.objects.create(name="省卫生健康委网站", level="province", kind="website")
    Outlet.objects.create(name="示范日报", level="city", kind="newspaper")
    return campaign


def record_adoption(page, outlet: str, day: dt.date, position: str, page_or_url: str, link: str) -> None:
    page.click("a[href$='/adoptions/new/']")
    page.select_option("select[name=outlet]", label=outlet)
    page.fill("input[name=adopted_on]", day.isoformat())
    page.select_option("select[name=position]", position)
    page.fill("input[name=page_or_url]", page_or_url)
    page.fill("input[name=evidence_link]", link)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_item_two_adoptions_ranking_published_bulletin_and_public_page(
        new_page, sign_in, office, liaison_a, unit_a, unit_b, scored_campaign):
    month = last_month()
    liaison = sign_in(new_page(), liaison_a.username)
    liaison.goto(f"/publicity/campaign/{scored_campaign.pk}/items/new/")
    liaison.fill("input[name=title]", "甲县开展义诊进社区活动")
    liaison.fill("input[name=author]", "甲联络")
    liaison.fill("textarea[name=body_html]", "<p>甲县组织专家开展义诊进社区活动，服务群众300余人次。</p>")
    with liaison.expect_navigation():
        liaison.click("main form button[type=submit]")
    item_url = liaison.url
    assert re.search(r"/publicity/items/\d+/$", item_url)

    desk = sign_in(new_page(), office.username)
    desk.goto(item_url)
    record_adoption(desk, "省卫生健康委网站", month.replace(day=8), "front", "https://wsjkw.example.gov.cn/1",
                    "https://wsjkw.example.gov.cn/1")
    desk.goto(item_url)
    record_adoption(desk, "示范日报", month.replace(day=9), "inner", "第3版", "https://paper.example.cn/3")

    desk.goto(f"/publicity/campaign/{scored_campaign.pk}/ranking/?month={month:%Y-%m}")
    row = desk.locator(f"[data-testid=ranking-row][data-unit='{unit_a.pk}']")
    cells = row.locator("td").all_inner_texts()
    assert cells[0].strip().startswith("1") and unit_a.name in cells[1] and cells[2].strip() == "16.00"

    desk.goto(f"/publicity/bulletins/campaign/{scored_campaign.pk}/{month.year}/{month.month}/")
    with desk.expect_navigation():
        desk.click("main form button[type=submit]")
    assert desk.locator("[data-testid=revision]").count() == 1
    shoot(desk, "month-desktop")
    with desk.expect_download() as download_info:
        desk.click("[data-testid=revision-docx]")
    content = open(download_info.value.path(), "rb").read()  # noqa: PTH123, SIM115 - a temp file Playwright owns
    doc = Document(io.BytesIO(content))
    rows = [[cell.text for cell in r.cells] for table in doc.tables for r in table.rows]
    assert ["1", unit_a.name, "2", "16.00"] in rows
    assert any("其中省级1条、市级1条" in p.text for p in doc.paragraphs)

    public = new_page(viewport=PHONE)
    public.goto("/publicity/bulletins/public/")
    assert "/account/login" not in public.url
    public_row = public.locator("[data-testid=ranking-row]", has_text=unit_a.name)
    texts = public_row.locator("td").all_inner_texts()
    assert texts[0].strip().startswith("1") and texts[2].strip() == "2" and texts[3].strip() == "16.00"
    width = public.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the public ranking scrolls sideways on a phone"
    shoot(public, "public-phone")
    wide = new_page(viewport=DESKTOP)
    wide.goto("/publicity/bulletins/public/")
    assert wide.locator("[data-testid=ranking-row]").count() == 2
    shoot(wide, "public-desktop")
