"""Writes of bulletins: publishing a month, issuing a revision, and sending a unit's 附表2.

Publishing freezes the month: the ranking is copied into a ``Revision`` as JSON with the
bulletin's bytes, in one transaction. The database allows one publication per campaign and
month and one revision per number, so a double click or two offices publishing at once end
with one publication; the second caller gets the first one back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from xiaoneng.core.audit.services import audit_record
from xiaoneng.core.xlsx import XLSX_CONTENT_TYPE
from xiaoneng.org.selectors import require_office

from . import documents, selectors
from .models import Publication, Revision
from .snapshot import same_ranking, snapshot_changes, snapshot_of


def _check_month_over(year: int, month: int, today: dt.date) -> None:
    if not 1 <= month <= 12:
        raise ValidationError(_("There is no such month."), code="bad_month")
    if (year, month) >= (today.year, today.month):
        raise ValidationError(_("A month can be published once it is over."), code="month_not_over")


def _frozen_ranking(campaign: Any, year: int, month: int) -> dict:
    """The live ranking as a snapshot, its words (tie-break rules) in the bulletin's language, not the screen's."""
    with translation.override(settings.LANGUAGE_CODE):
        return snapshot_of(selectors.month_ranking(campaign=campaign, year=year, month=month))


def _header(publication: Publication, issued_on: dt.date) -> documents.BulletinHeader:
    return documents.BulletinHeader(title=publication.title, issuer=publication.issuer, issued_on=issued_on,
                                    number=publication.number, recipients=publication.recipients)


def _revision_create(*, publication: Publication, number: int, snapshot: dict, issued_on: dt.date, note: str,
                     changes: list[dict], user: Any, idempotency_key: str | None) -> Revision:
    content = documents.bulletin_docx(snapshot=snapshot, header=_header(publication, issued_on),
                                      revision_number=number, revision_note=note, changes=changes)
    return Revision.objects.create(
        publication=publication, number=number, issued_on=issued_on, note=note, snapshot=snapshot,
        changes=changes, docx=content, docx_sha256=hashlib.sha256(content).hexdigest(),
        idempotency_key=idempotency_key or None, published_by=user, published_at=timezone.now())


def publication_publish(*, user: Any, campaign: Any, year: int, month: int, title: str, issuer: str,
                        number: str = "", recipients: str = "", issued_on: dt.date | None = None,
                        request: Any = None) -> tuple[Publication, bool]:
    """Publish a month's ranking: freeze it and write the bulletin. Returns (publication, created).

    A month already published is returned as it is (created False): publishing is done once,
    and a later correction is a revision (``revision_issue``).
    """
    require_office(user)
    today = timezone.localdate()
    _check_month_over(year, month, today)
    if not title.strip() or not issuer.strip():
        raise ValidationError(_("The bulletin needs a title and an issuer."), code="header_required")
    existing = Publication.objects.filter(campaign=campaign, year=year, month=month).first()
    if existing is not None:
        return existing, False
    snapshot = _frozen_ranking(campaign, year, month)
    if not any(group["rows"] for group in snapshot["groups"]):
        raise ValidationError(_("There is no ranking to publish: the campaign has no scoring rules or no units "
                                "for this month."), code="empty_ranking")
    issued_on = issued_on or today
    try:
        with transaction.atomic():
            publication = Publication.objects.create(
                campaign=campaign, year=year, month=month, title=title.strip(), issuer=issuer.strip(),
                number=number.strip(), recipients=recipients.strip(), created_by=user)
            revision = _revision_create(publication=publication, number=1, snapshot=snapshot, issued_on=issued_on,
                                        note="", changes=[], user=user, idempotency_key=None)
            audit_record("bulletin.publish", request=request, actor=user, obj=publication,
                         detail={"year": year, "month": month, "revision": revision.number,
                                 "sha256": revision.docx_sha256})
    except IntegrityError:
        # Someone published the same month a moment ago: theirs stands.
        return Publication.objects.get(campaign=campaign, year=year, month=month), False
    return publication, True


def revision_issue(*, user: Any, publication: Publication, note: str, issued_on: dt.date | None = None,
                   idempotency_key: str | None = None, request: Any = None) -> Revision:
    """Publish a corrected ranking as the next revision, saying why; the earlier ones stay as they were.

    Refused when nothing changed since the latest revision, or without a note. The same
    idempotency key (one per rendered form) returns the revision it already made.
    """
    require_office(user)
    if idempotency_key:
        earlier = Revision.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    if not note.strip():
        raise ValidationError({"note": _("Say what this revision corrects.")}, code="note_required")
    snapshot = _frozen_ranking(publication.campaign, publication.year, publication.month)
    try:
        with transaction.atomic():
            # One revision at a time per month: the lock orders concurrent correctors.
            Publication.objects.select_for_update().filter(pk=publication.pk).first()
            latest = publication.revisions.order_by("-number").first()
            if latest is not None and same_ranking(latest.snapshot, snapshot):
                raise ValidationError(_("The ranking has not changed since revision %(number)s; there is nothing "
                                        "to revise.") % {"number": latest.number}, code="unchanged")
            number = (latest.number if latest else 0) + 1
            changes = snapshot_changes(latest.snapshot if latest else None, snapshot)
            revision = _revision_create(publication=publication, number=number, snapshot=snapshot,
                                        issued_on=issued_on or timezone.localdate(), note=note.strip(),
                                        changes=changes, user=user, idempotency_key=idempotency_key)
            audit_record("bulletin.revise", request=request, actor=user, obj=publication,
                         detail={"revision": number, "note": note.strip(), "changed_units": len(changes),
                                 "sha256": revision.docx_sha256})
    except IntegrityError:
        if idempotency_key:
            earlier = Revision.objects.filter(idempotency_key=idempotency_key).first()
            if earlier is not None:
                return earlier
        raise ValidationError(_("Another revision was published at the same moment; reload the page."),
                              code="stale") from None
    return revision


def unit_report_submit(*, user: Any, campaign: Any, unit: Any, year: int, month: int,
                       idempotency_key: str | None = None, request: Any = None) -> Any:
    """Send the unit's 附表2 for a month as its monthly report, in one step.

    Finds the unit's due item of the campaign's monthly obligation for that month and submits
    the generated .xlsx through the campaigns service (its rules apply: one open report per
    due item, leader approval, on-time judgement). ValidationError says why when there is none.
    """
    from xiaoneng.campaigns.services import submission_submit

    due_item = selectors.monthly_due_item(campaign=campaign, unit=unit, year=year, month=month)
    if due_item is None:
        raise ValidationError(
            _("The campaign asks no monthly report of %(unit)s for %(year)s-%(month)s, so there is nothing to "
              "send it against. Download the form instead.") % {"unit": unit.name, "year": year, "month": month},
            code="no_obligation")
    report = selectors.unit_report(campaign=campaign, unit=unit, year=year, month=month)
    content = documents.unit_report_xlsx(unit_name=unit.name, campaign_title=campaign.title, year=year, month=month,
                                         rows=report.rows, items_sent=report.items_sent)
    upload = SimpleUploadedFile(documents.form2_filename(unit.name, year, month), content,
                                content_type=XLSX_CONTENT_TYPE)
    text = _("Form 2 (adoptions and evidence) for %(year)s-%(month)s: %(count)s adoptions, %(points)s points.") % {
        "year": year, "month": month, "count": len(report.rows), "points": documents.points_text(report.points)}
    return submission_submit(user=user, due_item=due_item, text=text, files=[upload],
                             idempotency_key=idempotency_key, request=request)
