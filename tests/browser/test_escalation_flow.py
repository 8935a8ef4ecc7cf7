"""Escalation pages in Chromium: the statistics with their charts (desktop and phone), a printable
red notice, and the public monthly summary on a phone; no CSP violation, nothing from elsewhere.

Set XIAONENG_SCREENSHOTS=1 to also write docs/screenshots/escalation-*.png.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import secrets
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from .conftest import DESKTOP, PHONE, origin_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ZONE = ZoneInfo("Asia/Shanghai")


def _shot(page, name: str) -> None:
    if os.environ.get("XIAONENG_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"escalation-{name}.png"), full_page=True)


@pytest.fixture
def cases_of_autumn(unit_a, unit_b, bureau, groups, office, liaison_a, leader_a):
    """Sixty cases received September to November 2026 over four units, and an overdue one escalated."""
    from xiaoneng.core.workdays.services import add_working_days
    from xiaoneng.feedback.escalation.services import escalation_scan
    from xiaoneng.feedback.models import Case
    from xiaoneng.org.models import Unit

    unit_c = Unit.objects.create(name="丙县卫生健康局", kind="county_bureau", parent=bureau, order=3)
    unit_d = Unit.objects.create(name="示范市第二人民医院", kind="hospital", parent=bureau, order=4)
    units = [unit_a, unit_b, unit_c, unit_d]
    rng = random.Random(2026)  # noqa: S311 - demo figures, not secrets
    kinds = ["complaint"] * 5 + ["suggestion"] * 2 + ["enquiry"] * 3 + ["report", "praise"]
    channels = ["web"] * 4 + ["hotline"] * 4 + ["box", "mailbox", "letter", "media"]
    for n in range(60):
        received_on = dt.date(2026, 9, 1) + dt.timedelta(days=rng.randrange(0, 80))
        received = dt.datetime.combine(received_on, dt.time(9 + n % 8), tzinfo=ZONE)
        unit = rng.choice(units)
        accept_due = add_working_days(received_on, 1)
        reply_due = add_working_days(accept_due, 5)
        close_due = add_working_days(accept_due, 15)
        late = rng.random() < 0.2
        replied_on = add_working_days(reply_due, 2 if late else -rng.randrange(0, 3))
        closed_on = add_working_days(close_due, 3 if late else -rng.randrange(0, 8))
        fields = {"accepted_at": received + dt.timedelta(hours=3), "accept_due": accept_due,
                  "reply_due": reply_due, "close_due": close_due}
        moment = dt.datetime(2026, 11, 23, 10, tzinfo=ZONE)
        replied_at = dt.datetime.combine(replied_on, dt.time(15), tzinfo=ZONE)
        closed_at = dt.datetime.combine(closed_on, dt.time(16), tzinfo=ZONE)
        if closed_at < moment:
            fields.update(status="closed", replied_at=replied_at, closed_at=closed_at,
                          rating=rng.choice(["satisfied"] * 6 + ["fairly_satisfied"] * 2 + ["unsatisfied"]))
        elif replied_at < moment:
            fields.update(status="replied", replied_at=replied_at)
        else:
            fields.update(status="in_progress")
        Case.objects.create(number=f"2026-{800000 + n:06d}", tracking_code_hash=secrets.token_hex(32),
                            kind=rng.choice(kinds), channel=rng.choice(channels), unit=unit, assignee_unit=unit,
                            what="（演示）", received_at=received, **fields)
    overdue = Case.objects.create(number="2026-000418", tracking_code_hash=secrets.token_hex(32), kind="complaint",
                                  channel="hotline", unit=unit_a, assignee_unit=unit_a, what="门诊收费争议",
                                  status="in_progress", received_at=dt.datetime(2026, 10, 22, 9, tzinfo=ZONE),
                                  accepted_at=dt.datetime(2026, 10, 22, 11, tzinfo=ZONE),
                                  accept_due=dt.date(2026, 10, 23), reply_due=dt.date(2026, 11, 2),
                                  close_due=dt.date(2026, 11, 13))
    for day in ("2026-10-30", "2026-11-03", "2026-11-04", "2026-11-06", "2026-11-10"):
        escalation_scan(now=dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), tzinfo=ZONE))
    return overdue


def test_statistics_notice_and_public_summary_in_the_browser(new_page, sign_in, page_log, live_server, office,
                                                             cases_of_autumn):
    from xiaoneng.feedback.escalation.models import Alert

    desk = sign_in(new_page(viewport=DESKTOP), office.username)
    failed: list[str] = []
    desk.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    desk.goto("/feedback/escalation/statistics/?date_from=2026-09-01&date_to=2026-11-30")
    desk.wait_for_selector("[data-chart=months] svg")
    assert desk.locator(".xn-chart svg").count() == 4
    assert "诉求统计" in desk.content()
    _shot(desk, "statistics-desktop")

    red = Alert.objects.get(case=cases_of_autumn, step="red")
    desk.goto(f"/feedback/escalation/notices/{red.pk}/")
    assert desk.locator(".xn-notice-red").count() == 1
    assert "最后警告" in desk.locator("h1.xn-notice-title").inner_text()
    _shot(desk, "notice-red")
    desk.emulate_media(media="print")
    assert not desk.locator("nav.navbar").is_visible()  # the print view is the notice alone
    desk.emulate_media(media="screen")

    phone = new_page(viewport=PHONE)
    phone.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    phone = sign_in(phone, office.username)
    phone.goto("/feedback/escalation/statistics/?date_from=2026-09-01&date_to=2026-11-30")
    phone.wait_for_selector("[data-chart=stages] svg")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1  # nothing wider than the phone; tables scroll inside their box
    _shot(phone, "statistics-phone")

    public = new_page(viewport=PHONE)
    public.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    public.goto("/feedback/escalation/public/summary/?month=2026-10")
    public.wait_for_selector("[data-chart=kinds] svg")
    assert "门诊收费争议" not in public.content() and "2026-000418" not in public.content()
    _shot(public, "public-summary-phone")

    assert page_log.csp_violations() == []
    assert page_log.foreign_requests(origin_of(live_server.url)) == []
    assert failed == []  # every resource of the pages loaded (the browser's own favicon probe may 404)
    assert not [line for line in page_log.console
                if line.startswith(("error", "pageerror")) and "Failed to load resource" not in line]
