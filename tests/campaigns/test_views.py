"""Campaign screens through the HTTP client, as the office and as units."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from xiaoneng.campaigns.models import Campaign, DueItem, Submission, SubmissionStatus

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def campaign(client_for, office, unit_a, unit_b):
    response = client_for(office).post("/campaigns/new/", {
        "title": "2026年宣传工作", "kind": "publicity", "year": 2026, "start_date": "2026-02-01",
        "end_date": "2026-12-31", "template": "builtin:publicity_plan"})
    assert response.status_code == 302
    return Campaign.objects.get(title="2026年宣传工作")


def plan_item(unit):
    return DueItem.objects.get(unit=unit, obligation__title__contains="工作方案")


def test_office_creates_a_campaign_from_the_template_and_sees_its_obligations(client_for, office, campaign):
    page = client_for(office).get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "报送宣传工作分管领导、具体工作人员联系方式" in page and "附表1" in page
    assert "报送上阶段工作小结、下阶段工作计划" in page


def test_a_bad_campaign_form_keeps_what_was_typed(client_for, office):
    response = client_for(office).post("/campaigns/new/", {
        "title": "保留的标题", "kind": "publicity", "year": 2026, "start_date": "2026-05-01", "end_date": "2026-01-01"})
    assert response.status_code == 200
    assert "保留的标题" in response.content.decode()
    assert not Campaign.objects.filter(title="保留的标题").exists()


def test_liaison_submits_with_an_attachment_and_the_office_returns_it(client_for, office, liaison_a, unit_a, campaign):
    item = plan_item(unit_a)
    liaison = client_for(liaison_a)
    assert item.obligation.title in liaison.get("/campaigns/my-work/").content.decode()
    with time_machine.travel(dt.datetime(2026, 2, 10, 2, 0, tzinfo=dt.UTC)):
        response = liaison.post(f"/campaigns/due/{item.pk}/", {
            "text": "方案见附件", "idempotency_key": "abc", "files": SimpleUploadedFile("方案.pdf", PDF)})
    assert response.status_code == 302
    submission = Submission.objects.get(due_item=item)
    assert submission.is_on_time
    page = liaison.get(f"/campaigns/due/{item.pk}/").content.decode()
    assert "方案.pdf" in page
    office_client = client_for(office)
    office_client.post(f"/campaigns/submissions/{submission.pk}/review/", {"decision": "return", "comment": "请修改"})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    assert "请修改" in liaison.get(f"/campaigns/due/{item.pk}/").content.decode()


def test_a_refused_attachment_keeps_the_text_and_saves_nothing(client_for, liaison_a, unit_a, campaign):
    item = plan_item(unit_a)
    response = client_for(liaison_a).post(f"/campaigns/due/{item.pk}/", {
        "text": "这段文字不能丢", "files": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 200)})
    assert response.status_code == 200
    assert "这段文字不能丢" in response.content.decode()
    assert not Submission.objects.filter(due_item=item).exists()


def test_a_double_click_on_send_creates_one_submission(client_for, liaison_a, unit_a, campaign):
    item = plan_item(unit_a)
    liaison = client_for(liaison_a)
    for _ in range(2):
        liaison.post(f"/campaigns/due/{item.pk}/", {"text": "稿", "idempotency_key": "same-form"})
    assert Submission.objects.filter(due_item=item).count() == 1


def test_another_units_due_item_is_refused(client_for, liaison_b, unit_a, campaign):
    assert client_for(liaison_b).get(f"/campaigns/due/{plan_item(unit_a).pk}/").status_code == 403


def test_liaison_cannot_create_campaigns(client_for, liaison_a):
    assert client_for(liaison_a).get("/campaigns/new/").status_code == 403


def test_board_and_its_export(client_for, office, liaison_a, unit_a, unit_b, campaign):
    with time_machine.travel(dt.datetime(2026, 2, 10, 2, 0, tzinfo=dt.UTC)):
        client_for(liaison_a).post(f"/campaigns/due/{plan_item(unit_a).pk}/", {"text": "稿"})
    office_client = client_for(office)
    with time_machine.travel(dt.datetime(2026, 3, 1, 2, 0, tzinfo=dt.UTC)):
        page = office_client.get(f"/campaigns/{campaign.pk}/board/").content.decode()
        export = office_client.get(f"/campaigns/{campaign.pk}/board.xlsx")
    assert unit_a.name in page and unit_b.name in page
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet["A2"].value == "单位"
    # The Chinese file name survives the download (RFC 5987), and the sheet is not cached.
    assert "filename*=utf-8''" in export["Content-Disposition"] and export["Cache-Control"] == "no-store"


def test_contact_form_is_filled_in_by_the_unit(client_for, office, liaison_a, unit_a, campaign):
    item = DueItem.objects.get(unit=unit_a, obligation__is_contact_form=True)
    response = client_for(liaison_a).post(f"/campaigns/due/{item.pk}/", {
        "leader_name": "钱分管", "liaison_name": "甲联络", "liaison_phone": "0371-1234567"})
    assert response.status_code == 302
    export = client_for(office).get(f"/campaigns/{campaign.pk}/contacts.xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert any(sheet.cell(r, 3).value == "钱分管" for r in range(5, sheet.max_row + 1))


def test_changing_the_campaign_end_date_withdraws_the_months_after_it(client_for, office, unit_a, campaign):
    response = client_for(office).post(f"/campaigns/{campaign.pk}/edit/", {
        "title": campaign.title, "kind": "publicity", "year": 2026, "start_date": "2026-02-01",
        "end_date": "2026-06-30", "status": "active", "description": ""})
    assert response.status_code == 302
    monthly = DueItem.objects.filter(unit=unit_a, obligation__frequency="monthly")
    assert monthly.filter(period_key="2026-06", state="open").exists()
    assert monthly.filter(period_key="2026-07", state="withdrawn").exists()


def test_a_unit_added_later_gets_its_reports_on_the_nightly_resync(unit_a, campaign, bureau):
    from xiaoneng.campaigns.services import campaigns_resync
    from xiaoneng.org.models import Unit

    late = Unit.objects.create(name="新设单位", kind="hospital", parent=bureau)
    assert not DueItem.objects.filter(unit=late).exists()
    campaigns_resync()
    assert DueItem.objects.filter(unit=late, state="open").count() == DueItem.objects.filter(unit=unit_a).count()


def test_the_board_escapes_what_units_and_obligations_are_called(client_for, office, unit_a, campaign):
    unit_a.name = '<script>alert("x")</script>甲'
    unit_a.save()
    obligation = campaign.obligations.first()
    obligation.title = '<img src=x onerror=alert(1)>'
    obligation.save()
    page = client_for(office).get(f"/campaigns/{campaign.pk}/board/").content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert" in page


def test_the_plan_document_is_kept_with_the_campaign_and_checked_by_content(client_for, office):
    office_client = client_for(office)
    fields = {"title": "带方案的活动", "kind": "other", "year": 2026, "start_date": "2026-03-01",
              "end_date": "2026-12-31", "template": ""}
    refused = office_client.post("/campaigns/new/", {**fields, "plan_document": SimpleUploadedFile(
        "方案.pdf", b"<html><script>alert(1)</script></html>")})
    assert refused.status_code == 200 and not Campaign.objects.filter(title="带方案的活动").exists()
    assert "带方案的活动" in refused.content.decode()
    response = office_client.post("/campaigns/new/", {**fields, "plan_document": SimpleUploadedFile("方案.pdf", PDF)})
    campaign = Campaign.objects.get(title="带方案的活动")
    assert response.status_code == 302 and campaign.plan_file.original_name == "方案.pdf"
    download = office_client.get(f"/files/{campaign.plan_file.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
