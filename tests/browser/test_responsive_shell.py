"""The shell on a phone (390x844) and a desktop (1366x900).

Set XIAONENG_SCREENSHOT_DIR to keep a PNG of each page (docs/screenshots/ holds the reviewed set).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def screenshot(page, name: str) -> None:
    folder = os.environ.get("XIAONENG_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


def page_overflows_sideways(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth")


@pytest.fixture
def many_units(unit_a, unit_b, bureau, groups):
    from xiaoneng.org.models import Unit, UnitKind

    names = [
        "丙县卫生健康局",
        "丁区卫生健康局",
        "市疾病预防控制中心",
        "市卫生健康综合监督执法支队",
        "市中医院（市中西医结合医院）",
        "市妇幼保健院（市妇女儿童医院）",
    ]
    for order, name in enumerate(names, start=3):
        Unit.objects.create(
            name=name, kind=UnitKind.HOSPITAL, parent=bureau, ranking_group=groups["city"], order=order
        )


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_login_home_and_units_fit_the_screen_without_sideways_scrolling(
    new_page, sign_in, office, many_units, size
):
    page = new_page(viewport=PHONE if size == "phone" else DESKTOP)

    page.goto("/account/login/")
    assert not page_overflows_sideways(page)
    field = page.locator("input[name=username]").bounding_box()
    assert field["width"] > page.locator("main form").bounding_box()["width"] * 0.9, (
        "login fields span the form"
    )
    screenshot(page, f"login-{size}")

    sign_in(page, "office_wang")
    assert not page_overflows_sideways(page)
    screenshot(page, f"home-{size}")

    page.goto("/org/units/")
    assert page.locator("tbody tr").count() == 9
    assert not page_overflows_sideways(page), "a wide table scrolls inside its box, not the page"
    if size == "phone":
        box = page.locator(".table-responsive")
        assert box.evaluate("el => el.scrollWidth > el.clientWidth"), "rows keep one line and scroll sideways"
    screenshot(page, f"units-{size}")


def test_phone_menu_stays_folded_until_the_toggle_is_tapped(new_page, sign_in, office):
    page = new_page(viewport=PHONE)
    sign_in(page, "office_wang")
    units_link = page.locator("#xn-nav a", has_text="Units").or_(page.locator("#xn-nav a", has_text="单位"))

    assert not units_link.is_visible()
    page.click("button.navbar-toggler")
    assert units_link.is_visible()
    assert page.locator("button.navbar-toggler").get_attribute("aria-expanded") == "true"
    screenshot(page, "menu-phone")

    page.click("button.navbar-toggler")
    assert not units_link.is_visible()
    assert page.locator("button.navbar-toggler").get_attribute("aria-expanded") == "false"


def test_desktop_menu_shows_the_links_without_a_toggle(page, sign_in, office):
    sign_in(page, "office_wang")

    assert not page.locator("button.navbar-toggler").is_visible()
    assert page.locator("#xn-nav a.nav-link").first.is_visible()
