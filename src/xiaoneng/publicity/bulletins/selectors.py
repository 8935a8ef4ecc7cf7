"""Reads for bulletins: the live ranking, published months, a unit's 附表2 and its monthly due item."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse

from .documents import ReportRow
from .models import Publication, Revision
from .snapshot import OFFICIAL_LEVEL_NAMES


def month_ranking(*, campaign: Any, year: int, month: int) -> Any:
    """The month's ranking as publicity computes it now (a ``MonthRanking``)."""
    from xiaoneng.publicity.selectors import month_ranking as compute

    return compute(campaign=campaign, year=year, month=month)


def campaign_months(*, campaign: Any, today: dt.date) -> list[tuple[int, int]]:
    """The months of a campaign that have begun by ``today``, latest first."""
    end = min(campaign.end_date, today)
    months: list[tuple[int, int]] = []
    year, month = campaign.start_date.year, campaign.start_date.month
    while (year, month) <= (end.year, end.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months[::-1]


def publication_for_month(*, campaign: Any, year: int, month: int) -> Publication | None:
    return Publication.objects.filter(campaign=campaign, year=year, month=month).first()


def publications_by_month(*, campaign: Any) -> dict[tuple[int, int], Publication]:
    """The campaign's published months, keyed by (year, month)."""
    return {(p.year, p.month): p for p in Publication.objects.filter(campaign=campaign)}


def revisions_of(publication: Publication) -> list[Revision]:
    """Every revision of a published month, latest first, without their bytes."""
    return list(publication.revisions.defer("docx").select_related("published_by").order_by("-number"))


def _with_latest_revision(publications: QuerySet[Publication]) -> list[Publication]:
    publications = publications.select_related("campaign").prefetch_related(
        Prefetch("revisions", queryset=Revision.objects.defer("docx").order_by("-number"), to_attr="ordered"))
    result = []
    for publication in publications:
        publication.latest = publication.ordered[0] if publication.ordered else None
        if publication.latest is not None:
            result.append(publication)
    return result


def publication_list_public() -> list[Publication]:
    """Every published month with its latest revision, latest month first (public: no login)."""
    return _with_latest_revision(Publication.objects.filter(campaign__is_template=False).order_by(
        "-year", "-month", "-pk"))


def publication_get_public(*, pk: Any) -> Publication:
    """One published month with its latest revision; 404 if there is none."""
    try:
        found = _with_latest_revision(Publication.objects.filter(pk=int(pk), campaign__is_template=False))
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if not found:
        raise Http404
    return found[0]


def revision_get_public(*, pk: Any) -> Revision:
    """A published revision, for its bulletin's download (every revision ever published is public)."""
    try:
        return Revision.objects.select_related("publication__campaign").get(
            pk=int(pk), publication__campaign__is_template=False)
    except (TypeError, ValueError, Revision.DoesNotExist) as exc:
        raise Http404 from exc


# --- 附表2 ---------------------------------------------------------------------------------


@dataclass
class UnitReport:
    """A unit's month for 附表2: its verified adoptions as rows, and the counts around them."""

    rows: list[ReportRow] = field(default_factory=list)
    items_sent: int | None = None
    points: Decimal = Decimal("0")


def _evidence_link(adoption: Any, base_url: str) -> tuple[str, str]:
    stored = getattr(adoption, "evidence_file", None)
    link = getattr(adoption, "evidence_link", "") or ""
    if stored is not None:
        return stored.original_name, base_url + reverse("core:file_download", args=[stored.pk])
    return ("", link)


def _report_row(adoption: Any, base_url: str) -> ReportRow:
    outlet = adoption.outlet
    name, link = _evidence_link(adoption, base_url)
    points = getattr(adoption, "unit_points", None)
    if points is None:
        points = adoption.points
    return ReportRow(
        title=adoption.news_item.title, outlet=outlet.name,
        level=OFFICIAL_LEVEL_NAMES.get(outlet.level, outlet.get_level_display()),
        kind=str(outlet.get_kind_display()), adopted_on=adoption.adopted_on, page_or_url=adoption.page_or_url or "",
        points=Decimal(points), evidence_name=name, evidence_link=link)


def _unit_points_by_adoption(*, unit: Any, adoption_ids: list[int]) -> dict[int, Decimal]:
    """The unit's own points of each adoption from publicity's ledger (its share of a co-authored item)."""
    if not adoption_ids:
        return {}
    from django.db.models import Sum

    from xiaoneng.publicity.models import PointEntry

    rows = (PointEntry.objects.filter(unit=unit, adoption_id__in=adoption_ids).values("adoption_id")
            .annotate(cents=Sum("points_cents")))
    # The ledger keeps hundredths of a point as integers.
    return {row["adoption_id"]: (Decimal(row["cents"]) / 100).quantize(Decimal("0.01")) for row in rows}


def unit_report(*, campaign: Any, unit: Any, year: int, month: int, base_url: str = "") -> UnitReport:
    """附表2 of a unit for a month, from publicity's verified adoptions with their evidence."""
    from xiaoneng.publicity import selectors as publicity

    adoptions = publicity.unit_month_adoptions(campaign=campaign, unit=unit, year=year, month=month)
    shares = _unit_points_by_adoption(unit=unit, adoption_ids=[adoption.pk for adoption in adoptions])
    for adoption in adoptions:
        if adoption.pk in shares:
            adoption.unit_points = shares[adoption.pk]
    rows = [_report_row(adoption, base_url) for adoption in adoptions]
    items_sent = None
    figures_of = getattr(publicity, "unit_publicity_figures", None)
    first = dt.date(year, month, 1)
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))
    if figures_of is not None:
        figures = figures_of(campaign=campaign, date_from=first, date_to=last).get(unit.pk)
        items_sent = figures.items if figures is not None else 0
    return UnitReport(rows=rows, items_sent=items_sent, points=sum((row.points for row in rows), Decimal("0")))


def monthly_due_item(*, campaign: Any, unit: Any, year: int, month: int) -> Any:
    """The unit's due item of the campaign's monthly report for that month, or None.

    A campaign may ask several monthly reports: the one whose form is 附表2 is preferred, then
    the first monthly one. Withdrawn items do not count (the report is no longer required).
    """
    from xiaoneng.campaigns.models import DueItem, DueItemState, FrequencyChoice

    items = list(DueItem.objects.filter(
        obligation__campaign=campaign, obligation__frequency=FrequencyChoice.MONTHLY, unit=unit,
        period_key=f"{year}-{month:02d}", state=DueItemState.OPEN,
    ).select_related("obligation").order_by("obligation__order", "obligation__pk"))
    for item in items:
        if "附表2" in item.obligation.form_name.replace(" ", ""):
            return item
    return items[0] if items else None
