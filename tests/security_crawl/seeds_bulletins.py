"""Bulletins: a campaign asking unit A for a monthly 附表2, and a published month (a snapshot that ranks A only).

Published rankings are public by design (every unit's name and points), so the seeded
snapshot holds unit A alone; B appears nowhere in it. URL kwargs: ``campaign_id`` (mapped by
seeds_results), ``unit_id`` (mapped in seeds), ``pk`` of a publication or revision.
"""

from __future__ import annotations

from .seeds import KWARG_KINDS, World, seed

KWARG_KINDS.setdefault("campaign_id", "campaign")


@seed
def seed_bulletins(world: World) -> None:
    import datetime as dt
    from decimal import Decimal
    from types import SimpleNamespace

    from django.utils import timezone

    from xiaoneng.campaigns.builtin import PUBLICITY_PLAN, builtin_template
    from xiaoneng.campaigns.services import campaign_create
    from xiaoneng.publicity.bulletins import documents
    from xiaoneng.publicity.bulletins.models import Publication, Revision
    from xiaoneng.publicity.bulletins.snapshot import snapshot_of

    day = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    campaign = campaign_create(user=world.office, template=builtin_template(PUBLICITY_PLAN, day.year),
                               title="甲县宣传信息工作", kind="publicity", year=day.year,
                               start_date=dt.date(day.year, 1, 1), end_date=dt.date(day.year, 12, 31))
    world.add_a("campaign", campaign)
    row = SimpleNamespace(unit_id=world.unit_a.pk, unit_name=world.unit_a.name, rank=1, tied=False,
                          points=Decimal("12.00"), items=3, adoptions=2, by_level={"city": 2}, vetoed=False,
                          year_points=Decimal("30.00"), campaign_points=Decimal("30.00"))
    ranking = SimpleNamespace(campaign=campaign, year=day.year, month=day.month, tie_break=["采用稿件数"],
                              groups=[SimpleNamespace(group_name="县区组", rows=[row])])
    snapshot = snapshot_of(ranking)
    publication = Publication.objects.create(campaign=campaign, year=day.year, month=day.month,
                                             title="关于甲县宣传信息工作情况的通报", issuer="测试市卫生健康委员会",
                                             created_by=world.office)
    header = documents.BulletinHeader(title=publication.title, issuer=publication.issuer, issued_on=day)
    content = documents.bulletin_docx(snapshot=snapshot, header=header)
    revision = Revision.objects.create(publication=publication, number=1, issued_on=day, snapshot=snapshot,
                                       docx=content, docx_sha256="0" * 64, published_by=world.office,
                                       published_at=timezone.now())
    world.add_a("publication", publication)
    world.add_a("revision", revision)

    world.text_setters.extend([
        ("bulletin title", 200, lambda value: Publication.objects.filter(pk=publication.pk).update(title=value)),
        ("bulletin issuer", 200, lambda value: Publication.objects.filter(pk=publication.pk).update(issuer=value)),
        ("revision note", 1000, lambda value: Revision.objects.filter(pk=revision.pk).update(note=value, number=2)),
    ])
