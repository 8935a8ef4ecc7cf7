"""The publicity demo loads on top of the org and campaign demos, twice without duplicating."""

import pytest

pytestmark = pytest.mark.django_db


def test_demo_publicity_is_idempotent_and_ranks_units():
    from django.utils import timezone

    from xiaoneng.campaigns.demo import demo_campaign_load
    from xiaoneng.org.demo import demo_load
    from xiaoneng.publicity import selectors
    from xiaoneng.publicity.demo import demo_publicity_load
    from xiaoneng.publicity.models import Adoption, NewsItem

    demo_load()
    campaign = demo_campaign_load()
    first = demo_publicity_load()
    counts = (NewsItem.objects.count(), Adoption.objects.count())
    assert demo_publicity_load() == first
    assert (NewsItem.objects.count(), Adoption.objects.count()) == counts
    assert counts[0] >= 10 and counts[1] >= 15
    assert NewsItem.objects.filter(similar_item__isnull=False).exists()
    today = timezone.localdate()
    ranking = selectors.month_ranking(campaign=campaign, year=today.year, month=today.month)
    assert any(row.points > 0 for group in ranking.groups for row in group.rows)
