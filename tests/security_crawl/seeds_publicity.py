"""Publicity: a campaign with scoring rules; news items, adoptions (one claimed), requests of A and of B.

URL kwargs are all ``pk`` (a campaign, an item, an adoption, a request or a veto), so the crawler
tries every kind's ids; B's rows carry distinctive titles, pages and reasons that A's liaison
must never see. Outlets are a shared list (no unit), so they are not B's.
"""

from __future__ import annotations

from .seeds import World, seed


@seed
def seed_publicity(world: World) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from xiaoneng.campaigns.models import Campaign
    from xiaoneng.publicity import services
    from xiaoneng.publicity.models import (
        Adoption,
        AdoptionStatus,
        Commission,
        NewsItem,
        NewsItemStatus,
        Outlet,
        Veto,
    )

    today = timezone.localdate()
    campaign = Campaign.objects.create(title="甲县宣传计分活动", kind="publicity", year=today.year,
                                       start_date=dt.date(today.year, 1, 1), end_date=dt.date(today.year, 12, 31))
    services.publicity_enable(user=world.office, campaign=campaign)
    world.add_a("publicity_campaign", campaign)
    outlet = Outlet.objects.create(name="市日报（爬虫）", level="city", kind="newspaper")
    second = Outlet.objects.create(name="省卫生健康委网站（爬虫）", level="province", kind="website")

    item_a = services.news_item_submit(user=world.liaison_a, campaign=campaign, title="甲县开展健康义诊活动",
                                       body_html="<p>甲县卫生健康局组织专家下乡义诊。</p>", author="甲作者")
    adoption_a = services.adoption_record(user=world.office, item=item_a, data=services.AdoptionInput(
        outlet=outlet, adopted_on=today, position="inner", page_or_url="第2版", evidence_link="https://example.org/a"))
    claim_a = services.adoption_claim(user=world.liaison_a, item=item_a, data=services.AdoptionInput(
        outlet=second, adopted_on=today, position="front", page_or_url="首页", evidence_link="https://example.org/b"))
    commission_a = services.commission_create(user=world.office, campaign=campaign, units=[world.unit_a],
                                              kind="commissioned", title="甲县约稿：家庭医生签约",
                                              due_on=today + dt.timedelta(days=3))[0]
    world.add_a("news_item", item_a)
    world.add_a("adoption", adoption_a, claim_a)
    world.add_a("commission", commission_a)

    now = timezone.now()
    key = today.year * 100 + today.month
    item_b = NewsItem.objects.create(
        pk=world.b_pk(), campaign=campaign, unit=world.unit_b, title="乙七院独家新闻标题XQ", author="乙七作者XQ",
        body_html="<p>乙七院独家正文XQ</p>", status=NewsItemStatus.SUBMITTED, submitted_at=now, month_key=key,
        created_by=world.liaison_b)
    adoption_b = Adoption.objects.create(
        pk=world.b_pk(), news_item=item_b, outlet=outlet, unit=world.unit_b, adopted_on=today, month_key=key,
        page_or_url="乙七院专属版面XQ", evidence_link="https://example.org/b-only", status=AdoptionStatus.CLAIMED,
        points=Decimal("0"), claimed_by=world.liaison_b, reject_reason="乙七院驳回理由XQ")
    commission_b = Commission.objects.create(
        pk=world.b_pk(), campaign=campaign, unit=world.unit_b, kind="urgent", title="乙七院紧急信息XQ",
        due_on=today, month_key=key, created_by=world.office)
    veto_b = Veto.objects.create(pk=world.b_pk(), campaign=campaign, unit=world.unit_b, month_key=key,
                                 reason="乙七院否决理由XQ", created_by=world.office)
    world.add_b("news_item", item_b, "乙七院独家新闻标题XQ", "乙七作者XQ", "乙七院独家正文XQ")
    world.add_b("adoption", adoption_b, "乙七院专属版面XQ", "乙七院驳回理由XQ")
    world.add_b("commission", commission_b, "乙七院紧急信息XQ")
    world.add_b("veto", veto_b, "乙七院否决理由XQ")

    world.text_setters.extend([
        ("news item title", 300, lambda v: NewsItem.objects.filter(pk=item_a.pk).update(title=v)),
        ("news item author", 200, lambda v: NewsItem.objects.filter(pk=item_a.pk).update(author=v)),
        ("news item body", 2000, lambda v: NewsItem.objects.filter(pk=item_a.pk).update(body_html=v)),
        ("adoption page", 500, lambda v: Adoption.objects.filter(pk=adoption_a.pk).update(page_or_url=v)),
        ("adoption evidence link", 500, lambda v: Adoption.objects.filter(pk=claim_a.pk).update(evidence_link=v)),
        ("adoption reject reason", 2000, lambda v: Adoption.objects.filter(pk=adoption_a.pk).update(reject_reason=v)),
        ("commission title", 300, lambda v: Commission.objects.filter(pk=commission_a.pk).update(title=v)),
    ])
