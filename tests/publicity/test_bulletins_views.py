"""The bulletin screens through the HTTP client: office publishes, units get 附表2, the public reads."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from xiaoneng.publicity.bulletins.models import Publication, Revision

from .test_bulletins_support import (  # noqa: F401 - fixtures
    campaign_fixture,
    corrected_groups,
    last_month,
    live_fixture,
    publicity_campaign_fixture,
    row,
)

pytestmark = pytest.mark.django_db


def month_url(name, campaign):
    year, month = last_month()
    return reverse(f"publicity_bulletins:{name}", kwargs={"campaign_id": campaign.pk, "year": year, "month": month})


def publish_form(**extra):
    data = {"title": "关于宣传信息工作情况的通报", "issuer": "测试市卫生健康委员会效能办", "number": "",
            "recipients": "各县区卫生健康局：", "issued_on": "2026-11-05"}
    data.update(extra)
    return data


def test_office_publishes_a_month_from_its_page_and_a_double_post_makes_one(client_for, office, campaign, live):
    client = client_for(office)
    page = client.get(month_url("month", campaign))
    assert page.status_code == 200
    html = page.content.decode()
    assert "东城区卫生健康局" in html and 'name="title"' in html
    # The date picker gets an ISO value whatever the language (else the browser shows it empty).
    from django.utils import timezone

    assert f'value="{timezone.localdate().isoformat()}"' in html
    # Each unit's name leads to its 附表2 for the month.
    year, month = last_month()
    assert f"/publicity/bulletins/report/{campaign.pk}/1/{year}/{month}/" in html
    first = client.post(month_url("publish", campaign), publish_form())
    second = client.post(month_url("publish", campaign), publish_form())
    assert first.status_code == 302 and second.status_code == 302
    assert Publication.objects.count() == 1 and Revision.objects.count() == 1
    page = client.get(month_url("month", campaign)).content.decode()
    assert "关于宣传信息工作情况的通报" in page and 'data-testid="revision"' in page


def test_office_issues_a_revision_and_the_page_shows_what_changed(client_for, office, campaign, live):
    client = client_for(office)
    client.post(month_url("publish", campaign), publish_form())
    refused = client.post(month_url("revise", campaign), {"note": "再发一次", "issued_on": "2026-11-20"})
    assert refused.status_code == 400 and Revision.objects.count() == 1
    live["groups"] = corrected_groups()
    response = client.post(month_url("revise", campaign), {"note": "补录西城区省级网站采用1条",
                                                          "issued_on": "2026-11-20"})
    assert response.status_code == 302
    html = client.get(month_url("month", campaign)).content.decode()
    assert "补录西城区省级网站采用1条" in html and 'data-testid="revision-changes"' in html
    assert "20.00 → 24.00" in html


def test_only_the_office_opens_the_month_page_or_publishes(client_for, liaison_a, campaign, live):
    client = client_for(liaison_a)
    assert client.get(month_url("month", campaign)).status_code == 403
    assert client.post(month_url("publish", campaign), publish_form()).status_code == 403
    assert not Publication.objects.exists()


def test_a_month_that_does_not_exist_is_not_found(client_for, office, campaign):
    url = reverse("publicity_bulletins:month", kwargs={"campaign_id": campaign.pk, "year": 2026, "month": 13})
    assert client_for(office).get(url).status_code == 404


def test_public_ranking_needs_no_sign_in_and_shows_the_latest_revision(client_for, office, campaign, live):
    anonymous = Client()
    empty = anonymous.get(reverse("publicity_bulletins:public_ranking"))
    assert empty.status_code == 200
    client_for(office).post(month_url("publish", campaign), publish_form())
    live["groups"] = corrected_groups()
    client_for(office).post(month_url("revise", campaign), {"note": "补录西城区省级网站采用1条",
                                                           "issued_on": "2026-11-20"})
    response = anonymous.get(reverse("publicity_bulletins:public_ranking"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "关于宣传信息工作情况的通报" in html and "补录西城区省级网站采用1条" in html
    assert "24.00" in html and "南湖区卫生健康局" in html  # the removed unit is listed among the changes
    rows = re.findall(r'data-testid="ranking-row"', html)
    assert len(rows) == 3
    # Nothing personal: no account names, no phone numbers.
    assert office.full_name not in html and office.username not in html
    assert not re.search(r"1[3-9]\d{9}", html)
    publication = Publication.objects.get()
    assert anonymous.get(reverse("publicity_bulletins:public_month", args=[publication.pk])).status_code == 200
    assert anonymous.get(reverse("publicity_bulletins:public_month", args=[publication.pk + 99])).status_code == 404


def test_public_bulletin_download_is_the_frozen_document(client_for, office, campaign, live):
    client_for(office).post(month_url("publish", campaign), publish_form())
    revision = Revision.objects.get()
    live["groups"] = corrected_groups()  # a later correction does not change the published file
    response = Client().get(reverse("publicity_bulletins:bulletin_docx", args=[revision.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == bytes(revision.docx)
    table = Document(io.BytesIO(response.content)).tables[0]
    assert [c.text for c in table.rows[2].cells] == ["2（并列）", "西城区卫生健康局", "2", "20.00"]
    assert Client().get(reverse("publicity_bulletins:bulletin_docx", args=[revision.pk + 5])).status_code == 404


def test_liaison_opens_downloads_and_sends_form2_for_own_unit(client_for, liaison_a, unit_a, publicity_campaign):
    year, month = last_month()
    kwargs = {"campaign_id": publicity_campaign.pk, "unit_id": unit_a.pk, "year": year, "month": month}
    client = client_for(liaison_a)
    page = client.get(reverse("publicity_bulletins:unit_report", kwargs=kwargs))
    assert page.status_code == 200 and "信息采用情况统计表" in page.content.decode()
    download = client.get(reverse("publicity_bulletins:unit_report_xlsx", kwargs=kwargs))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert sheet["A2"].value.startswith(unit_a.name)
    sent = client.post(reverse("publicity_bulletins:unit_report", kwargs=kwargs), {"idempotency_key": "abc"})
    assert sent.status_code == 302 and "/campaigns/due/" in sent["Location"]
    again = client.post(reverse("publicity_bulletins:unit_report", kwargs=kwargs), {"idempotency_key": "def"})
    assert again.status_code == 400


def test_form2_page_says_when_the_campaign_asks_no_monthly_report(client_for, liaison_a, unit_a, campaign):
    year, month = last_month()
    kwargs = {"campaign_id": campaign.pk, "unit_id": unit_a.pk, "year": year, "month": month}
    client = client_for(liaison_a)
    from xiaoneng.campaigns.models import Obligation

    # The campaign asks something of the unit (so the unit sees it), but no monthly report.
    Obligation.objects.create(campaign=campaign, title="报送方案", frequency="once", due_date=campaign.end_date)
    from xiaoneng.campaigns.services import campaign_sync

    campaign_sync(campaign=campaign)
    page = client.get(reverse("publicity_bulletins:unit_report", kwargs=kwargs))
    assert page.status_code == 200 and 'data-testid="no-obligation"' in page.content.decode()


def test_another_units_form2_is_refused(client_for, liaison_b, unit_a, publicity_campaign):
    year, month = last_month()
    kwargs = {"campaign_id": publicity_campaign.pk, "unit_id": unit_a.pk, "year": year, "month": month}
    client = client_for(liaison_b)
    assert client.get(reverse("publicity_bulletins:unit_report", kwargs=kwargs)).status_code == 403
    assert client.get(reverse("publicity_bulletins:unit_report_xlsx", kwargs=kwargs)).status_code == 403
    assert client.post(reverse("publicity_bulletins:unit_report", kwargs=kwargs)).status_code == 403


def test_bulletins_home_lists_months_for_the_office_and_form2_for_units(client_for, office, liaison_a,
                                                                         publicity_campaign):
    year, month = last_month()
    office_html = client_for(office).get(reverse("publicity_bulletins:home")).content.decode()
    assert month_url("month", publicity_campaign) in office_html
    liaison_html = client_for(liaison_a).get(reverse("publicity_bulletins:home")).content.decode()
    assert f"/publicity/bulletins/report/{publicity_campaign.pk}/{liaison_a.unit_id}/{year}/{month}/" in liaison_html


def test_tied_and_vetoed_units_are_marked_on_the_public_page(client_for, office, campaign, live):
    live["groups"] = [("县区卫生健康局", [row(1, "东城区卫生健康局", 1, "5.00", tied=True),
                                         row(2, "西城区卫生健康局", 1, "5.00", tied=True),
                                         row(3, "南湖区卫生健康局", 3, "0.00", vetoed=True)])]
    client_for(office).post(month_url("publish", campaign), publish_form())
    html = Client().get(reverse("publicity_bulletins:public_ranking")).content.decode()
    assert html.count("badge text-bg-light") == 2 and "badge text-bg-danger" in html
