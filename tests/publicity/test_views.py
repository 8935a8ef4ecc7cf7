"""Publicity screens through the HTTP client: units see their own, the office verifies, ranks and edits rules."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoneng.publicity.models import Adoption, AdoptionStatus, NewsItem, ScoringRuleSet

from .conftest import PNG

pytestmark = pytest.mark.django_db


def token_of(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)


def test_liaison_sends_an_item_and_a_double_submit_makes_one(client_for, liaison_a, pcampaign):
    c = client_for(liaison_a)
    page = c.get(f"/publicity/campaign/{pcampaign.pk}/items/new/").content.decode()
    data = {"title": "甲县开展健康义诊", "author": "赵联络", "body_html": "<p>正文内容</p>",
            "idempotency_key": token_of(page)}
    first = c.post(f"/publicity/campaign/{pcampaign.pk}/items/new/", data)
    second = c.post(f"/publicity/campaign/{pcampaign.pk}/items/new/", data)
    assert first.status_code == second.status_code == 302
    assert NewsItem.objects.count() == 1
    detail = c.get(first["Location"]).content.decode()
    assert "甲县开展健康义诊" in detail and "0" in detail


def test_a_bad_item_form_keeps_what_was_typed(client_for, liaison_a, pcampaign):
    response = client_for(liaison_a).post(f"/publicity/campaign/{pcampaign.pk}/items/new/", {
        "title": "保留的标题", "author": "", "body_html": "<p>正文</p>"})
    assert response.status_code == 200
    assert "保留的标题" in response.content.decode()
    assert not NewsItem.objects.exists()


def test_liaison_never_sees_another_units_items(client_for, liaison_a, liaison_b, pcampaign, make_item):
    item_b = make_item(liaison_b, pcampaign, title="乙院独有标题ZZB")
    c = client_for(liaison_a)
    assert "乙院独有标题ZZB" not in c.get(f"/publicity/campaign/{pcampaign.pk}/").content.decode()
    assert c.get(f"/publicity/items/{item_b.pk}/").status_code == 403
    assert c.get("/publicity/items/999999/").status_code == 404
    assert c.get(f"/publicity/items/{item_b.pk}/adoptions/new/").status_code == 403


def test_liaison_claims_with_a_screenshot_and_the_office_verifies(client_for, liaison_a, office, pcampaign,
                                                                 make_item, outlets):
    item = make_item(liaison_a, pcampaign)
    c = client_for(liaison_a)
    url = f"/publicity/items/{item.pk}/adoptions/new/"
    base = {"outlet": outlets["市日报"].pk, "adopted_on": "2026-03-10", "position": "front", "page_or_url": "第1版"}
    refused = c.post(url, base)
    assert refused.status_code == 200 and not Adoption.objects.exists()
    assert "masthead" in refused.content.decode() or "报头" in refused.content.decode()
    ok = c.post(url, {**base, "evidence_file": SimpleUploadedFile("截图.png", PNG, content_type="image/png")})
    assert ok.status_code == 302
    adoption = Adoption.objects.get()
    assert adoption.status == AdoptionStatus.CLAIMED
    # the liaison cannot verify their own claim
    assert c.post(f"/publicity/adoptions/{adoption.pk}/verify/").status_code == 403
    o = client_for(office)
    assert item.title in o.get(f"/publicity/campaign/{pcampaign.pk}/claims/").content.decode()
    o.post(f"/publicity/adoptions/{adoption.pk}/verify/", {"next": "claims"})
    adoption.refresh_from_db()
    assert adoption.status == AdoptionStatus.VERIFIED and adoption.points > 0
    # the liaison sees the points on the item
    assert str(adoption.points) in c.get(f"/publicity/items/{item.pk}/").content.decode()


def test_office_ranking_page_and_liaison_own_standing(client_for, office, liaison_a, liaison_b, bureau_leader,
                                                     pcampaign, make_item, outlets, record, unit_a, unit_b):
    record(make_item(liaison_a, pcampaign), outlets["人民日报"])
    record(make_item(liaison_b, pcampaign), outlets["市日报"])
    for user in (office, bureau_leader):
        page = client_for(user).get(f"/publicity/campaign/{pcampaign.pk}/ranking/?month=2026-03").content.decode()
        assert unit_a.name in page and unit_b.name in page and "data-xn-chart" in page
    own = client_for(liaison_a).get(f"/publicity/campaign/{pcampaign.pk}/ranking/?month=2026-03").content.decode()
    assert unit_a.name not in own or "own-standing" in own
    assert unit_b.name not in own
    assert "own-standing" in own


def test_rules_editor_previews_then_applies(client_for, office, liaison_a, pcampaign, make_item, outlets, record):
    record(make_item(liaison_a, pcampaign), outlets["市日报"])
    c = client_for(office)
    page = c.get(f"/publicity/campaign/{pcampaign.pk}/rules/edit/?version=1")
    assert page.status_code == 200
    form = page.context["form"]
    tiers = page.context["tiers"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        data[name] = "on" if value is True else str(value)
    data["effective_from"] = "2026-01-01"
    data.update({"tier-TOTAL_FORMS": str(len(tiers.forms)), "tier-INITIAL_FORMS": str(len(tiers.initial)),
                 "tier-MIN_NUM_FORMS": "0", "tier-MAX_NUM_FORMS": "200"})
    for index, initial in enumerate(tiers.initial):
        points = "9" if (initial["level"], initial["kind"], initial["position"]) == ("city", "*", "*") \
            else str(initial["points"])
        data.update({f"tier-{index}-level": initial["level"], f"tier-{index}-kind": initial["kind"],
                     f"tier-{index}-position": initial["position"], f"tier-{index}-points": points})
    data["action"] = "preview"
    preview = c.post(f"/publicity/campaign/{pcampaign.pk}/rules/edit/?version=1", data)
    assert preview.status_code == 200
    body = preview.content.decode()
    assert "rules-preview" in body and "preview-row" in body
    assert Adoption.objects.get().points == 4  # nothing applied yet
    # applying with a token from other rules is shown as a preview again, not applied
    c.post(f"/publicity/campaign/{pcampaign.pk}/rules/edit/?version=1",
           {**data, "action": "apply", "preview_token": "forged"})
    assert Adoption.objects.get().points == 4
    token = re.search(r'name="preview_token" value="([0-9a-f]+)"', body).group(1)
    applied = c.post(f"/publicity/campaign/{pcampaign.pk}/rules/edit/?version=1",
                     {**data, "action": "apply", "preview_token": token})
    assert applied.status_code == 302
    assert Adoption.objects.get().points == 9
    assert ScoringRuleSet.objects.filter(campaign=pcampaign).count() == 1


def test_rules_editor_reports_bad_input(client_for, office, pcampaign):
    c = client_for(office)
    response = c.post(f"/publicity/campaign/{pcampaign.pk}/rules/edit/", {
        "name": "坏规则", "effective_from": "2026-01-01", "headline_bonus": "-1", "feature_page_bonus": "x",
        "photo_bonus": "1", "quota_counts": "submitted", "commissioned_late": "1", "commissioned_missing": "1",
        "urgent_late": "1", "urgent_missing": "1", "tie_break_1": "adoptions",
        "tier-TOTAL_FORMS": "1", "tier-INITIAL_FORMS": "0", "tier-MIN_NUM_FORMS": "0", "tier-MAX_NUM_FORMS": "200",
        "tier-0-level": "city", "tier-0-kind": "*", "tier-0-position": "*", "tier-0-points": "",
        "action": "preview"})
    assert response.status_code == 200
    assert response.context["form"].errors and response.context["tiers"].errors
    assert ScoringRuleSet.objects.filter(campaign=pcampaign).count() == 1


def test_liaison_cannot_open_office_pages(client_for, liaison_a, pcampaign):
    c = client_for(liaison_a)
    for url in (f"/publicity/campaign/{pcampaign.pk}/rules/", f"/publicity/campaign/{pcampaign.pk}/rules/edit/",
                f"/publicity/campaign/{pcampaign.pk}/claims/", f"/publicity/campaign/{pcampaign.pk}/vetoes/",
                f"/publicity/campaign/{pcampaign.pk}/settings/", "/publicity/outlets/"):
        assert c.get(url).status_code == 403, url


def test_office_records_an_adoption_and_outlets(client_for, office, liaison_a, pcampaign, make_item, outlets):
    item = make_item(liaison_a, pcampaign)
    c = client_for(office)
    response = c.post(f"/publicity/items/{item.pk}/adoptions/new/", {
        "outlet": outlets["人民日报"].pk, "adopted_on": "2026-03-10", "position": "headline",
        "evidence_link": "https://paper.people.com.cn/rmrb/html/2026-03/10/nw.D110000renmrb_20260310_1-01.htm"})
    assert response.status_code == 302
    assert Adoption.objects.get().points == 40
    dup = c.post(f"/publicity/items/{item.pk}/adoptions/new/", {
        "outlet": outlets["人民日报"].pk, "adopted_on": "2026-03-11", "position": "inner",
        "evidence_link": "https://example.org/b"})
    assert dup.status_code == 200 and Adoption.objects.count() == 1
    assert "人民日报" in dup.content.decode()
    future = c.post(f"/publicity/items/{item.pk}/adoptions/new/", {
        "outlet": outlets["市日报"].pk, "adopted_on": (dt.date.today() + dt.timedelta(days=30)).isoformat(),
        "position": "inner", "evidence_link": "https://example.org/c"})
    assert future.status_code == 200 and Adoption.objects.count() == 1
    assert c.post("/publicity/outlets/", {"name": "省广播电台", "level": "province", "kind": "radio",
                                          "active": "on", "order": "1"}).status_code == 302
    assert "省广播电台" in c.get("/publicity/outlets/").content.decode()


def test_home_lists_campaigns_and_enables_one(client_for, office, pcampaign):
    from xiaoneng.campaigns.models import Campaign

    other = Campaign.objects.create(title="文明创建", kind="civilisation", year=2026, start_date=dt.date(2026, 1, 1),
                                    end_date=dt.date(2026, 12, 31))
    c = client_for(office)
    page = c.get("/publicity/").content.decode()
    assert pcampaign.title in page and "文明创建" in page
    assert c.post(f"/publicity/campaign/{other.pk}/enable/").status_code == 302
    assert ScoringRuleSet.objects.filter(campaign=other).count() == 1


def test_a_veto_sent_twice_is_kept_once_and_only_reporting_units_can_be_vetoed(client_for, office, liaison_a,
                                                                               pcampaign):
    from xiaoneng.publicity.models import Veto

    c = client_for(office)
    url = f"/publicity/campaign/{pcampaign.pk}/vetoes/"
    data = {"unit": liaison_a.unit_id, "month": "2026-03", "reason": "瞒报重大舆情"}
    assert c.post(url, data).status_code == 302
    again = c.post(url, data)
    assert again.status_code == 200 and again.context["form"].non_field_errors()
    assert Veto.objects.filter(campaign=pcampaign).count() == 1
    # the office's own unit is not ranked, so it is not a choice
    refused = c.post(url, {**data, "unit": office.unit_id})
    assert refused.status_code == 200 and "unit" in refused.context["form"].errors
    assert Veto.objects.filter(campaign=pcampaign).count() == 1
