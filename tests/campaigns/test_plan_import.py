"""Importing a work plan: upload, review what was read, confirm, and a campaign exists with its obligations."""

from __future__ import annotations

import datetime as dt
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoneng.campaigns.models import Campaign, DueItem, FrequencyChoice

pytestmark = pytest.mark.django_db


def plan_extraction_dir() -> Path:
    configured = os.environ.get("XIAONENG_PLAN_EXTRACTION_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[2].parent / "shared" / "plan-extraction"


PLAN_000 = plan_extraction_dir() / "docs" / "000_f6faec7c6a1718b9.txt"
needs_plan = pytest.mark.skipif(not PLAN_000.is_file(), reason=f"shared plan document not found at {PLAN_000}")


class FormFields(HTMLParser):
    """The values a browser would send for the page's main form (inputs, checked boxes, selected options)."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, object] = {}
        self._select: str | None = None
        self._first_option: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if attrs.get("type") == "checkbox":
                if "checked" in attrs:
                    self.data[name] = "on"
            elif attrs.get("type") != "submit":
                self.data[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select, self._first_option = name, None
            self.data[name] = ""
        elif tag == "option" and self._select:
            if self._first_option is None:
                self._first_option = attrs.get("value", "")
            if "selected" in attrs:
                self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def form_fields(html: str) -> dict:
    parser = FormFields()
    parser.feed(html)
    return parser.data


def upload(client, content: bytes, name: str = "plan.txt"):
    return client.post("/campaigns/import/", {"file": SimpleUploadedFile(name, content, "text/plain")})


@pytest.fixture
def office_client(client_for, office, unit_a, unit_b):
    return client_for(office)


@pytest.fixture
def review(office_client):
    response = upload(office_client, PLAN_000.read_bytes(), PLAN_000.name)
    assert response.status_code == 302
    return response["Location"]


def row_with(fields: dict, text: str) -> str:
    """The form prefix (item-N) of the schedule row whose text is `text`."""
    return next(key[: -len("-text")] for key, value in fields.items()
                if key.startswith("item-") and key.endswith("-text") and value == text)


@needs_plan
def test_an_uploaded_plan_shows_its_text_with_the_items_marked_and_the_items_as_a_form(office_client, review):
    page = office_client.get(review).content.decode()
    assert '<mark id="item-0" class="xn-mark-item">在2月14日前</mark>' in page
    assert '<mark id="item-2" class="xn-mark-item">每月5日前</mark>' in page
    assert "卫生厅效能年活动宣传工作方案" in page
    fields = form_fields(page)
    assert fields["plan-year"] == "2009"
    assert fields[row_with(fields, "每月5日前") + "-freq"] == "monthly"
    assert fields[row_with(fields, "每月5日前") + "-day"] == "5"
    assert fields["item-TOTAL_FORMS"] == "8"  # five items read plus three empty rows
    assert Campaign.objects.count() == 0


@needs_plan
def test_confirming_the_review_creates_the_campaign_with_its_obligations(office_client, review, unit_a):
    page = office_client.get(review).content.decode()
    response = office_client.post(review, form_fields(page))
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/"
    assert campaign.year == 2009 and campaign.title == "卫生厅效能年活动宣传工作方案(市)"
    contact = campaign.obligations.get(frequency=FrequencyChoice.ONCE, due_date=dt.date(2009, 2, 14))
    assert contact.is_contact_form and contact.form_name == "附表1"
    assert contact.title.startswith("各县区卫生局") and "2月14日前" in contact.title and len(contact.title) <= 60
    monthly = campaign.obligations.get(frequency=FrequencyChoice.MONTHLY, day=5)
    assert "佐证资料" in monthly.title or "媒体" in monthly.title
    relative = campaign.obligations.get(frequency=FrequencyChoice.RELATIVE)
    assert relative.anchor == "phase_end" and relative.offset == 7 and not relative.working_days
    assert DueItem.objects.filter(obligation=contact, unit=unit_a, due_date__month=2).exists()
    assert campaign.tasks.filter(title="张贴标语,营造氛围").exists()
    assert not campaign.tasks.filter(title="宣传重点").exists()  # level-1 headings are sections, not tasks
    detail = office_client.get(response["Location"]).content.decode()
    assert "附表1" in detail


@needs_plan
def test_only_the_headings_left_ticked_on_the_review_become_tasks(office_client, review):
    page = office_client.get(review).content.decode()
    fields = form_fields(page)
    ticked = [key for key in fields if key.startswith("heading-") and key.endswith("-task")]
    assert len(ticked) == 22  # no sub-headings under 宣传重点 here, so every level-2 heading is offered
    titles = {key[: -len("-title")]: value for key, value in fields.items()
              if key.startswith("heading-") and key.endswith("-title")}
    keep = next(p for p, title in titles.items() if title == "张贴标语,营造氛围")
    for key in ticked:
        if key != keep + "-task":
            del fields[key]
    office_client.post(review, fields)
    assert list(Campaign.objects.get().tasks.values_list("title", flat=True)) == ["张贴标语,营造氛围"]


@needs_plan
def test_an_edited_item_is_used_for_the_campaign(office_client, review):
    fields = form_fields(office_client.get(review).content.decode())
    fields[row_with(fields, "每月5日前") + "-day"] = "6"
    office_client.post(review, fields)
    campaign = Campaign.objects.get()
    assert campaign.obligations.filter(frequency=FrequencyChoice.MONTHLY, day=6).exists()
    assert not campaign.obligations.filter(day=5).exists()


@needs_plan
def test_a_deleted_item_and_an_added_row_are_respected(office_client, review):
    fields = form_fields(office_client.get(review).content.decode())
    fields[row_with(fields, "2月20日前") + "-delete"] = "on"
    fields.update({"item-5-kind": "deadline", "item-5-text": "6月30日前", "item-5-name": "报送半年总结",
                   "item-5-end": "--06-30"})
    office_client.post(review, fields)
    campaign = Campaign.objects.get()
    assert not campaign.obligations.filter(due_date=dt.date(2009, 2, 20)).exists()
    assert campaign.obligations.get(title="报送半年总结").due_date == dt.date(2009, 6, 30)


@needs_plan
def test_a_wrong_date_is_shown_next_to_the_field_and_keeps_what_was_typed(office_client, review):
    fields = form_fields(office_client.get(review).content.decode())
    prefix = row_with(fields, "在2月14日前")
    fields[prefix + "-end"] = "2009-02-30"
    fields[prefix + "-kind"] = "deadline"
    response = office_client.post(review, fields)
    page = response.content.decode()
    assert response.status_code == 200 and Campaign.objects.count() == 0
    assert 'value="2009-02-30"' in page and "invalid-feedback" in page
    assert "YYYY-MM-DD" in page or "年" in page


@needs_plan
def test_an_unknown_kind_is_refused(office_client, review):
    fields = form_fields(office_client.get(review).content.decode())
    fields[row_with(fields, "每月5日前") + "-kind"] = "sometimes"
    response = office_client.post(review, fields)
    assert response.status_code == 200 and Campaign.objects.count() == 0


@needs_plan
def test_confirming_twice_creates_one_campaign(office_client, review):
    fields = form_fields(office_client.get(review).content.decode())
    first = office_client.post(review, fields)
    second = office_client.post(review, fields)
    assert Campaign.objects.count() == 1
    assert first["Location"].startswith("/campaigns/") and second["Location"] == "/campaigns/"


@pytest.mark.parametrize("content", [b"", b"   \n", bytes(range(256)) * 8], ids=["empty", "blank", "binary"])
def test_a_bad_upload_shows_the_reason_and_creates_nothing(office_client, content):
    response = upload(office_client, content)
    page = response.content.decode()
    assert response.status_code == 200
    assert "invalid-feedback" in page
    assert "campaign_plan_drafts" not in office_client.session
    assert Campaign.objects.count() == 0


def test_a_binary_file_is_refused_with_the_library_reason(office_client):
    page = upload(office_client, b"\x00\x01\x02\xff" * 500, "plan.txt").content.decode()
    assert "文件" in page and "invalid-feedback" in page


def test_a_liaison_cannot_import_a_plan(client_for, liaison_a):
    client = client_for(liaison_a)
    assert client.get("/campaigns/import/").status_code == 403
    assert upload(client, b"x").status_code == 403
    assert client.get("/campaigns/import/abc/").status_code == 403


def test_the_campaign_list_offers_the_import_to_the_office(office_client):
    assert 'href="/campaigns/import/"' in office_client.get("/campaigns/").content.decode()


def test_markup_in_an_uploaded_plan_is_shown_as_text_not_run(office_client):
    plan = "2026年宣传工作方案\n\n一、主要任务\n\n(一)<b>加强</b>宣传\n\n各单位于3月5日前报送<script>alert(1)</script>。\n"
    response = upload(office_client, plan.encode())
    page = office_client.get(response["Location"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    assert '<mark id="item-0" class="xn-mark-item">于3月5日前</mark>' in page
    assert '<mark id="heading-1" class="xn-mark-heading">(一)&lt;b&gt;加强' in page


# --- Targets: the plan's quantitative goals become Target rows of the campaign (supervision) -------

TARGET_PLAN = """关于印发2016年卫生计生工作目标责任考核实施方案的通知
一、工作目标
(一)妇幼健康
确保孕产妇和儿童系统管理率保持在95%以上，孕产妇死亡率控制在30/10万以下，婴儿死亡率控制在16‰以下。
(二)公共卫生
高血压患者随访率达到95%以上，每年开展培训活动不低于4次，群众满意度超过90%。
二、工作要求
各单位于12月10日前报送工作总结。
""".encode()


def target_review(office_client) -> tuple[str, dict]:
    location = upload(office_client, TARGET_PLAN, "targets.txt")["Location"]
    return location, form_fields(office_client.get(location).content.decode())


def target_prefix(fields: dict, indicator: str) -> str:
    return next(key[: -len("-indicator")] for key, value in fields.items()
                if key.startswith("target-") and key.endswith("-indicator") and value == indicator)


def test_the_review_offers_each_target_read_from_the_plan_as_a_row(office_client):
    location, fields = target_review(office_client)
    assert fields["target-TOTAL_FORMS"] == "7"  # six read, one empty row to add one
    prefix = target_prefix(fields, "孕产妇死亡率")
    assert (fields[prefix + "-op"], fields[prefix + "-value"], fields[prefix + "-unit"]) == ("<=", "30", "1/100000")
    assert 'class="xn-mark-target"' in office_client.get(location).content.decode()


def test_confirming_creates_the_targets_with_their_operators_values_and_units(office_client):
    from decimal import Decimal

    location, fields = target_review(office_client)
    response = office_client.post(location, fields)
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    rows = {t.indicator: (t.operator, t.value, t.unit_of_measure) for t in campaign.targets.all()}
    assert rows == {
        "孕产妇和儿童系统管理率": (">=", Decimal("95"), "%"),
        "孕产妇死亡率": ("<=", Decimal("30"), "1/100000"),
        "婴儿死亡率": ("<=", Decimal("16"), "‰"),
        "高血压患者随访率": (">=", Decimal("95"), "%"),
        "每年开展培训活动": (">=", Decimal("4"), "次"),
        "群众满意度": (">", Decimal("90"), "%"),  # 超过 excludes the number
    }
    assert campaign.targets.get(indicator="孕产妇死亡率").source_span == "孕产妇死亡率控制在30/10万以下"
    assert "目标" not in campaign.description  # no longer copied into the description


def test_a_corrected_deleted_and_added_target_are_respected(office_client):
    location, fields = target_review(office_client)
    fields[target_prefix(fields, "群众满意度") + "-op"] = ">="
    fields[target_prefix(fields, "每年开展培训活动") + "-delete"] = "on"
    fields.update({"target-6-indicator": "健康教育知晓率", "target-6-op": ">=", "target-6-value": "85",
                   "target-6-unit": "%"})
    office_client.post(location, fields)
    campaign = Campaign.objects.get()
    assert campaign.targets.get(indicator="群众满意度").operator == ">="
    assert not campaign.targets.filter(indicator="每年开展培训活动").exists()
    assert campaign.targets.get(indicator="健康教育知晓率").value == 85
    assert campaign.targets.count() == 6


def test_a_target_row_without_a_value_is_refused_at_the_field_and_nothing_is_created(office_client):
    location, fields = target_review(office_client)
    fields[target_prefix(fields, "婴儿死亡率") + "-value"] = ""
    response = office_client.post(location, fields)
    assert response.status_code == 200 and "invalid-feedback" in response.content.decode()
    assert Campaign.objects.count() == 0


def test_a_failure_while_creating_the_targets_leaves_nothing_behind(office_client, monkeypatch):
    from django.core.exceptions import ValidationError

    from xiaoneng.assessment.supervision import services as supervision
    from xiaoneng.assessment.supervision.models import Target
    from xiaoneng.campaigns.models import Obligation

    real = supervision.target_create
    calls = []

    def failing(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise ValidationError("目标写入失败")
        return real(**kwargs)

    monkeypatch.setattr(supervision, "target_create", failing)
    location, fields = target_review(office_client)
    response = office_client.post(location, fields)
    assert response.status_code == 200 and "目标写入失败" in response.content.decode()
    assert (Campaign.objects.count(), Target.objects.count(), Obligation.objects.count()) == (0, 0, 0)
    office_client.post(location, fields)  # the draft is kept: confirming again works once it can
    assert Campaign.objects.count() == 1
