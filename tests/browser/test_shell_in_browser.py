"""What a person does in the shell, in headless Chromium: sign in, lockout, denied pages,
language switch, and that a whole session stays on our own origin under the CSP (check 27)."""

from __future__ import annotations

import pytest

from .conftest import origin_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_signs_in_through_the_form_and_sees_its_unit_on_the_home_page(
    page, sign_in, office, live_server
):
    sign_in(page, "office_wang")

    assert page.url == f"{live_server.url}/"
    assert page.locator("[data-testid=home-unit]").inner_text() == "测试市卫生健康委员会"
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_wrong_password_five_times_locks_the_account_even_for_the_right_password(page, sign_in, office):
    for _ in range(5):
        sign_in(page, "office_wang", "not-the-password-1")
        assert page.url.endswith("/account/login/")

    sign_in(page, "office_wang")

    assert page.url.endswith("/account/login/"), "a locked account must not be signed in"
    assert "锁定" in page.locator("main").inner_text()


def test_liaison_opening_another_units_record_gets_a_chinese_access_denied_page(
    page, sign_in, liaison_a, unit_b
):
    sign_in(page, "liaison_a")

    response = page.goto(f"/org/units/{unit_b.pk}/")

    assert response.status == 403
    assert page.locator("main h1").inner_text() == "访问被拒绝"
    assert "乙市人民医院" not in page.content()


def test_a_whole_session_loads_nothing_from_other_origins_and_breaks_no_csp_rule(
    page, page_log, sign_in, office, liaison_a, live_server
):
    sign_in(page, "office_wang")
    page.goto("/org/units/")
    page.goto("/org/people/")
    with page.expect_navigation():
        page.select_option("footer select[name=language]", "en")
    with page.expect_navigation():
        page.select_option("footer select[name=language]", "zh-hans")
    page.goto("/")

    own_origin = origin_of(live_server.url)
    assert len(page_log.requests) >= 10, "the request log should cover the whole session"
    assert any(url.endswith(".css") for url in page_log.requests)
    assert page_log.foreign_requests(own_origin) == []
    assert page_log.csp_violations() == []
    assert [line for line in page_log.console if line.startswith(("error", "pageerror"))] == []


def test_footer_language_switch_turns_the_page_english_and_back(page, sign_in, office):
    sign_in(page, "office_wang")
    page.goto("/org/units/")

    with page.expect_navigation():
        page.select_option("footer select[name=language]", "en")

    assert page.url.endswith("/org/units/"), "the switch keeps the user on the page they were on"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("main h1").inner_text() == "Units"
    assert page.get_by_role("button", name="Sign out").is_visible()

    with page.expect_navigation():
        page.select_option("footer select[name=language]", "zh-hans")

    assert page.url.endswith("/org/units/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("footer select[name=language]").input_value() == "zh-hans"
