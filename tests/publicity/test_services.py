"""Publicity services and selectors: items, adoptions and claims, rescoring, rankings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from xiaoneng.core.audit.models import AuditEvent
from xiaoneng.publicity import scoring, selectors, services
from xiaoneng.publicity.models import (
    Adoption,
    AdoptionStatus,
    Commission,
    NewsItemStatus,
    PointEntry,
    ScoringRuleSet,
)

from .conftest import PNG

pytestmark = pytest.mark.django_db

NO_QUOTA = {**scoring.DEFAULT_RULES, "quotas": {}}


def set_rules(office, campaign, data, *, effective_from=dt.date(2026, 1, 1), edit=None):
    return services.rule_set_apply(user=office, campaign=campaign, rules=scoring.Rules.from_dict(data),
                                   name="测试规则", effective_from=effective_from,
                                   edit=edit or ScoringRuleSet.objects.get(campaign=campaign, version=1))


def test_recorded_adoption_is_scored_with_the_rule_version_and_written_to_the_ledger(
        pcampaign, liaison_a, outlets, make_item, record):
    item = make_item(liaison_a, pcampaign)
    adoption = record(item, outlets["人民日报"], position="headline")
    assert adoption.status == AdoptionStatus.VERIFIED
    assert adoption.points == D("40.00")  # central newspaper headline in the built-in table
    assert adoption.rule_version == 1 and adoption.rule_set.version == 1
    entry = PointEntry.objects.get(adoption=adoption)
    assert (entry.unit_id, entry.month_key, entry.points_cents, entry.level) == (item.unit_id, 202603, 4000, "central")


def test_one_item_can_be_adopted_by_several_outlets(pcampaign, liaison_a, outlets, make_item, record):
    item = make_item(liaison_a, pcampaign)
    record(item, outlets["人民日报"])
    record(item, outlets["市日报"])
    assert sorted(item.adoptions.values_list("points", flat=True)) == [D("4.00"), D("20.00")]


def test_the_same_outlet_twice_is_refused_clearly(pcampaign, liaison_a, office, outlets, make_item, record):
    item = make_item(liaison_a, pcampaign)
    record(item, outlets["市日报"])
    with pytest.raises(ValidationError) as exc:
        record(item, outlets["市日报"], day=dt.date(2026, 3, 11))
    assert "市日报" in str(exc.value) and "2026-03-10" in str(exc.value)
    assert item.adoptions.count() == 1


def test_a_double_submit_of_the_same_adoption_keeps_one(pcampaign, liaison_a, outlets, make_item, record):
    item = make_item(liaison_a, pcampaign)
    first = record(item, outlets["市日报"])
    second = record(item, outlets["市日报"])
    assert first.pk == second.pk and item.adoptions.count() == 1


def claim(user, item, outlet, **kw):
    data = services.AdoptionInput(outlet=outlet, adopted_on=kw.pop("day", dt.date(2026, 3, 12)), position="inner",
                                  **kw)
    return services.adoption_claim(user=user, item=item, data=data)


def test_a_claim_without_evidence_is_refused_with_the_reason(pcampaign, liaison_a, outlets, make_item):
    item = make_item(liaison_a, pcampaign)
    with pytest.raises(ValidationError) as exc:
        claim(liaison_a, item, outlets["市日报"])
    assert "Evidence is required" in str(exc.value) or "佐证" in str(exc.value)
    assert not Adoption.objects.exists()


def test_a_claim_with_a_fake_image_is_refused_and_nothing_is_kept(pcampaign, liaison_a, outlets, make_item):
    item = make_item(liaison_a, pcampaign)
    fake = SimpleUploadedFile("截图.png", b"<script>alert(1)</script>", content_type="image/png")
    with pytest.raises(ValidationError):
        claim(liaison_a, item, outlets["市日报"], evidence_upload=fake)
    assert not Adoption.objects.exists()


def test_claim_scores_only_once_verified_and_rejection_needs_a_reason(pcampaign, liaison_a, office, outlets,
                                                                       make_item):
    item = make_item(liaison_a, pcampaign)
    shot = SimpleUploadedFile("网页截图.png", PNG, content_type="image/png")
    adoption = claim(liaison_a, item, outlets["省卫生健康委网站"], evidence_upload=shot)
    assert adoption.status == AdoptionStatus.CLAIMED and adoption.points == 0
    assert adoption.evidence_file.kind == "png"
    assert not PointEntry.objects.exists()
    services.adoption_verify(user=office, adoption=adoption)
    assert adoption.status == AdoptionStatus.VERIFIED and adoption.points == D("10.00")
    with pytest.raises(ValidationError):
        services.adoption_reject(user=office, adoption=adoption, reason="  ")
    services.adoption_reject(user=office, adoption=adoption, reason="截图未显示报头")
    adoption.refresh_from_db()
    assert adoption.points == 0 and adoption.reject_reason == "截图未显示报头"
    assert not PointEntry.objects.exists()
    # verifying twice (a double click) is refused, not applied twice
    with pytest.raises(ValidationError):
        services.adoption_verify(user=office, adoption=adoption)


def test_a_double_click_on_verify_scores_the_claim_once(pcampaign, liaison_a, office, outlets, make_item):
    item = make_item(liaison_a, pcampaign)
    adoption = claim(liaison_a, item, outlets["省卫生健康委网站"], evidence_link="https://example.org/x")
    first, second = Adoption.objects.get(pk=adoption.pk), Adoption.objects.get(pk=adoption.pk)
    services.adoption_verify(user=office, adoption=first)
    with pytest.raises(ValidationError) as exc:
        services.adoption_verify(user=office, adoption=second)
    assert exc.value.code == "stale"
    assert PointEntry.objects.filter(adoption=adoption).count() == 1
    assert selectors.item_points(item_ids=[item.pk])[item.pk] == D("10.00")


def test_another_unit_cannot_claim_or_verify(pcampaign, liaison_a, liaison_b, outlets, make_item):
    item = make_item(liaison_a, pcampaign)
    with pytest.raises(PermissionDenied):
        claim(liaison_b, item, outlets["市日报"], evidence_link="https://example.org/x")
    adoption = claim(liaison_a, item, outlets["市日报"], evidence_link="https://example.org/x")
    with pytest.raises(PermissionDenied):
        services.adoption_verify(user=liaison_a, adoption=adoption)


def test_items_go_through_the_unit_leader_when_the_campaign_says_so(pcampaign, office, liaison_a, leader_a,
                                                                   make_item, outlets, record):
    services.settings_save(user=office, campaign=pcampaign, requires_leader_approval=True,
                           duplicate_threshold=D("0.6"))
    item = make_item(liaison_a, pcampaign)
    assert item.status == NewsItemStatus.AWAITING_APPROVAL and item.submitted_at is None
    with pytest.raises(ValidationError):
        record(item, outlets["市日报"])  # not yet sent to the office
    with pytest.raises(PermissionDenied):
        services.news_item_approve(user=liaison_a, item=item)
    services.news_item_approve(user=leader_a, item=item)
    assert item.status == NewsItemStatus.SUBMITTED and item.submitted_at is not None
    with pytest.raises(ValidationError):
        services.news_item_approve(user=leader_a, item=item)  # twice


def test_body_is_sanitised_and_the_same_form_sent_twice_makes_one_item(pcampaign, liaison_a):
    kwargs = dict(user=liaison_a, campaign=pcampaign, title="标题", author="李四", idempotency_key="k" * 32,
                  body_html='<p onclick="x()">正文<script>alert(1)</script><a href="javascript:alert(1)">链接</a></p>')
    first = services.news_item_submit(**kwargs)
    second = services.news_item_submit(**kwargs)
    assert first.pk == second.pk
    assert "script" not in first.body_html and "onclick" not in first.body_html and "javascript" not in first.body_html


def test_plain_text_lines_become_paragraphs(pcampaign, liaison_a):
    item = services.news_item_submit(user=liaison_a, campaign=pcampaign, title="标题", author="李四",
                                     body_html="第一段 & 说明\n\n第二段")
    assert item.body_html == "<p>第一段 &amp; 说明</p><p>第二段</p>"


def test_an_item_with_an_empty_body_is_refused(pcampaign, liaison_a):
    with pytest.raises(ValidationError) as exc:
        services.news_item_submit(user=liaison_a, campaign=pcampaign, title="标题", author="李四",
                                  body_html="<p> </p>")
    assert "body_html" in exc.value.error_dict


ORIGINAL = ("<p>11月20日，甲县卫生健康局组织县人民医院、县中医院专家团队深入偏远乡镇开展“健康义诊进乡村”活动。"
            "专家们为村民提供血压血糖测量、慢性病用药指导和健康咨询服务，现场发放《居民健康素养66条》宣传资料500余份，"
            "义诊群众320人次，并为行动不便的老人提供上门随访服务。下一步，该局将把义诊活动常态化，每月至少开展一次。</p>")
REWORDED = ("<p>11月20日，乙市人民医院组织县人民医院、县中医院专家团队深入偏远乡镇开展“健康义诊进乡村”活动。"
            "专家们为村民提供血压血糖测量、慢性病用药指导和健康咨询服务，现场发放《居民健康素养66条》宣传资料600余份，"
            "义诊群众320人次，并为行动不便的老人提供上门随访服务。下一步，将把义诊活动常态化。</p>")
UNRELATED = ("<p>为做好冬春季传染病防控工作，乙市人民医院感染管理科近日开展院感防控专项培训，重点讲解手卫生、"
             "医疗废物分类处置和发热门诊预检分诊流程，全院200余名医护人员参加培训并进行了现场考核。</p>")


def test_the_office_is_warned_of_a_near_duplicate_from_another_unit(pcampaign, liaison_a, liaison_b, make_item):
    original = make_item(liaison_a, pcampaign, title="甲县开展健康义诊进乡村活动", body=ORIGINAL)
    copy = make_item(liaison_b, pcampaign, title="乙院开展健康义诊进乡村活动", body=REWORDED)
    other = make_item(liaison_b, pcampaign, title="乙院开展院感防控专项培训", body=UNRELATED)
    copy.refresh_from_db()
    other.refresh_from_db()
    assert copy.similar_item_id == original.pk and copy.similarity >= D("0.6")
    assert other.similar_item_id is None


def test_a_units_own_earlier_item_is_not_a_duplicate_warning(pcampaign, liaison_a, make_item):
    make_item(liaison_a, pcampaign, title="甲县开展健康义诊进乡村活动", body=ORIGINAL)
    again = make_item(liaison_a, pcampaign, title="甲县开展健康义诊进乡村活动（续）", body=ORIGINAL)
    again.refresh_from_db()
    assert again.similar_item_id is None


def ranking_rows(campaign, year=2026, month=3):
    result = selectors.month_ranking(campaign=campaign, year=year, month=month)
    return {row.unit_name: row for group in result.groups for row in group.rows}, result


def test_month_ranking_counts_points_by_level_with_quota_and_year_totals(pcampaign, office, liaison_a, liaison_b,
                                                                          outlets, make_item, record, unit_a, unit_b):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)):
        items_a = [make_item(liaison_a, pcampaign) for _ in range(4)]  # county bureau quota: 4
        item_b = make_item(liaison_b, pcampaign)  # hospital quota: 2, one missing
    record(items_a[0], outlets["人民日报"])              # 20
    record(items_a[1], outlets["市日报"], position="front")  # 6
    record(item_b, outlets["省卫生健康委网站"], position="front")  # 12
    record(item_b, outlets["《卫生信息》"], day=dt.date(2026, 4, 3))  # 3, in April
    rows, result = ranking_rows(pcampaign)
    a, b = rows[unit_a.name], rows[unit_b.name]
    assert (a.points, a.items, a.adoptions, a.by_level["central"], a.by_level["city"]) == (D("36.00"), 4, 2, 1, 1)
    assert (b.points, b.items, b.adoptions, b.by_level["province"]) == (D("10.00"), 1, 1, 1)  # 12 − 2 missing item
    assert a.rank == 1 and b.rank == 1  # different ranking groups
    assert result.tie_break and result.rule_version == 1
    april, _r = ranking_rows(pcampaign, month=4)
    # April: no items sent → hospital −4 deduction on 3 points, floored at 0; year totals add up.
    assert april[unit_b.name].points == D("0.00")
    assert april[unit_b.name].year_points == D("10.00") and april[unit_a.name].year_points == D("36.00")
    assert april[unit_b.name].campaign_points == D("10.00")
    # January and February: quota missed, floored at zero.
    assert rows[unit_a.name].year_points == D("36.00")


def test_ties_share_a_rank_and_the_tie_break_decides_otherwise(pcampaign, office, make_person, liaison_a, outlets,
                                                              make_item, record, unit_a, groups):
    from xiaoneng.org.models import Unit, UnitKind

    set_rules(office, pcampaign, NO_QUOTA)
    c = Unit.objects.create(name="丙县卫生健康局", kind=UnitKind.COUNTY_BUREAU, ranking_group=groups["county"], order=3)
    d = Unit.objects.create(name="丁县卫生健康局", kind=UnitKind.COUNTY_BUREAU, ranking_group=groups["county"], order=4)
    liaison_c = make_person("liaison_c", unit=c, roles=["liaison"])
    liaison_d = make_person("liaison_d", unit=d, roles=["liaison"])
    # A: one provincial website front page (12). C: 3 city items: 4+4+4 = 12. D: 12 the same way as A.
    record(make_item(liaison_a, pcampaign), outlets["省卫生健康委网站"], position="front")
    for _ in range(3):
        record(make_item(liaison_c, pcampaign), outlets["市日报"])
    record(make_item(liaison_d, pcampaign), outlets["省卫生健康委网站"], position="front")
    rows, _r = ranking_rows(pcampaign)
    # equal points; A and D have a higher-level adoption, so they come first and share rank 1
    assert (rows[unit_a.name].rank, rows[d.name].rank, rows[c.name].rank) == (1, 1, 3)
    assert rows[unit_a.name].tied and rows[d.name].tied and not rows[c.name].tied
    # Same inputs → same ranking, in the same order.
    first = selectors.month_ranking(campaign=pcampaign, year=2026, month=3)
    second = selectors.month_ranking(campaign=pcampaign, year=2026, month=3)
    assert [[(r.unit_id, r.rank, r.points) for r in g.rows] for g in first.groups] == \
        [[(r.unit_id, r.rank, r.points) for r in g.rows] for g in second.groups]


def test_veto_zeroes_the_month(pcampaign, office, liaison_a, outlets, make_item, record, unit_a):
    set_rules(office, pcampaign, NO_QUOTA)
    record(make_item(liaison_a, pcampaign), outlets["人民日报"])
    services.veto_set(user=office, campaign=pcampaign, unit=unit_a, year=2026, month=3, reason="信息严重失实")
    rows, _r = ranking_rows(pcampaign)
    assert rows[unit_a.name].points == 0 and rows[unit_a.name].vetoed
    with pytest.raises(ValidationError):
        services.veto_set(user=office, campaign=pcampaign, unit=unit_a, year=2026, month=3, reason="再次")


def test_co_authored_item_points_are_split(pcampaign, office, liaison_a, outlets, make_item, record, unit_a, unit_b):
    set_rules(office, pcampaign, NO_QUOTA)
    item = make_item(liaison_a, pcampaign)
    record(item, outlets["人民日报"])  # 20
    services.news_item_set_shares(user=office, item=item, shares=[(unit_a, D("0.6")), (unit_b, D("0.4"))])
    rows, _r = ranking_rows(pcampaign)
    assert (rows[unit_a.name].points, rows[unit_b.name].points) == (D("12.00"), D("8.00"))
    with pytest.raises(ValidationError):
        services.news_item_set_shares(user=office, item=item, shares=[(unit_a, D("0.6")), (unit_b, D("0.6"))])
    with pytest.raises(ValidationError):
        services.news_item_set_shares(user=office, item=item, shares=[(unit_b, D("1"))])
    assert len(selectors.unit_month_adoptions(campaign=pcampaign, unit=unit_b, year=2026, month=3)) == 1


def test_instruction_bonus_counts_once_per_level(pcampaign, office, liaison_a, outlets, make_item, record, unit_a):
    set_rules(office, pcampaign, NO_QUOTA)
    item = make_item(liaison_a, pcampaign)
    record(item, outlets["市日报"])  # 4
    for leader in ("省卫生健康委主任", "分管副省长"):
        services.instruction_record(user=office, item=item, level="province", leader=leader,
                                    instructed_on=dt.date(2026, 3, 20))
    rows, _r = ranking_rows(pcampaign)
    assert rows[unit_a.name].points == D("24.00")  # 4 + 20 once


def test_missing_and_late_commissions_cost_points(pcampaign, office, liaison_a, outlets, make_item, record, unit_a):
    set_rules(office, pcampaign, NO_QUOTA)
    record(make_item(liaison_a, pcampaign), outlets["人民日报"])  # 20
    services.commission_create(user=office, campaign=pcampaign, units=[unit_a], kind="urgent", title="疫情防控紧急信息",
                               due_on=dt.date(2026, 3, 5))
    rows, _r = ranking_rows(pcampaign)
    assert rows[unit_a.name].points == D("15.00")  # urgent report not sent: −5
    commission = Commission.objects.get()
    answer = make_item(liaison_a, pcampaign)  # submitted today: late
    services.commission_answer(user=liaison_a, commission=commission, item=answer)
    rows, _r = ranking_rows(pcampaign)
    assert rows[unit_a.name].points == D("17.00")  # sent late: −3
    with pytest.raises(ValidationError):
        services.commission_answer(user=liaison_a, commission=commission, item=answer)


def test_a_rule_correction_is_previewed_then_applied_with_an_audit_entry(pcampaign, office, liaison_a, outlets,
                                                                        make_item, record, unit_a):
    set_rules(office, pcampaign, NO_QUOTA)
    march = record(make_item(liaison_a, pcampaign), outlets["市日报"])  # 4 under v1
    may = record(make_item(liaison_a, pcampaign), outlets["市日报"], day=dt.date(2026, 5, 6))
    new = {**NO_QUOTA, "tiers": [*NO_QUOTA["tiers"][:-0 or None]]}
    new["tiers"] = [t if (t["level"], t["kind"], t["position"]) != ("city", "newspaper", "*") else t
                    for t in NO_QUOTA["tiers"]] + [{"level": "city", "kind": "newspaper", "position": "inner",
                                                    "points": "5"}]
    candidate = scoring.Rules.from_dict(new)
    preview = services.rule_change_preview(user=office, campaign=pcampaign, rules=candidate,
                                           effective_from=dt.date(2026, 5, 1))
    assert [(r.month, r.old_points, r.new_points) for r in preview.rows] == [("2026-05", D("4.00"), D("5.00"))]
    assert preview.adoptions_changed == 1
    march.refresh_from_db()
    assert march.rule_version == 1  # nothing written by the preview
    services.rule_set_apply(user=office, campaign=pcampaign, rules=candidate, name="2026年5月修订",
                            effective_from=dt.date(2026, 5, 1))
    march.refresh_from_db()
    may.refresh_from_db()
    assert (march.rule_version, march.points) == (1, D("4.00"))
    assert (may.rule_version, may.points) == (2, D("5.00"))
    event = AuditEvent.objects.filter(action="publicity.rules.new_version").latest("pk")
    assert event.detail["adoptions_rescored"] == 1
    with pytest.raises(PermissionDenied):
        services.rule_change_preview(user=liaison_a, campaign=pcampaign, rules=candidate,
                                     effective_from=dt.date(2026, 5, 1))


def test_unit_figures_for_other_apps(pcampaign, office, liaison_a, outlets, make_item, record, unit_a):
    set_rules(office, pcampaign, NO_QUOTA)
    record(make_item(liaison_a, pcampaign), outlets["人民日报"])
    figures = selectors.unit_publicity_figures(campaign=pcampaign, date_from=dt.date(2026, 1, 1),
                                               date_to=dt.date(2026, 12, 31))
    assert figures[unit_a.pk].adoptions == 1 and figures[unit_a.pk].points == D("20.00")
    assert figures[unit_a.pk].items == 1
