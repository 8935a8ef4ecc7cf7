"""Scoring on a phone with a weak connection, in Chromium at 390x844.

An inspector scores a unit, the network drops mid-way, more fields are typed (kept on the phone),
the network returns and every change arrives exactly once; then the office locks the round and
further changes are refused with the reason.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from .conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _round(office, inspector, unit):
    from xiaoneng.assessment import services
    from xiaoneng.campaigns.models import Campaign

    campaign = Campaign.objects.create(title="2026年效能年活动宣传工作", kind="publicity", year=2026,
                                       start_date=dt.date(2026, 2, 1), end_date=dt.date(2026, 12, 31))
    scheme = services.scheme_create(name="宣传工作督查考核标准", actor=office)
    category = services.criterion_save(scheme=scheme, actor=office, parent=None, code="一", title="组织领导")
    items = [
        services.criterion_save(scheme=scheme, actor=office, parent=category, code="1", title="成立宣传工作领导小组",
                                max_points=Decimal("10"), step=Decimal("1")),
        services.criterion_save(scheme=scheme, actor=office, parent=category, code="2", title="制定宣传工作方案",
                                max_points=Decimal("5"), step=Decimal("0.5"), note_required=True),
        services.criterion_save(scheme=scheme, actor=office, parent=category, code="3", title="按时报送附表2",
                                max_points=Decimal("5"), step=Decimal("1")),
    ]
    round_ = services.round_create(campaign=campaign, scheme=scheme, name="第一轮督查", order=1, actor=office)
    team = services.team_save(round_=round_, name="第一督查组", leader=inspector, members=[], actor=office)
    services.round_units_assign(round_=round_, team=team, units=[unit], actor=office)
    services.round_transition(round_=round_, action="open", actor=office)
    return round_, round_.round_units.get(unit=unit), items


def _item(page, criterion):
    return page.locator(f'[data-criterion="{criterion.pk}"]')


def test_inspector_scores_offline_and_every_change_arrives_once_then_the_locked_round_refuses(
        new_page, sign_in, office, inspector, unit_a, page_log):
    from xiaoneng.assessment.models import Score, ScoreChange
    from xiaoneng.core.audit.models import AuditEvent

    round_, round_unit, items = _round(office, inspector, unit_a)
    phone = sign_in(new_page(viewport=PHONE), inspector.username)
    phone.goto("/assessment/")
    with phone.expect_navigation():
        phone.click(f"[data-testid=my-units] >> text={unit_a.name}")
    assert phone.url.endswith(f"/assessment/score/{round_unit.pk}/")

    # Online: a field is saved as it is typed.
    _item(phone, items[0]).locator("[data-field=points]").fill("9")
    phone.wait_for_selector(f'[data-criterion="{items[0].pk}"].xn-saved')
    # A bad value is refused at the field with the reason, and stays in the box.
    _item(phone, items[1]).locator("[data-field=points]").fill("7")
    phone.wait_for_selector(f'[data-criterion="{items[1].pk}"].xn-error')
    assert _item(phone, items[1]).locator("[data-error=points]").inner_text().strip()
    assert _item(phone, items[1]).locator("[data-field=points]").input_value() == "7"

    # The network drops: what is typed now is kept on the phone.
    phone.context.set_offline(True)
    _item(phone, items[1]).locator("[data-field=points]").fill("4.5")
    _item(phone, items[1]).locator("[data-field=note]").fill("方案未经党组会研究")
    _item(phone, items[2]).locator("[data-field=points]").fill("4")
    phone.wait_for_selector("[data-xn-sync].xn-offline")
    phone.wait_for_selector('[data-xn-sync][data-pending="2"]')
    queue = json.loads(phone.evaluate(
        f"localStorage.getItem('xn-score:{round_unit.pk}:{inspector.pk}')"))
    assert {c["criterion"] for c in queue} == {str(items[1].pk), str(items[2].pk)}
    assert not Score.objects.filter(criterion__in=items[1:], points__isnull=False).exists()

    # The network returns: the queue is sent, once.
    phone.context.set_offline(False)
    phone.wait_for_selector('[data-xn-sync][data-pending="0"]', timeout=20_000)
    phone.wait_for_selector(f'[data-criterion="{items[2].pk}"].xn-saved')
    scores = {s.criterion_id: s for s in Score.objects.filter(sheet__round_unit=round_unit)}
    assert scores[items[0].pk].points == Decimal("9")
    assert scores[items[1].pk].points == Decimal("4.5") and scores[items[1].pk].note == "方案未经党组会研究"
    assert scores[items[2].pk].points == Decimal("4")
    applied = ScoreChange.objects.filter(sheet__round_unit=round_unit, ok=True)
    assert sorted(applied.values_list("criterion_id", flat=True)) == sorted([items[0].pk, items[1].pk, items[2].pk])
    assert AuditEvent.objects.filter(action="assessment.score").count() == 3
    assert phone.evaluate(f"localStorage.getItem('xn-score:{round_unit.pk}:{inspector.pk}')") == "[]"

    # The office closes and locks the round.
    desk = sign_in(new_page(), office.username)
    desk.goto(f"/assessment/rounds/{round_.pk}/")
    with desk.expect_navigation():
        desk.click(f"form[action$='/rounds/{round_.pk}/close/'] button[type=submit]")
    with desk.expect_navigation():
        desk.click("[data-testid=lock]")
    assert desk.locator("[data-testid=locked]").is_visible()

    # A change typed on the still-open phone page is refused with the reason; nothing changes.
    _item(phone, items[2]).locator("[data-field=points]").fill("5")
    phone.wait_for_selector(f'[data-criterion="{items[2].pk}"].xn-error')
    reason = _item(phone, items[2]).locator("[data-error=points]").inner_text()
    assert round_.name in reason
    assert Score.objects.get(sheet__round_unit=round_unit, criterion=items[2]).points == Decimal("4")
    phone.reload()
    assert phone.locator("[data-testid=refusal]").is_visible()
    assert phone.locator(f'#points_{items[2].pk}').is_disabled()
    assert page_log.csp_violations() == []
