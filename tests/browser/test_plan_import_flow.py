"""A work plan imported in Chromium: uploaded, reviewed, confirmed, and its obligations on the campaign."""

import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def plan_extraction_dir() -> Path:
    configured = os.environ.get("XIAONENG_PLAN_EXTRACTION_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2].parent / "shared" / "plan-extraction"


PLAN_000 = plan_extraction_dir() / "docs" / "000_f6faec7c6a1718b9.txt"


@pytest.mark.skipif(not PLAN_000.is_file(), reason=f"shared plan document not found at {PLAN_000}")
def test_office_imports_a_plan_reviews_it_and_gets_a_campaign_with_its_obligations(
        new_page, sign_in, office, unit_a):
    page = sign_in(new_page(), office.username)
    page.goto("/campaigns/")
    with page.expect_navigation():
        page.click("a[href='/campaigns/import/']")
    page.set_input_files("input[name=file]", str(PLAN_000))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("mark#item-0").inner_text() == "在2月14日前"
    assert page.locator("[data-testid=schedule-row]").count() == 8
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    obligations = page.locator("[data-testid=obligations]").inner_text()
    assert "附表1" in obligations
    assert "将上一个月的媒体" in obligations or "每月5日前" in obligations
