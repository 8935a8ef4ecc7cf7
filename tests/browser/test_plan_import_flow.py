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


TARGET_PLAN = """关于印发2016年卫生计生工作目标责任考核实施方案的通知
一、工作目标
确保孕产妇和儿童系统管理率保持在95%以上，孕产妇死亡率控制在30/10万以下，婴儿死亡率控制在16‰以下。
二、工作要求
各单位于12月10日前报送工作总结。
"""


def test_confirming_a_plan_with_targets_gives_the_campaign_its_target_rows(new_page, sign_in, office, unit_a,
                                                                          tmp_path):
    from decimal import Decimal

    from xiaoneng.assessment.supervision.models import Target

    plan = tmp_path / "目标责任考核方案.txt"
    plan.write_text(TARGET_PLAN, encoding="utf-8")
    page = sign_in(new_page(), office.username)
    page.goto("/campaigns/import/")
    page.set_input_files("input[name=file]", str(plan))
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("[data-testid=target-row]").count() == 4  # three read, one empty
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    rows = {(t.indicator, t.operator, t.value, t.unit_of_measure) for t in Target.objects.all()}
    assert rows == {("孕产妇和儿童系统管理率", ">=", Decimal("95"), "%"),
                    ("孕产妇死亡率", "<=", Decimal("30"), "1/100000"), ("婴儿死亡率", "<=", Decimal("16"), "‰")}
