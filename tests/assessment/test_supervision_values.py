"""Targets of a campaign: values the units report or the system computes, and whether each is met."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xiaoneng.assessment.supervision import selectors, services
from xiaoneng.assessment.supervision.models import IndicatorValue, Target

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def campaign(office, unit_a, unit_b):
    from xiaoneng.campaigns import services as campaigns
    from xiaoneng.campaigns.models import Obligation

    campaign = campaigns.campaign_create(user=office, title="2026年妇幼健康目标责任考核", year=2026,
                                         start_date=dt.date(2026, 1, 1), end_date=dt.date(2026, 12, 31))
    campaigns.obligation_save(user=office, obligation=Obligation(
        campaign=campaign, title="报送年度总结", frequency="once", due_date=dt.date(2026, 1, 20)))
    return campaign


@pytest.fixture
def mortality(campaign, office):
    return services.target_create(campaign=campaign, indicator="孕产妇死亡率", operator="<=", value=D("30"),
                                  unit_of_measure="/10万", period="2026年", actor=office)


def test_target_create_normalises_the_unit_and_refuses_bad_input(campaign, office, liaison_a):
    target = services.target_create(campaign=campaign, indicator="婴儿死亡率", operator="<=", value=D("16"),
                                    unit_of_measure="‰", actor=office)
    assert (target.operator, target.value, target.unit_of_measure) == ("<=", D("16"), "‰")
    with pytest.raises(ValidationError):
        services.target_create(campaign=campaign, indicator="x", operator="≈", value=D("1"), unit_of_measure="%")
    with pytest.raises(ValidationError):
        services.target_create(campaign=campaign, indicator=" ", operator=">=", value=D("1"), unit_of_measure="%")
    with pytest.raises(ValidationError):
        services.target_create(campaign=campaign, indicator="x", operator=">=", value="abc", unit_of_measure="%")
    with pytest.raises(PermissionDenied):
        services.target_create(campaign=campaign, indicator="x", operator=">=", value=D("1"), unit_of_measure="%",
                               actor=liaison_a)


def test_a_rate_reported_as_counts_is_judged_per_unit_and_pooled_overall(mortality, office, liaison_a, liaison_b,
                                                                          unit_a, unit_b):
    services.indicator_value_report(user=liaison_a, target=mortality, unit=unit_a, numerator=D("3"),
                                    denominator=D("10000"))
    services.indicator_value_report(user=liaison_b, target=mortality, unit=unit_b, numerator=D("1"),
                                    denominator=D("10000"))
    result = selectors.target_results(target=mortality, user=office)
    by_unit = {row.unit: row.evaluation for row in result.rows}
    assert by_unit[unit_a].met is True and by_unit[unit_a].value == Fraction(30)  # exactly 30/10万: 以下 includes it
    assert by_unit[unit_b].met is True and by_unit[unit_b].value == Fraction(10)
    assert (result.overall.met, result.overall.basis, result.overall.value) == (True, "pooled", Fraction(20))


def test_the_area_value_decides_overall_when_the_office_reports_one(mortality, office, liaison_a, unit_a):
    services.indicator_value_report(user=liaison_a, target=mortality, unit=unit_a, value=D("20"))
    services.indicator_value_report(user=office, target=mortality, unit=None, value=D("0.35"), value_unit="‰")
    result = selectors.target_results(target=mortality, user=office)
    assert (result.overall.met, result.overall.basis, result.overall.value) == (False, "area", Fraction(35))


def test_a_liaison_reports_for_their_own_unit_only(mortality, liaison_a, unit_b):
    with pytest.raises(PermissionDenied):
        services.indicator_value_report(user=liaison_a, target=mortality, unit=unit_b, value=D("1"))
    with pytest.raises(PermissionDenied):
        services.indicator_value_report(user=liaison_a, target=mortality, unit=None, value=D("1"))


def error_codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return {e.code for errors in error.error_dict.values() for e in errors}
    return {e.code for e in error.error_list}


@pytest.mark.parametrize(("fields", "code"), [
    ({"value": D("3"), "value_unit": "个"}, "unit_mismatch"),
    ({"numerator": D("1"), "denominator": D("0")}, "no_population"),
    ({"numerator": D("1")}, "counts"),
    ({"value": D("1"), "numerator": D("1"), "denominator": D("2")}, "both"),
    ({}, "required"),
])
def test_a_value_that_cannot_be_judged_is_refused_with_the_reason_and_not_saved(mortality, liaison_a, unit_a,
                                                                                 fields, code):
    with pytest.raises(ValidationError) as error:
        services.indicator_value_report(user=liaison_a, target=mortality, unit=unit_a, **fields)
    assert code in error_codes(error.value)
    assert not IndicatorValue.objects.exists()


def test_reporting_again_replaces_the_units_value_for_the_period(mortality, liaison_a, unit_a):
    services.indicator_value_report(user=liaison_a, target=mortality, unit=unit_a, value=D("40"))
    services.indicator_value_report(user=liaison_a, target=mortality, unit=unit_a, value=D("25"))
    assert IndicatorValue.objects.get().value == D("25")
    services.indicator_value_report(user=liaison_a, target=mortality, unit=unit_a, value=D("28"), period="2025年")
    assert IndicatorValue.objects.count() == 2
    assert selectors.target_periods(target=mortality) == ["2026年", "2025年"]


def test_the_on_time_submission_rate_is_computed_from_the_campaign(campaign, office, liaison_a, unit_a, unit_b):
    from xiaoneng.campaigns import services as campaigns
    from xiaoneng.campaigns.models import DueItem

    target = services.target_create(campaign=campaign, indicator="按时报送率", operator=">=", value=D("100"),
                                    unit_of_measure="%", actor=office, computed_by="on_time_rate")
    item = DueItem.objects.get(unit=unit_a)
    campaigns.submission_submit(user=liaison_a, due_item=item, text="年度总结")
    # Sent today, after the due date of 20 January: late, so not on time.
    result = selectors.target_results(target=target, user=office)
    rows = {row.unit: row.evaluation for row in result.rows}
    assert rows[unit_a].value == 0 and rows[unit_a].met is False
    assert rows[unit_b].value == 0
    with pytest.raises(ValidationError):
        services.indicator_value_report(user=office, target=target, unit=unit_a, value=D("100"))


def test_publicity_targets_degrade_clearly_until_publicity_provides_its_figures(campaign, office, monkeypatch):
    import sys

    target = services.target_create(campaign=campaign, indicator="被采用稿件", operator=">=", value=D("2"),
                                    unit_of_measure="条", actor=office, computed_by="publicity_adoptions")
    monkeypatch.setitem(sys.modules, "xiaoneng.publicity.selectors", None)  # as if not built yet
    result = selectors.target_results(target=target, user=office)
    assert result.unavailable == "publicity_missing" and result.overall.met is None


def test_publicity_targets_use_the_publicity_figures(campaign, office, unit_a, unit_b, monkeypatch):
    import sys
    import types
    from dataclasses import dataclass

    @dataclass
    class UnitFigures:
        items: int
        adoptions: int
        points: Decimal

    fake = types.ModuleType("xiaoneng.publicity.selectors")
    seen = {}

    def unit_publicity_figures(*, campaign, date_from, date_to):
        seen.update(campaign=campaign, date_from=date_from, date_to=date_to)
        return {unit_a.pk: UnitFigures(5, 3, D("12.5")), unit_b.pk: UnitFigures(2, 1, D("3"))}

    fake.unit_publicity_figures = unit_publicity_figures
    monkeypatch.setitem(sys.modules, "xiaoneng.publicity.selectors", fake)
    target = services.target_create(campaign=campaign, indicator="被采用稿件", operator=">=", value=D("2"),
                                    unit_of_measure="条", actor=office, computed_by="publicity_adoptions")
    result = selectors.target_results(target=target, user=office)
    rows = {row.unit: row.evaluation.met for row in result.rows}
    assert rows == {unit_a: True, unit_b: False}
    assert (result.overall.met, result.overall.met_units, result.overall.judged_units) == (False, 1, 2)
    assert seen["campaign"] == campaign and seen["date_from"] == dt.date(2026, 1, 1)


# --- Screens ----------------------------------------------------------------------------------

def test_the_office_adds_a_target_and_a_unit_reports_its_value_through_the_screens(client_for, campaign, office,
                                                                                   liaison_a, unit_a):
    response = client_for(office).post(f"/supervision/campaigns/{campaign.pk}/targets/new/", {
        "indicator": "高血压患者随访率", "operator": ">=", "value": "95", "unit_of_measure": "%", "period": "2026年",
        "computed_by": ""})
    assert response.status_code == 302
    target = Target.objects.get()
    client = client_for(liaison_a)
    response = client.post(f"/supervision/targets/{target.pk}/", {"unit": unit_a.pk, "period": "2026年",
                                                                  "numerator": "950", "denominator": "1000"})
    assert response.status_code == 302
    page = client.get(f"/supervision/targets/{target.pk}/").content.decode()
    assert "95.00%" in page and "≥ 95%" in page
    listing = client.get(f"/supervision/campaigns/{campaign.pk}/targets/").content.decode()
    assert "高血压患者随访率" in listing


def test_a_bad_value_is_refused_at_the_form_and_keeps_what_was_typed(client_for, mortality, liaison_a, unit_a):
    response = client_for(liaison_a).post(f"/supervision/targets/{mortality.pk}/", {
        "unit": unit_a.pk, "value": "12", "value_unit": "个", "note": "留着"})
    page = response.content.decode()
    assert response.status_code == 400 and "留着" in page
    assert not IndicatorValue.objects.exists()


def test_a_liaison_sees_only_their_units_value(client_for, mortality, liaison_a, liaison_b, unit_a, unit_b):
    services.indicator_value_report(user=liaison_b, target=mortality, unit=unit_b, value=D("10"),
                                    note="乙院内部说明")
    page = client_for(liaison_a).get(f"/supervision/targets/{mortality.pk}/").content.decode()
    assert unit_a.name in page and unit_b.name not in page and "乙院内部说明" not in page


def test_only_the_office_edits_targets(client_for, mortality, liaison_a, office):
    assert client_for(liaison_a).get(f"/supervision/targets/{mortality.pk}/edit/").status_code == 403
    response = client_for(office).post(f"/supervision/targets/{mortality.pk}/edit/", {
        "indicator": "孕产妇死亡率", "operator": "<", "value": "30", "unit_of_measure": "per 10万", "period": "",
        "computed_by": ""})
    assert response.status_code == 302
    mortality.refresh_from_db()
    assert (mortality.operator, mortality.unit_of_measure) == ("<", "1/100000")
