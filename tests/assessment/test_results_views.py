"""Results through the screens and services: averaged rankings, scoping, weights preview, publishing."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse

from xiaoneng.assessment.results import selectors, services
from xiaoneng.assessment.results.demo import scored_rounds_build
from xiaoneng.assessment.results.models import CompositeWeights, Publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(db):
    from xiaoneng.campaigns.models import Campaign

    return Campaign.objects.create(title="2026年效能年活动", year=2026, start_date=dt.date(2026, 1, 1),
                                   end_date=dt.date(2026, 12, 31))


@pytest.fixture
def county_units(unit_a, bureau, groups):
    from xiaoneng.org.models import Unit

    c = Unit.objects.create(name="丙县卫生健康局", kind="county_bureau", parent=bureau,
                            ranking_group=groups["county"], order=3)
    d = Unit.objects.create(name="丁县卫生健康局", kind="county_bureau", parent=bureau,
                            ranking_group=groups["county"], order=4)
    return unit_a, c, d


@pytest.fixture
def scored(campaign, county_units, unit_b):
    a, c, d = county_units
    # a: 90, 85, 86 → 87.00; c: 88, absent, 86 → 87.00 (tied with a); d: 90, 85, 85 → 86.67
    return scored_rounds_build(campaign=campaign, totals=[
        {a: "90", c: "88", d: "90", unit_b: "70"},
        {a: "85", d: "85", unit_b: "71"},
        {a: "86", c: "86", d: "85", unit_b: "72.5"},
    ])


def test_office_sees_the_mean_of_the_rounds_each_unit_took_part_in_with_shared_ranks(client_for, office, scored,
                                                                                      campaign):
    response = client_for(office).get(reverse("assessment_results:final", args=[campaign.pk]))
    assert response.status_code == 200
    results = response.context["results"]
    county = next(g for g in results.groups if g.group_name == "县区组")
    rows = [(r.unit_name, r.rank, r.tied, r.final) for r in county.rows]
    assert rows == [("甲县卫生健康局", 1, True, D("87.00")), ("丙县卫生健康局", 1, True, D("87.00")),
                    ("丁县卫生健康局", 3, False, D("86.67"))]
    assert county.rows[1].round_totals[1] is None  # absent from round 2, not a zero
    city = next(g for g in results.groups if g.group_name == "市直组")
    assert city.rows[0].final == D("71.17") and city.rows[0].rank == 1  # (70+71+72.5)/3 = 71.1666…
    html = response.content.decode()
    assert "86.67" in html and "71.17" in html and 'id="results-chart-1"' in html


def test_rounds_not_locked_are_not_counted(client_for, office, campaign, county_units):
    a, c, _d = county_units
    scored_rounds_build(campaign=campaign, totals=[{a: "80", c: "70"}])
    scored_rounds_build(campaign=campaign, totals=[{a: "40", c: "100"}], lock=False)
    results = selectors.final_results_for_campaign(campaign=campaign)
    assert results.finals == {a.pk: D("80.00"), c.pk: D("70.00")}
    page = client_for(office).get(reverse("assessment_results:final", args=[campaign.pk])).content.decode()
    assert "不计入" in page or "not counted" in page


def test_liaison_sees_only_their_own_unit(client_for, liaison_a, scored, campaign):
    response = client_for(liaison_a).get(reverse("assessment_results:final", args=[campaign.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲县卫生健康局" in html and "87.00" in html
    assert "丙县卫生健康局" not in html and "乙市人民医院" not in html
    composite = client_for(liaison_a).get(reverse("assessment_results:composite", args=[campaign.pk])).content.decode()
    assert "丙县卫生健康局" not in composite and "weights-form" not in composite
    round_page = client_for(liaison_a).get(reverse("assessment_results:round", args=[campaign.pk, scored[0].pk]))
    assert "丁县卫生健康局" not in round_page.content.decode()
    assert client_for(liaison_a).get(reverse("assessment_results:bulletin", args=[campaign.pk])).status_code == 403


def test_units_outside_the_campaign_and_other_roles_are_refused(client_for, make_person, scored, campaign, bureau,
                                                                inspector, system_admin):
    from xiaoneng.org.models import Unit

    other = Unit.objects.create(name="戊县卫生健康局", kind="county_bureau", parent=bureau)
    outsider = make_person("outsider", unit=other, roles=["liaison"])
    url = reverse("assessment_results:final", args=[campaign.pk])
    assert client_for(outsider).get(url).status_code == 403
    assert client_for(inspector).get(url).status_code == 403
    assert client_for(system_admin).get(url).status_code == 403
    assert client_for(outsider).get(reverse("assessment_results:final", args=[999999])).status_code == 404
    assert client_for(outsider).get(reverse("assessment_results:round", args=[campaign.pk, scored[0].pk])).status_code == 403


def test_a_round_of_another_campaign_is_not_found(client_for, office, scored, campaign):
    from xiaoneng.campaigns.models import Campaign

    other = Campaign.objects.create(title="另一活动", year=2026, start_date=dt.date(2026, 1, 1),
                                    end_date=dt.date(2026, 12, 31))
    url = reverse("assessment_results:round", args=[other.pk, scored[0].pk])
    assert client_for(office).get(url).status_code == 404


def test_weights_preview_shows_new_ranks_and_applies_only_when_confirmed(client_for, office, scored, campaign,
                                                                          county_units):
    from xiaoneng.campaigns.models import DueItem, Obligation, Submission
    from xiaoneng.core.audit.models import AuditEvent

    a, c, d = county_units
    obligation = Obligation.objects.create(campaign=campaign, title="月报", frequency="once",
                                           due_date=dt.date(2026, 2, 5))
    now = dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC)
    for unit, on_time in ((a, False), (c, False), (d, True)):
        item = DueItem.objects.create(obligation=obligation, unit=unit, period_key="once", due_date=obligation.due_date)
        Submission.objects.create(due_item=item, unit=unit, status="submitted", submitted_at=now, is_on_time=on_time)
    client = client_for(office)
    data = {"assessment": "50", "publicity": "0", "on_time": "50", "satisfaction": "0"}
    response = client.post(reverse("assessment_results:weights", args=[campaign.pk]), data)
    assert response.status_code == 200
    rows = {r.unit_name: (r.old_rank, r.new_rank) for r in response.context["rows"]}
    assert rows["丁县卫生健康局"] == (3, 1)  # the only one on time climbs from 3rd to 1st
    assert rows["甲县卫生健康局"] == (1, 2)
    assert not CompositeWeights.objects.exists()  # nothing applied by a preview
    response = client.post(reverse("assessment_results:weights", args=[campaign.pk]), {**data, "apply": "1"})
    assert response.status_code == 302
    applied = CompositeWeights.objects.get()
    assert (applied.version, applied.assessment, applied.on_time) == (1, D("50"), D("50"))
    event = AuditEvent.objects.get(action="results.weights_applied")
    assert event.detail["old"]["assessment"] == "100" and event.detail["new"]["on_time"] == "50"
    page = client.get(reverse("assessment_results:composite", args=[campaign.pk]))
    ranked = {r.unit_name: r.rank for g in page.context["results"].groups for r in g.rows}
    assert ranked["丁县卫生健康局"] == 1
    # Applying the same weights again makes no new version.
    client.post(reverse("assessment_results:weights", args=[campaign.pk]), {**data, "apply": "1"})
    assert CompositeWeights.objects.count() == 1


@pytest.mark.parametrize("data", [
    {"assessment": "60", "publicity": "20", "on_time": "0", "satisfaction": "0"},
    {"assessment": "120", "publicity": "-20", "on_time": "0", "satisfaction": "0"},
    {"assessment": "abc", "publicity": "0", "on_time": "0", "satisfaction": "0"},
])
def test_bad_weights_are_refused_with_a_reason_and_change_nothing(client_for, office, scored, campaign, data):
    response = client_for(office).post(reverse("assessment_results:weights", args=[campaign.pk]), {**data, "apply": "1"})
    assert response.status_code == 400
    assert response.context["form"].errors
    assert not CompositeWeights.objects.exists()


def test_only_the_office_changes_weights_or_publishes(client_for, bureau_leader, liaison_a, scored, campaign):
    data = {"assessment": "100", "apply": "1"}
    for user in (bureau_leader, liaison_a):
        assert client_for(user).post(reverse("assessment_results:weights", args=[campaign.pk]), data).status_code == 403
        assert client_for(user).post(reverse("assessment_results:publish", args=[campaign.pk]),
                                     {"kind": "final"}).status_code == 403
    assert client_for(bureau_leader).get(reverse("assessment_results:final", args=[campaign.pk])).status_code == 200


def test_a_unit_missing_a_source_is_scored_over_the_sources_it_has(office, scored, campaign, county_units):
    a, c, d = county_units
    results = selectors.composite_results(campaign=campaign, weights={"assessment": 70, "satisfaction": 30})
    satisfaction = next(s for s in results.sources if s.key == "satisfaction")
    rows = {r.unit_id: r for g in results.groups for r in g.rows}
    # No survey answered: the assessment share carries the whole weight, the score is not pulled to 0.
    assert "satisfaction" in rows[a.pk].missing or not satisfaction.available
    assert rows[a.pk].components["assessment"] == D("87.00")  # of the scheme's full marks, 100
    assert rows[a.pk].score == D("87.00")


def test_publishing_freezes_the_results_and_the_public_page_shows_them_without_signing_in(
        client, client_for, office, scored, campaign, county_units, liaison_a):
    from xiaoneng.assessment.models import SettledScore

    response = client_for(office).post(reverse("assessment_results:publish", args=[campaign.pk]), {"kind": "final"})
    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.revision == 1
    page = client.get(reverse("assessment_results:public_results"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "甲县卫生健康局" in html and "87.00" in html and "86.67" in html
    assert liaison_a.full_name not in html and office.full_name not in html  # no personal data
    # A later change of a score does not change what was published; a new publication is a new revision.
    SettledScore.objects.filter(round_unit__unit=county_units[2]).update(points=D("0"))
    assert "86.67" in client.get(reverse("assessment_results:public_results")).content.decode()
    client_for(office).post(reverse("assessment_results:publish", args=[campaign.pk]), {"kind": "final"})
    assert list(Publication.objects.values_list("revision", flat=True).order_by("revision")) == [1, 2]
    html = client.get(reverse("assessment_results:public_results")).content.decode()
    assert "86.67" not in html  # only the newest revision is listed


def test_publishing_needs_a_locked_round(office, campaign, county_units):
    from django.core.exceptions import ValidationError

    scored_rounds_build(campaign=campaign, totals=[{county_units[0]: "80"}], lock=False)
    with pytest.raises(ValidationError):
        services.publication_publish(campaign=campaign, kind="final", actor=office)
    assert not Publication.objects.exists()


def test_on_time_rate_counts_due_items_due_by_today_or_answered(campaign, unit_a, unit_b):
    from xiaoneng.campaigns.models import DueItem, Obligation, Submission

    now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    items = []
    for n, due in enumerate((dt.date(2026, 2, 5), dt.date(2026, 3, 5), dt.date(2026, 4, 5), dt.date(2026, 9, 5))):
        obligation = Obligation.objects.create(campaign=campaign, title=f"月报{n}", frequency="once", due_date=due)
        items.append(DueItem.objects.create(obligation=obligation, unit=unit_a, period_key="once", due_date=due))
    Submission.objects.create(due_item=items[0], unit=unit_a, status="accepted", submitted_at=now, is_on_time=True)
    Submission.objects.create(due_item=items[1], unit=unit_a, status="submitted", submitted_at=now, is_on_time=False)
    # items[2] due, nothing sent; items[3] not yet due and nothing sent: not counted
    rates = selectors.on_time_percent(campaign=campaign, today=dt.date(2026, 5, 1))
    assert rates[unit_a.pk].quantize(D("0.01")) == D("33.33")
    assert unit_b.pk not in rates


def test_bulletin_docx_has_a_ranking_table_per_group_and_the_tie_break(client_for, office, scored, campaign):
    pytest.importorskip("xiaoneng.core.officialdoc", exc_type=ImportError)
    import docx

    response = client_for(office).get(reverse("assessment_results:bulletin", args=[campaign.pk]) + "?kind=final")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    document = docx.Document(io.BytesIO(response.content))
    tables = document.tables
    assert len(tables) == 2  # 县区组, 市直组
    cells = [[cell.text for cell in row.cells] for row in tables[0].rows]
    assert cells[1][1] == "甲县卫生健康局" and cells[1][-1] == "87.00" and "并列" in cells[1][0]
    assert cells[3][0] == "3" and cells[3][-1] == "86.67"
    text = "\n".join(p.text for p in document.paragraphs)
    assert selectors.final_tie_break_text() in text


def test_composite_bulletin_lists_the_weights(client_for, office, scored, campaign):
    pytest.importorskip("xiaoneng.core.officialdoc", exc_type=ImportError)
    import docx

    services.weights_apply(campaign=campaign, weights={"assessment": 80, "on_time": 20}, actor=office)
    response = client_for(office).get(reverse("assessment_results:bulletin", args=[campaign.pk]) + "?kind=composite")
    document = docx.Document(io.BytesIO(response.content))
    header = [cell.text for cell in document.tables[0].rows[0].cells]
    assert any("80" in h for h in header) and any("20" in h for h in header)
