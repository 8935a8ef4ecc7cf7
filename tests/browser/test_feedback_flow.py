"""A case end to end in Chromium at a phone's viewport: filed, followed, assigned, replied, rated.

Set XIAONENG_SCREENSHOTS=1 to also write docs/screenshots/feedback-*.png (public form on a phone,
office list on a desktop).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def shot(page, name: str) -> None:
    if os.environ.get("XIAONENG_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"feedback-{name}.png"), full_page=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def test_complaint_filed_on_a_phone_followed_assigned_replied_and_rated(
        new_page, sign_in, office, liaison_a, unit_a, unit_b, page_log, live_server):
    public = new_page(viewport=PHONE)
    public.goto("/feedback/file/")
    public.check("input[name=kind][value=complaint]")
    public.select_option("select[name=unit]", str(unit_a.pk))
    public.fill("textarea[name=what]", "在门诊二楼收费窗口排队四十分钟，只开了一个窗口。")
    public.fill("input[name=where]", "门诊二楼")
    public.fill("input[name=name]", "刘女士")
    public.fill("input[name=phone]", "13912345678")
    public.set_input_files("input[name=attachments]", files=[
        {"name": "排队现场.png", "mimeType": "image/png", "buffer": PNG}])
    shot(public, "public-form-phone")
    public.wait_for_timeout(3200)  # a person takes longer than the form's minimum time
    with public.expect_navigation():
        public.click("main form button[type=submit]")
    code = public.locator("#tracking-code").get_attribute("data-code")
    assert code and len(code) == 10
    shot(public, "public-code-phone")

    with public.expect_navigation():
        public.click("main a:has-text('查询办理进度')")
    public.fill("input[name=code]", code.lower())
    public.fill("input[name=proof]", "5678")
    with public.expect_navigation():
        public.click("main form button[type=submit]")
    assert "待受理" in public.locator("#case-status").inner_text()
    assert "13912345678" not in public.content()

    office_page = sign_in(new_page(viewport=DESKTOP), office.username)
    office_page.goto("/feedback/")
    assert office_page.locator("text=在门诊二楼收费窗口").count() == 1
    shot(office_page, "office-list-desktop")
    office_page.click("table a")
    assert "139****5678" in office_page.content()
    office_page.select_option("form[action$='/accept/'] select[name=unit]", str(unit_a.pk))
    with office_page.expect_navigation():
        office_page.click("button[data-action=accept]")
    assert "办理中" in office_page.locator("#case-status").inner_text()
    shot(office_page, "case-desktop")
    case_url = office_page.url

    unit_page = sign_in(new_page(viewport=PHONE), liaison_a.username)
    unit_page.goto(case_url)
    unit_page.fill("textarea[name=text]", "已增开两个收费窗口，并对当班人员进行批评教育。")
    with unit_page.expect_navigation():
        unit_page.click("button[data-action=reply]")
    assert "已答复" in unit_page.locator("#case-status").inner_text()

    public.reload()
    assert "已增开两个收费窗口" in public.locator("#case-reply").inner_text()
    public.check("input[name=rating][value=satisfied]")
    with public.expect_navigation():
        public.click("main form button[type=submit] >> text=提交评价")
    assert "满意" in public.content()
    shot(public, "public-case-phone")
    assert page_log.foreign_requests(live_server.url) == []
    assert page_log.csp_violations() == []


def test_a_tracking_code_guesser_is_stopped_by_the_rate_limit(new_page, db):
    guesser = new_page(viewport=PHONE)
    statuses = []
    for attempt in range(11):
        guesser.goto("/feedback/track/")
        guesser.fill("input[name=code]", f"ABCDEFGH{'23456789AB'[attempt % 10]}K")
        guesser.fill("input[name=proof]", "1234")
        with guesser.expect_navigation() as navigation:
            guesser.click("main form button[type=submit]")
        statuses.append(navigation.value.status)
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert "尝试次数过多" in guesser.content()
