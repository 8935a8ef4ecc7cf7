"""Results in Chromium at a phone's size: the averaged ranking with shared ranks, and the weight preview.

Set XIAONENG_SCREENSHOTS=1 to also write docs/screenshots/results-*.png (phone and desktop).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _shot(page, name: str) -> None:
    if os.environ.get("XIAONENG_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"results-{name}.png"), full_page=True)


@pytest.fixture
def scored_campaign(unit_a, unit_b, bureau, groups):
    from xiaoneng.assessment.results.demo import scored_rounds_build
    from xiaoneng.campaigns.models import Campaign, DueItem, Obligation, Submission
    from xiaoneng.org.models import Unit

    campaign = Campaign.objects.create(title="2026年效能年活动", year=2026, start_date=dt.date(2026, 1, 1),
                                       end_date=dt.date(2026, 12, 31))
    c = Unit.objects.create(name="丙县卫生健康局", kind="county_bureau", parent=bureau, ranking_group=groups["county"],
                            order=3)
    d = Unit.objects.create(name="丁县卫生健康局", kind="county_bureau", parent=bureau, ranking_group=groups["county"],
                            order=4)
    e = Unit.objects.create(name="示范市第二人民医院", kind="hospital", parent=bureau, ranking_group=groups["city"],
                            order=5)
    # 甲 90/85/86 → 87.00; 丙 88/—/86 → 87.00 (shares 1st); 丁 90/85/85 → 86.67; 乙 70/71/72.5 → 71.17
    scored_rounds_build(campaign=campaign, totals=[
        {unit_a: "90", c: "88", d: "90", unit_b: "70", e: "80"},
        {unit_a: "85", d: "85", unit_b: "71", e: "82"},
        {unit_a: "86", c: "86", d: "85", unit_b: "72.5", e: "81"},
    ])
    obligation = Obligation.objects.create(campaign=campaign, title="月报", frequency="once",
                                           due_date=dt.date(2026, 2, 5))
    sent = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)
    for unit, on_time in ((unit_a, False), (c, False), (d, True), (unit_b, True), (e, False)):
        item = DueItem.objects.create(obligation=obligation, unit=unit, period_key="once", due_date=obligation.due_date)
        Submission.objects.create(due_item=item, unit=unit, status="accepted", submitted_at=sent, is_on_time=on_time)
    return campaign


def test_office_sees_averaged_ranking_on_a_phone_and_previews_weights_before_applying(
        new_page, sign_in, page_log, live_server, office, scored_campaign):
    page = sign_in(new_page(viewport=PHONE), office.username)
    page.goto(f"/assessment/results/campaign/{scored_campaign.pk}/")
    county = page.locator("[data-testid=final-group]").filter(has_text="县区组")
    rows = county.locator("tbody tr")
    assert rows.count() == 3
    first, second, third = (rows.nth(i).inner_text() for i in range(3))
    assert "甲县卫生健康局" in first and "87.00" in first and "并列" in first
    assert "丙县卫生健康局" in second and "87.00" in second and "并列" in second
    assert county.locator("tbody tr").nth(0).locator("[data-rank]").inner_text() == "1"
    assert county.locator("tbody tr").nth(1).locator("[data-rank]").inner_text() == "1"
    assert "丁县卫生健康局" in third and "86.67" in third and third.split()[0] == "3"
    assert "71.17" in page.locator("[data-testid=final-group]").filter(has_text="市直组").inner_text()
    page.wait_for_selector("[data-results-chart] svg")  # ECharts drew from the json_script data
    # The table fits the phone: the page itself does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    _shot(page, "final-phone")

    page.goto(f"/assessment/results/campaign/{scored_campaign.pk}/composite/")
    page.fill("input[name=assessment]", "50")
    page.fill("input[name=on_time]", "50")
    with page.expect_navigation():
        page.click("main form[data-testid=weights-form] button[type=submit]")
    preview = page.locator("[data-testid=preview-table]")
    row = preview.locator("tr[data-unit='丁县卫生健康局']")
    assert row.locator("[data-old-rank]").inner_text() == "3"
    assert row.locator("[data-new-rank]").inner_text().startswith("1")
    assert preview.locator("tr[data-unit='甲县卫生健康局'] [data-new-rank]").inner_text().startswith("2")
    _shot(page, "preview-phone")
    with page.expect_navigation():
        page.click("main form button[type=submit]:has-text('应用')")
    ranked = page.locator("[data-testid=composite-table] tr[data-unit='丁县卫生健康局'] [data-rank]")
    assert ranked.first.inner_text() == "1"
    assert "版本 1" in page.locator("main").inner_text() or "version 1" in page.locator("main").inner_text()
    _shot(page, "composite-phone")
    assert not page_log.csp_violations(), page_log.csp_violations()
    assert not page_log.foreign_requests(live_server.url)

    desk = sign_in(new_page(viewport=DESKTOP), office.username)
    desk.goto(f"/assessment/results/campaign/{scored_campaign.pk}/")
    desk.wait_for_selector("[data-results-chart] svg")
    _shot(desk, "final-desktop")
    desk.goto(f"/assessment/results/campaign/{scored_campaign.pk}/composite/")
    desk.wait_for_selector("[data-results-chart] svg")
    _shot(desk, "composite-desktop")
    desk.goto(f"/assessment/results/campaign/{scored_campaign.pk}/")
    with desk.expect_navigation():
        desk.click("main form button[type=submit]:has-text('公布')")
    public = new_page(viewport=PHONE)
    public.goto("/assessment/results/public/")
    assert "87.00" in public.locator("main").inner_text()
    _shot(public, "public-phone")
