"""Writes of results: applying composite weights (a new audited version) and publishing results."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.audit.services import audit_record
from xiaoneng.org.selectors import require_office

from . import compute, selectors
from .models import CompositeWeights, Publication, PublicationKind


def weights_apply(*, campaign: Any, weights: dict, actor: Any, request: Any = None) -> CompositeWeights:
    """Store ``weights`` as the campaign's new version (they must sum to 100) and audit the change."""
    require_office(actor)
    try:
        clean = compute.validate_weights(weights)
    except compute.WeightError as exc:
        raise ValidationError(_("The weights must be numbers from 0 to 100 that add up to 100.")) from exc
    previous = selectors.current_weights(campaign=campaign)
    if previous is not None and previous.as_dict() == clean:
        return previous
    try:
        with transaction.atomic():
            latest = CompositeWeights.objects.filter(campaign=campaign).aggregate(v=Max("version"))["v"] or 0
            applied = CompositeWeights.objects.create(campaign=campaign, version=latest + 1, applied_by=actor, **clean)
            audit_record("results.weights_applied", request=request, actor=actor, obj=applied,
                         detail={"campaign": campaign.pk, "version": applied.version,
                                 "old": {k: str(v) for k, v in selectors.weights_dict(previous).items()},
                                 "new": {k: str(v) for k, v in clean.items()}})
    except IntegrityError as exc:
        # Someone applied other weights at the same moment: theirs stand, ours must be looked at again.
        raise ValidationError(_("The weights were changed by someone else just now; look at the preview again.")) from exc
    return applied


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def snapshot_final(*, campaign: Any) -> dict:
    """The final results as they are shown, as strings (what a publication freezes, what a bulletin prints)."""
    results = selectors.final_results_for_campaign(campaign=campaign)
    return {
        "kind": PublicationKind.FINAL,
        "rounds": [r.name for r in results.counted_rounds],
        "columns": [*[r.name for r in results.counted_rounds], _("Final result")],
        "groups": [{"name": g.group_name, "rows": [
            {"rank": _text(row.rank), "tied": row.tied, "unit": row.unit_name,
             "values": [*[_text(t) if t is not None else "—" for t in row.round_totals], _text(row.final)]}
            for row in g.rows]} for g in results.groups],
        "tie_break": results.tie_break,
    }


def snapshot_composite(*, campaign: Any) -> dict:
    results = selectors.composite_results(campaign=campaign,
                                          weights=selectors.weights_dict(selectors.current_weights(campaign=campaign)))
    sources = [s for s in compute.SOURCES if results.weights[s] > 0]
    labels = {s.key: s.label for s in results.sources}
    return {
        "kind": PublicationKind.COMPOSITE,
        "columns": [*[f"{labels[s]}（{results.weights[s].normalize():f}%）" for s in sources], _("Composite score")],
        "groups": [{"name": g.group_name, "rows": [
            {"rank": _text(row.rank), "tied": row.tied, "unit": row.unit_name,
             "values": [*[_text(row.components.get(s)) or "—" for s in sources], _text(row.score) or "—"]}
            for row in g.rows]} for g in results.groups],
        "weights": {k: str(v) for k, v in results.weights.items()},
        "tie_break": results.tie_break + " " + _(
            "Each source is put on a 0–100 scale; a unit missing a source is scored over the sources it has."),
    }


def snapshot_for(*, campaign: Any, kind: str) -> dict:
    return snapshot_composite(campaign=campaign) if kind == PublicationKind.COMPOSITE else snapshot_final(campaign=campaign)


def publication_title(campaign: Any, kind: str) -> str:
    if kind == PublicationKind.COMPOSITE:
        return _("Composite results of %(campaign)s") % {"campaign": campaign.title}
    return _("Final assessment results of %(campaign)s") % {"campaign": campaign.title}


def publication_publish(*, campaign: Any, kind: str, actor: Any, request: Any = None) -> Publication:
    """Freeze the current results of ``kind`` as a new public revision (the office; after a round is locked)."""
    require_office(actor)
    if kind not in PublicationKind.values:
        raise ValidationError(_("Unknown kind of results."))
    if not selectors.locked_rounds(selectors.rounds_for_campaign(campaign=campaign)):
        raise ValidationError(_("Lock at least one round before publishing results."))
    snapshot = snapshot_for(campaign=campaign, kind=kind)
    snapshot["published_on"] = timezone.localdate().isoformat()
    try:
        with transaction.atomic():
            latest = Publication.objects.filter(campaign=campaign, kind=kind).aggregate(r=Max("revision"))["r"] or 0
            publication = Publication.objects.create(campaign=campaign, kind=kind, revision=latest + 1,
                                                     title=publication_title(campaign, kind), snapshot=snapshot,
                                                     published_by=actor)
            audit_record("results.published", request=request, actor=actor, obj=publication,
                         detail={"campaign": campaign.pk, "kind": kind, "revision": publication.revision})
    except IntegrityError as exc:
        raise ValidationError(_("These results were published by someone else just now.")) from exc
    return publication
