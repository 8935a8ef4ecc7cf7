"""Publicity screens in Chromium over the demo data: the liaison sends an item and claims an adoption,
the office sees the ranking with its charts and the rules editor. No CSP violation, no foreign request.

XIAONENG_SCREENSHOTS=1 also writes docs/screenshots/publicity-*.png (phone and desktop).

The end-to-end publicity flow (item, two adoptions, ranking, bulletin) runs in tests/browser/test_publicity_flow.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shoot(page, name: str) -> None:
    if os.environ.get("XIAONENG_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"publicity-{name}.png"), full_page=True)


@pytest.fixture
def demo():
    from xiaoneng.campaigns.demo import demo_campaign_load
    from xiaoneng.org.demo import DEMO_PASSWORD, demo_load
    from xiaoneng.publicity.demo import demo_publicity_load

    demo_load()
    campaign = demo_campaign_load()
    demo_publicity_load()
    return campaign, DEMO_PASSWORD


def test_liaison_and_office_screens(new_page, sign_in, page_log, live_server, demo):  # noqa: F811
    from django.utils import timezone

    campaign, password = demo
    liaison = sign_in(new_page(viewport=PHONE), "dongcheng", password)
    liaison.goto(f"/publicity/campaign/{campaign.pk}/")
    assert liaison.locator("[data-testid=own-standing]").count() == 1
    shoot(liaison, "items-phone")
    liaison.click("text=报送新闻信息")
    liaison.fill("input[name=title]", "东城区开展家庭医生签约服务宣传周活动")
    liaison.fill("input[name=author]", "赵联络")
    liaison.fill("textarea[name=body_html]", "<p>东城区组织家庭医生团队走进社区，现场签约居民210户。</p>")
    with liaison.expect_navigation():
        liaison.click("main form button[type=submit]")
    assert "东城区开展家庭医生签约服务宣传周活动" in liaison.content()
    liaison.click("text=申报采用")
    shoot(liaison, "claim-phone")
    liaison.goto(f"/publicity/campaign/{campaign.pk}/ranking/")
    assert liaison.locator("[data-testid=own-standing]").count() == 1
    assert "示范市第一人民医院" not in liaison.content()
    shoot(liaison, "own-ranking-phone")

    office = sign_in(new_page(viewport=DESKTOP), "office", password)
    today = timezone.localdate()
    office.goto(f"/publicity/campaign/{campaign.pk}/ranking/?month={today.year}-{today.month:02d}")
    assert office.locator("[data-testid=ranking-row]").count() >= 20
    office.wait_for_selector("[data-xn-chart][data-xn-drawn]")
    shoot(office, "ranking-desktop")
    office.goto(f"/publicity/campaign/{campaign.pk}/")
    shoot(office, "items-desktop")
    office.click("text=市二院开展“健康义诊进乡村”活动")
    assert office.locator("[data-testid=duplicate-warning]").count() == 1
    shoot(office, "item-duplicate-desktop")
    office.goto(f"/publicity/campaign/{campaign.pk}/rules/edit/?version=1")
    shoot(office, "rules-desktop")
    phone = sign_in(new_page(viewport=PHONE), "office", password)
    phone.goto(f"/publicity/campaign/{campaign.pk}/ranking/?month={today.year}-{today.month:02d}")
    shoot(phone, "ranking-phone")
    assert not page_log.csp_violations()
    assert not page_log.foreign_requests(live_server.url)
