"""A campaign end to end in Chromium: created from the template, a report sent, returned, resent, on the board."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_campaign_from_template_submission_return_resubmission_and_board(
        new_page, sign_in, office, liaison_a, unit_a, unit_b):
    office_page = sign_in(new_page(), office.username)
    office_page.goto("/campaigns/new/")
    office_page.fill("input[name=title]", "2027年效能年活动宣传")
    office_page.select_option("select[name=kind]", "publicity")
    office_page.fill("input[name=year]", "2027")
    office_page.fill("input[name=start_date]", "2027-02-01")
    office_page.fill("input[name=end_date]", "2027-12-31")
    office_page.select_option("select[name=template]", "builtin:publicity_plan")
    with office_page.expect_navigation():
        office_page.click("main form button[type=submit]")
    obligations = office_page.locator("[data-testid=obligations]").inner_text()
    assert "附表1" in obligations and "报送宣传工作方案、第一阶段宣传计划" in obligations
    campaign_url = office_page.url

    liaison_page = sign_in(new_page(), liaison_a.username)
    liaison_page.goto("/campaigns/my-work/")
    liaison_page.click("text=报送宣传工作方案、第一阶段宣传计划")
    liaison_page.fill("textarea[name=text]", "第一稿,见附件")
    liaison_page.set_input_files("input[name=files]", files=[
        {"name": "宣传方案.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    with liaison_page.expect_navigation():
        liaison_page.click("main form[enctype] button[type=submit]")
    due_item_url = liaison_page.url
    assert "宣传方案.pdf" in liaison_page.content()

    office_page.goto(due_item_url)
    office_page.fill("textarea[name=comment]", "请补充第一阶段计划")
    with office_page.expect_navigation():
        office_page.click("button[name=decision][value=return]")
    assert "请补充第一阶段计划" in office_page.content()

    liaison_page.goto(due_item_url)
    assert "请补充第一阶段计划" in liaison_page.content()
    liaison_page.fill("textarea[name=text]", "第二稿")
    with liaison_page.expect_navigation():
        liaison_page.click("main form[enctype] button[type=submit]")
    assert liaison_page.locator("[data-testid=submission]").count() == 2

    office_page.goto(campaign_url.rstrip("/") + "/board/")
    board = office_page.locator("[data-testid=board]").inner_text()
    row = next(line for line in board.splitlines() if unit_a.name in line)
    assert "100.0%" in row
