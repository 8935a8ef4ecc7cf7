"""Writes of the publicity work: rules, items, adoptions and claims, and re-scoring the ledger.

Every write that can change points ends by re-scoring the items it touched (``item_rescore``)
in the same transaction, so the ledger (``PointEntry``) and each adoption's points and rule
version always agree with the rules in force. Rule changes re-score the whole campaign.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from xiaoneng.core.audit.services import audit_record
from xiaoneng.core.richtext import sanitize_html
from xiaoneng.org.models import Role, Unit
from xiaoneng.org.selectors import require_office

from . import scoring, similarity
from .models import (
    Adoption,
    AdoptionStatus,
    Commission,
    EntryKind,
    LeaderInstruction,
    NewsItem,
    NewsItemShare,
    NewsItemStatus,
    Outlet,
    PointEntry,
    PublicitySettings,
    ScoringRuleSet,
    Veto,
)
from .selectors import (
    Agg,
    _rank_groups,
    campaign_month_keys,
    cents,
    compute_months,
    month_key,
    reporting_units,
    rule_book,
)

EVIDENCE_KINDS = frozenset({"jpg", "png", "pdf"})
IMAGE_KINDS = frozenset({"jpg", "png"})
ZERO = Decimal("0")


# ---- scoring the ledger ------------------------------------------------------------------------

@dataclass
class Scored:
    adoption_updates: dict[int, scoring.Line]
    entries: list[PointEntry]


def _score(campaign: Any, book: scoring.RuleBook, item_ids: Sequence[int] | None = None) -> Scored:
    """Score items (all of the campaign's, or ``item_ids``) in memory: adoption lines and ledger rows."""
    adoptions = Adoption.objects.filter(news_item__campaign=campaign, status=AdoptionStatus.VERIFIED)
    instructions = LeaderInstruction.objects.filter(news_item__campaign=campaign)
    shares = NewsItemShare.objects.filter(news_item__campaign=campaign)
    if item_ids is not None:
        adoptions = adoptions.filter(news_item_id__in=item_ids)
        instructions = instructions.filter(news_item_id__in=item_ids)
        shares = shares.filter(news_item_id__in=item_ids)
    by_item: dict[int, list[tuple]] = defaultdict(list)
    for row in adoptions.values_list("pk", "news_item_id", "news_item__unit_id", "outlet__level", "outlet__kind",
                                     "position", "adopted_on", "month_key", "is_headline", "is_feature_page",
                                     "has_photo").order_by("pk"):
        by_item[row[1]].append(row)
    instr_by_item: dict[int, list[tuple]] = defaultdict(list)
    for row in instructions.values_list("pk", "news_item_id", "news_item__unit_id", "level", "instructed_on",
                                        "month_key").order_by("pk"):
        instr_by_item[row[1]].append(row)
    shares_by_item: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for item_id, unit_id, share in shares.values_list("news_item_id", "unit_id", "share").order_by("pk"):
        shares_by_item[item_id].append((unit_id, share))

    updates: dict[int, scoring.Line] = {}
    entries: list[PointEntry] = []
    for item_id in sorted(set(by_item) | set(instr_by_item)):
        rows = by_item.get(item_id, [])
        irows = instr_by_item.get(item_id, [])
        owner = (rows or irows)[0][2]
        facts = [scoring.AdoptionFact(key=r[0], level=r[3], kind=r[4], position=r[5], adopted_on=r[6],
                                      headline=r[8], feature_page=r[9], photo=r[10]) for r in rows]
        ifacts = [scoring.InstructionFact(key=r[0], level=r[3], instructed_on=r[4]) for r in irows]
        result = scoring.score_item(book, facts, ifacts)
        split = shares_by_item.get(item_id) or [(owner, Decimal("1"))]
        seen_units: set[int] = set()
        info = {r[0]: r for r in rows}
        for fact in sorted(facts, key=lambda f: (f.adopted_on, f.key)):
            line = result.adoptions[fact.key]
            updates[fact.key] = line
            for unit_id, points in scoring.split_shares(line.points, split):
                entries.append(PointEntry(
                    campaign_id=campaign.pk, unit_id=unit_id, news_item_id=item_id, adoption_id=fact.key,
                    kind=EntryKind.ADOPTION, month_key=info[fact.key][7], level=fact.level,
                    points_cents=cents(points),
                    first_of_item=unit_id not in seen_units))
                seen_units.add(unit_id)
        iinfo = {r[0]: r for r in irows}
        for key, line in result.instructions.items():
            if not line.points:
                continue
            for unit_id, points in scoring.split_shares(line.points, split):
                entries.append(PointEntry(
                    campaign_id=campaign.pk, unit_id=unit_id, news_item_id=item_id, adoption=None,
                    kind=EntryKind.INSTRUCTION, month_key=iinfo[key][5], level=iinfo[key][3],
                    points_cents=cents(points)))
    return Scored(adoption_updates=updates, entries=entries)


def _write(campaign: Any, scored: Scored, item_ids: Sequence[int] | None) -> None:
    ledger = PointEntry.objects.filter(campaign=campaign)
    if item_ids is not None:
        ledger = ledger.filter(news_item_id__in=item_ids)
    ledger.delete()
    PointEntry.objects.bulk_create(scored.entries, batch_size=2000)
    changed = []
    for adoption in Adoption.objects.filter(pk__in=list(scored.adoption_updates)).only(
            "pk", "points", "rule_set_id", "rule_version", "breakdown"):
        line = scored.adoption_updates[adoption.pk]
        if (adoption.points, adoption.rule_version, adoption.rule_set_id, adoption.breakdown) != (
                line.points, line.version, line.version_key, line.breakdown):
            adoption.points, adoption.rule_version = line.points, line.version
            adoption.rule_set_id, adoption.breakdown = line.version_key, line.breakdown
            changed.append(adoption)
    Adoption.objects.bulk_update(changed, ["points", "rule_version", "rule_set", "breakdown"], batch_size=1000)
    # Adoptions no longer verified keep no points.
    stale = Adoption.objects.filter(news_item__campaign=campaign).exclude(status=AdoptionStatus.VERIFIED)
    if item_ids is not None:
        stale = stale.filter(news_item_id__in=item_ids)
    stale.exclude(points=0).update(points=0)


@transaction.atomic
def item_rescore(*, item: NewsItem) -> None:
    """Re-score one item's adoptions and instructions and rewrite its ledger rows."""
    book = rule_book(campaign=item.campaign)
    if book is None:
        return
    scored = _score(item.campaign, book, [item.pk])
    _write(item.campaign, scored, [item.pk])


@transaction.atomic
def campaign_rescore(*, campaign: Any) -> int:
    """Re-score every item of the campaign (after a rule change); returns the adoptions whose points changed."""
    book = rule_book(campaign=campaign)
    if book is None:
        PointEntry.objects.filter(campaign=campaign).delete()
        return 0
    before = dict(Adoption.objects.filter(news_item__campaign=campaign).values_list("pk", "points"))
    scored = _score(campaign, book)
    _write(campaign, scored, None)
    return sum(1 for pk, line in scored.adoption_updates.items() if before.get(pk) != line.points)


# ---- rules ---------------------------------------------------------------------------------------

def rules_validate(data: Any) -> scoring.Rules:
    """The rules as the engine reads them; ValidationError listing every problem."""
    try:
        return scoring.Rules.from_dict(data)
    except scoring.RulesError as exc:
        raise ValidationError([ValidationError(m, code="rules") for m in exc.messages]) from exc


@dataclass
class PreviewRow:
    month: str
    group: str
    unit: str
    old_points: Decimal
    new_points: Decimal
    old_rank: int
    new_rank: int


@dataclass
class RulePreview:
    rows: list[PreviewRow]
    adoptions_changed: int
    months: int


def _candidate_versions(campaign: Any, *, rules: scoring.Rules, effective_from: dt.date,
                        edit: ScoringRuleSet | None) -> list[scoring.Version]:
    versions = []
    for rs in ScoringRuleSet.objects.filter(campaign=campaign):
        if edit is not None and rs.pk == edit.pk:
            continue
        versions.append(scoring.Version(version=rs.version, effective_from=rs.effective_from,
                                        rules=scoring.Rules.from_dict(rs.rules), key=rs.pk))
    number = edit.version if edit is not None else _next_version(campaign)
    versions.append(scoring.Version(version=number, effective_from=effective_from, rules=rules,
                                    key=edit.pk if edit is not None else None))
    return versions


def _next_version(campaign: Any) -> int:
    return (ScoringRuleSet.objects.filter(campaign=campaign).aggregate(m=Max("version"))["m"] or 0) + 1


def _aggregate_in_memory(entries: Iterable[PointEntry]) -> dict[tuple[int, int], Agg]:
    result: dict[tuple[int, int], Agg] = {}
    for entry in entries:
        agg = result.setdefault((entry.unit_id, entry.month_key), Agg(by_level={}))
        if entry.kind == EntryKind.ADOPTION:
            agg.adoption_cents += entry.points_cents
            agg.adoptions += 1
            agg.by_level[entry.level] = agg.by_level.get(entry.level, 0) + 1
            agg.adopted_items += 1 if entry.first_of_item else 0
        else:
            agg.instruction_cents += entry.points_cents
    return result


def rule_change_preview(*, user: Any, campaign: Any, rules: scoring.Rules, effective_from: dt.date,
                        edit: ScoringRuleSet | None = None, today: dt.date | None = None) -> RulePreview:
    """What applying the rules would change: points and ranks per unit and month, nothing written."""
    require_office(user)
    today = today or timezone.localdate()
    new_book = scoring.RuleBook(_candidate_versions(campaign, rules=rules, effective_from=effective_from, edit=edit))
    old_book = rule_book(campaign=campaign)
    keys = campaign_month_keys(campaign, upto=month_key(today))
    units = reporting_units()
    scored = _score(campaign, new_book)
    new_aggs = _aggregate_in_memory(scored.entries)
    new_months = compute_months(campaign=campaign, keys=keys, units=units, book=new_book, aggregates=new_aggs)
    old_months = compute_months(campaign=campaign, keys=keys, units=units, book=old_book) if old_book else {}
    before = dict(Adoption.objects.filter(news_item__campaign=campaign).values_list("pk", "points"))
    changed = sum(1 for pk, line in scored.adoption_updates.items() if before.get(pk) != line.points)
    rows: list[PreviewRow] = []
    totals = {u.pk: (ZERO, ZERO) for u in units}
    for key in keys:
        new_groups = _rank_groups(units, new_months, key, totals)
        old_groups = _rank_groups(units, old_months, key, totals) if old_months else []
        old_by_unit = {r.unit_id: r for g in old_groups for r in g.rows}
        for group in new_groups:
            for row in group.rows:
                old = old_by_unit.get(row.unit_id)
                old_points, old_rank = (old.points, old.rank) if old else (ZERO, 0)
                if old_points != row.points or old_rank != row.rank:
                    rows.append(PreviewRow(month=f"{key // 100}-{key % 100:02d}", group=group.group_name,
                                           unit=row.unit_name, old_points=old_points, new_points=row.points,
                                           old_rank=old_rank, new_rank=row.rank))
    return RulePreview(rows=rows, adoptions_changed=changed, months=len(keys))


@transaction.atomic
def rule_set_apply(*, user: Any, campaign: Any, rules: scoring.Rules, name: str, effective_from: dt.date,
                   note: str = "", edit: ScoringRuleSet | None = None, request: Any = None) -> ScoringRuleSet:
    """Save a new version (or correct ``edit``), re-score the campaign, and audit what changed."""
    require_office(user)
    data = rules.to_dict()
    if edit is not None:
        rule_set = ScoringRuleSet.objects.select_for_update().get(pk=edit.pk, campaign=campaign)
        old = {"rules": rule_set.rules, "effective_from": str(rule_set.effective_from)}
        rule_set.rules, rule_set.name, rule_set.effective_from, rule_set.note = data, name, effective_from, note
        rule_set.save(update_fields=["rules", "name", "effective_from", "note", "updated_at"])
        action = "publicity.rules.correct"
    else:
        old = None
        for _attempt in range(3):
            try:
                with transaction.atomic():
                    rule_set = ScoringRuleSet.objects.create(
                        campaign=campaign, version=_next_version(campaign), name=name, effective_from=effective_from,
                        rules=data, note=note, created_by=user)
                break
            except IntegrityError:
                continue
        else:
            raise ValidationError(_("Another version was saved at the same time; try again."), code="stale")
        action = "publicity.rules.new_version"
    changed = campaign_rescore(campaign=campaign)
    audit_record(action, request=request, actor=user, obj=rule_set,
                 detail={"version": rule_set.version, "effective_from": str(effective_from),
                         "adoptions_rescored": changed, "before": old})
    return rule_set


@transaction.atomic
def publicity_enable(*, user: Any, campaign: Any, request: Any = None) -> ScoringRuleSet:
    """Start publicity scoring for a campaign with the built-in rules (version 1)."""
    require_office(user)
    existing = ScoringRuleSet.objects.filter(campaign=campaign).order_by("version").first()
    if existing is not None:
        return existing
    return rule_set_apply(user=user, campaign=campaign, rules=scoring.Rules.from_dict(scoring.DEFAULT_RULES),
                          name=_("Built-in scoring rules"), effective_from=campaign.start_date, request=request)


@transaction.atomic
def settings_save(*, user: Any, campaign: Any, requires_leader_approval: bool, duplicate_threshold: Decimal,
                  request: Any = None) -> PublicitySettings:
    require_office(user)
    obj, _created = PublicitySettings.objects.get_or_create(campaign=campaign)
    obj.requires_leader_approval = requires_leader_approval
    obj.duplicate_threshold = duplicate_threshold
    obj.save(update_fields=["requires_leader_approval", "duplicate_threshold"])
    audit_record("publicity.settings", request=request, actor=user, obj=obj,
                 detail={"requires_leader_approval": requires_leader_approval,
                         "duplicate_threshold": str(duplicate_threshold)})
    return obj


def settings_for(campaign: Any) -> PublicitySettings:
    return PublicitySettings.objects.filter(campaign=campaign).first() or PublicitySettings(campaign=campaign)


# ---- outlets ----------------------------------------------------------------------------------

@transaction.atomic
def outlet_save(*, user: Any, outlet: Outlet, request: Any = None) -> Outlet:
    """Create or change an outlet; a changed level or kind re-scores the items it adopted."""
    require_office(user)
    previous = Outlet.objects.filter(pk=outlet.pk).values("level", "kind").first() if outlet.pk else None
    outlet.full_clean()
    outlet.save()
    audit_record("publicity.outlet.save", request=request, actor=user, obj=outlet)
    if previous and (previous["level"], previous["kind"]) != (outlet.level, outlet.kind):
        for item in NewsItem.objects.filter(adoptions__outlet=outlet).distinct():
            item_rescore(item=item)
    return outlet


# ---- news items --------------------------------------------------------------------------------

def _require_unit_member(user: Any, unit_id: int, *roles: str) -> None:
    if user.is_admin_role_holder or user.unit_id != unit_id or not user.has_role(*roles):
        raise PermissionDenied


def _find_similar(item: NewsItem, threshold: Decimal) -> None:
    """Warn the office: the most similar item another unit sent earlier in the campaign."""
    text = f"{item.title} {item.body_html}"
    candidates = (NewsItem.objects.filter(campaign_id=item.campaign_id, status=NewsItemStatus.SUBMITTED)
                  .exclude(unit_id=item.unit_id).exclude(pk=item.pk).exclude(text_signature="")
                  .values_list("pk", "text_signature"))

    def text_of(keys):
        return {pk: f"{title} {body}" for pk, title, body in
                NewsItem.objects.filter(pk__in=keys).values_list("pk", "title", "body_html")}

    match = similarity.best_match(text, ((pk, similarity.sketch_from_text(sig)) for pk, sig in candidates.iterator()),
                                  threshold=float(threshold), text_of=text_of)
    if match is not None:
        item.similar_item_id = match.key
        item.similarity = Decimal(str(round(match.similarity, 3)))
        NewsItem.objects.filter(pk=item.pk).update(similar_item_id=match.key, similarity=item.similarity)


def _make_submitted(item: NewsItem, now: dt.datetime) -> None:
    item.status = NewsItemStatus.SUBMITTED
    item.submitted_at = now
    item.month_key = month_key(timezone.localtime(now).date())


@transaction.atomic
def news_item_submit(*, user: Any, campaign: Any, title: str, body_html: str, author: str,
                     images: Iterable = (), attachments: Iterable = (), idempotency_key: str | None = None,
                     request: Any = None) -> NewsItem:
    """A liaison sends a news item (through the unit leader when the campaign says so); files checked by content."""
    if user.is_admin_role_holder or not user.unit_id or not user.has_role(Role.LIAISON, Role.UNIT_LEADER):
        raise PermissionDenied
    if idempotency_key:
        earlier = NewsItem.objects.filter(idempotency_key=idempotency_key, unit_id=user.unit_id).first()
        if earlier is not None:
            return earlier
    if "<" not in body_html:
        # Plain text typed into the box: each line becomes a paragraph.
        body_html = "".join(f"<p>{escape(line.strip())}</p>" for line in body_html.splitlines() if line.strip())
    clean_body = sanitize_html(body_html)
    if not title.strip():
        raise ValidationError({"title": _("Give the item a title.")}, code="required")
    if not similarity.plain_text(clean_body):
        raise ValidationError({"body_html": _("Write the text of the item.")}, code="required")
    if not author.strip():
        raise ValidationError({"author": _("Name the author.")}, code="required")
    now = timezone.now()
    item = NewsItem(campaign=campaign, unit_id=user.unit_id, title=title.strip(), body_html=clean_body,
                    author=author.strip(), created_by=user, idempotency_key=idempotency_key or None)
    needs_approval = settings_for(campaign).requires_leader_approval and not user.has_role(Role.UNIT_LEADER)
    if needs_approval:
        item.status = NewsItemStatus.AWAITING_APPROVAL
    else:
        _make_submitted(item, now)
    item.text_signature = similarity.sketch_to_text(similarity.sketch(f"{item.title} {item.body_html}"))
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError:
        return NewsItem.objects.get(idempotency_key=idempotency_key)
    from xiaoneng.core.files.services import file_store_many

    images, attachments = list(images), list(attachments)
    if images:
        file_store_many(uploads=images, unit=item.unit, user=user, allowed_kinds=IMAGE_KINDS, linked_to=item,
                        request=request)
    if attachments:
        file_store_many(uploads=attachments, unit=item.unit, user=user, linked_to=item, request=request)
    if item.status == NewsItemStatus.SUBMITTED:
        _find_similar(item, settings_for(campaign).duplicate_threshold)
    audit_record("publicity.item.submit", request=request, actor=user, obj=item, detail={"status": item.status})
    return item


def _transition(item: NewsItem, old: Iterable[str], new: str, **fields) -> None:
    changed = NewsItem.objects.filter(pk=item.pk, status__in=list(old)).update(status=new, **fields)
    if changed != 1:
        raise ValidationError(_("This item has changed in the meantime; reload the page."), code="stale")
    item.refresh_from_db()


@transaction.atomic
def news_item_approve(*, user: Any, item: NewsItem, request: Any = None) -> NewsItem:
    """The unit leader approves: the item goes to the office."""
    _require_unit_member(user, item.unit_id, Role.UNIT_LEADER)
    now = timezone.now()
    _transition(item, [NewsItemStatus.AWAITING_APPROVAL], NewsItemStatus.SUBMITTED, approved_by=user,
                approved_at=now, submitted_at=now, month_key=month_key(timezone.localtime(now).date()))
    _find_similar(item, settings_for(item.campaign).duplicate_threshold)
    audit_record("publicity.item.approve", request=request, actor=user, obj=item)
    return item


@transaction.atomic
def news_item_return(*, user: Any, item: NewsItem, reason: str, request: Any = None) -> NewsItem:
    """The unit leader sends the item back to the liaison with a reason."""
    _require_unit_member(user, item.unit_id, Role.UNIT_LEADER)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the item is returned.")}, code="reason_required")
    _transition(item, [NewsItemStatus.AWAITING_APPROVAL], NewsItemStatus.RETURNED, return_reason=reason.strip())
    audit_record("publicity.item.return", request=request, actor=user, obj=item, detail={"reason": reason})
    return item


@transaction.atomic
def news_item_withdraw(*, user: Any, item: NewsItem, request: Any = None) -> NewsItem:
    """The unit takes an item back while no outlet has adopted it."""
    _require_unit_member(user, item.unit_id, Role.LIAISON, Role.UNIT_LEADER)
    if item.adoptions.exclude(status=AdoptionStatus.REJECTED).exists():
        raise ValidationError(_("An outlet has adopted this item; it cannot be withdrawn."), code="adopted")
    _transition(item, [NewsItemStatus.AWAITING_APPROVAL, NewsItemStatus.SUBMITTED, NewsItemStatus.RETURNED],
                NewsItemStatus.WITHDRAWN)
    audit_record("publicity.item.withdraw", request=request, actor=user, obj=item)
    return item


@transaction.atomic
def news_item_set_shares(*, user: Any, item: NewsItem, shares: Sequence[tuple[Unit, Decimal]],
                         request: Any = None) -> NewsItem:
    """The office records a co-authored item: each unit's share (they must add up to 1)."""
    require_office(user)
    total = sum((share for _u, share in shares), ZERO)
    units = [u.pk for u, _s in shares]
    if shares and (total != 1 or len(set(units)) != len(units) or any(s <= 0 for _u, s in shares)):
        raise ValidationError(_("The shares must be positive, one per unit, and add up to 1."), code="shares")
    if shares and item.unit_id not in units:
        raise ValidationError(_("The unit that sent the item must keep a share."), code="shares")
    NewsItemShare.objects.filter(news_item=item).delete()
    NewsItemShare.objects.bulk_create([NewsItemShare(news_item=item, unit=u, share=s) for u, s in shares])
    item_rescore(item=item)
    audit_record("publicity.item.shares", request=request, actor=user, obj=item,
                 detail={"shares": {str(u.pk): str(s) for u, s in shares}})
    return item


# ---- adoptions and claims ----------------------------------------------------------------------

@dataclass
class AdoptionInput:
    outlet: Outlet
    adopted_on: dt.date
    position: str
    page_or_url: str = ""
    is_headline: bool = False
    is_feature_page: bool = False
    has_photo: bool = False
    evidence_upload: Any = None
    evidence_link: str = ""


def _check_adoption(item: NewsItem, data: AdoptionInput, user: Any) -> Adoption | None:
    """Refuse what cannot be recorded; return the existing row when this is the same request twice."""
    if item.status != NewsItemStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted item can be adopted."), code="not_submitted")
    if data.adopted_on > timezone.localdate():
        raise ValidationError({"adopted_on": _("The adoption date cannot be in the future.")}, code="future")
    if not data.outlet.active:
        raise ValidationError({"outlet": _("This outlet is no longer in use.")}, code="inactive")
    existing = (Adoption.objects.select_for_update().filter(news_item=item, outlet=data.outlet)
                .exclude(status=AdoptionStatus.REJECTED).first())
    if existing is not None:
        same_person = user.pk in (existing.recorded_by_id, existing.claimed_by_id)
        if same_person and existing.adopted_on == data.adopted_on and existing.page_or_url == data.page_or_url:
            return existing  # a double submit: the first one stands
        raise ValidationError(
            {"outlet": _("This item is already recorded as adopted by %(outlet)s on %(date)s (%(status)s).") % {
                "outlet": data.outlet.name, "date": existing.adopted_on.isoformat(),
                "status": existing.get_status_display()}}, code="duplicate")
    return None


def _store_evidence(adoption: Adoption, data: AdoptionInput, user: Any, request: Any) -> None:
    if data.evidence_upload is None:
        return
    from xiaoneng.core.files.services import file_store

    stored = file_store(upload=data.evidence_upload, unit=adoption.unit, user=user, allowed_kinds=EVIDENCE_KINDS,
                        linked_to=adoption, request=request)
    adoption.evidence_file = stored
    adoption.save(update_fields=["evidence_file"])


def _create_adoption(item: NewsItem, data: AdoptionInput, user: Any, status: str, request: Any, **extra) -> Adoption:
    NewsItem.objects.select_for_update().filter(pk=item.pk).first()  # serialise concurrent records of one item
    existing = _check_adoption(item, data, user)
    if existing is not None:
        return existing
    if data.evidence_upload is None and not data.evidence_link.strip():
        raise ValidationError(
            {"evidence_file": _("Evidence is required: upload a scan of the printed page with its masthead or a "
                                "screenshot, or give the link to the published page.")}, code="evidence_required")
    try:
        with transaction.atomic():
            adoption = Adoption.objects.create(
                news_item=item, outlet=data.outlet, unit_id=item.unit_id, adopted_on=data.adopted_on,
                month_key=month_key(data.adopted_on), position=data.position, page_or_url=data.page_or_url.strip(),
                is_headline=data.is_headline, is_feature_page=data.is_feature_page, has_photo=data.has_photo,
                evidence_link=data.evidence_link.strip(), status=status, **extra)
    except IntegrityError as exc:
        raise ValidationError({"outlet": _("This item is already recorded as adopted by %(outlet)s.") % {
            "outlet": data.outlet.name}}, code="duplicate") from exc
    _store_evidence(adoption, data, user, request)
    return adoption


@transaction.atomic
def adoption_record(*, user: Any, item: NewsItem, data: AdoptionInput, request: Any = None) -> Adoption:
    """The office records that an outlet adopted the item: verified at once and scored."""
    require_office(user)
    adoption = _create_adoption(item, data, user, AdoptionStatus.VERIFIED, request, recorded_by=user,
                                verified_at=timezone.now())
    item_rescore(item=item)
    adoption.refresh_from_db()
    audit_record("publicity.adoption.record", request=request, actor=user, obj=adoption,
                 detail={"outlet": data.outlet.name, "points": str(adoption.points)})
    return adoption


@transaction.atomic
def adoption_claim(*, user: Any, item: NewsItem, data: AdoptionInput, request: Any = None) -> Adoption:
    """The unit claims an adoption with evidence; it scores once the office verifies it."""
    _require_unit_member(user, item.unit_id, Role.LIAISON, Role.UNIT_LEADER)
    adoption = _create_adoption(item, data, user, AdoptionStatus.CLAIMED, request, claimed_by=user)
    audit_record("publicity.adoption.claim", request=request, actor=user, obj=adoption,
                 detail={"outlet": data.outlet.name})
    return adoption


def _adoption_transition(adoption: Adoption, old: Iterable[str], new: str, **fields) -> None:
    changed = Adoption.objects.filter(pk=adoption.pk, status__in=list(old)).update(status=new, **fields)
    if changed != 1:
        raise ValidationError(_("This adoption has changed in the meantime; reload the page."), code="stale")
    adoption.refresh_from_db()


@transaction.atomic
def adoption_verify(*, user: Any, adoption: Adoption, request: Any = None) -> Adoption:
    """The office accepts a claim: the adoption scores from now on."""
    require_office(user)
    _adoption_transition(adoption, [AdoptionStatus.CLAIMED], AdoptionStatus.VERIFIED, verified_at=timezone.now(),
                         recorded_by=user)
    item_rescore(item=adoption.news_item)
    adoption.refresh_from_db()
    audit_record("publicity.adoption.verify", request=request, actor=user, obj=adoption,
                 detail={"points": str(adoption.points)})
    return adoption


@transaction.atomic
def adoption_reject(*, user: Any, adoption: Adoption, reason: str, request: Any = None) -> Adoption:
    """The office rejects a claim (or withdraws a recorded adoption) with the reason the unit will read."""
    require_office(user)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the adoption is rejected.")}, code="reason_required")
    _adoption_transition(adoption, [AdoptionStatus.CLAIMED, AdoptionStatus.VERIFIED], AdoptionStatus.REJECTED,
                         reject_reason=reason.strip())
    item_rescore(item=adoption.news_item)
    audit_record("publicity.adoption.reject", request=request, actor=user, obj=adoption, detail={"reason": reason})
    return adoption


# ---- instructions, commissions, vetoes -----------------------------------------------------------

@transaction.atomic
def instruction_record(*, user: Any, item: NewsItem, level: str, leader: str, instructed_on: dt.date,
                       request: Any = None) -> LeaderInstruction:
    """The office records a leader's written instruction on an item (bonus once per level)."""
    require_office(user)
    if not leader.strip():
        raise ValidationError({"leader": _("Name the leader.")}, code="required")
    if instructed_on > timezone.localdate():
        raise ValidationError({"instructed_on": _("The date cannot be in the future.")}, code="future")
    instruction = LeaderInstruction.objects.create(news_item=item, level=level, leader=leader.strip(),
                                                   instructed_on=instructed_on, month_key=month_key(instructed_on),
                                                   recorded_by=user)
    item_rescore(item=item)
    audit_record("publicity.instruction.record", request=request, actor=user, obj=instruction,
                 detail={"level": level})
    return instruction


@transaction.atomic
def commission_create(*, user: Any, campaign: Any, units: Iterable[Unit], kind: str, title: str, due_on: dt.date,
                      request: Any = None) -> list[Commission]:
    """The office asks units for a piece (约稿) or an urgent report (紧急信息) by a date."""
    require_office(user)
    units = list(units)
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")}, code="required")
    rows = [Commission.objects.create(campaign=campaign, unit=u, kind=kind, title=title.strip(), due_on=due_on,
                                      month_key=month_key(due_on), created_by=user) for u in units]
    audit_record("publicity.commission.create", request=request, actor=user, object_type="publicity.commission",
                 object_repr=title, detail={"units": [u.pk for u in units], "due_on": str(due_on), "kind": kind})
    return rows


@transaction.atomic
def commission_answer(*, user: Any, commission: Commission, item: NewsItem, request: Any = None) -> Commission:
    """The unit names the submitted item that answers the commission; late if submitted after the due date."""
    _require_unit_member(user, commission.unit_id, Role.LIAISON, Role.UNIT_LEADER)
    if item.unit_id != commission.unit_id or item.status != NewsItemStatus.SUBMITTED:
        raise ValidationError(_("Choose one of your unit's submitted items."), code="invalid")
    answered_on = timezone.localtime(item.submitted_at).date()
    changed = Commission.objects.filter(pk=commission.pk, answer__isnull=True).update(answer=item,
                                                                                     answered_on=answered_on)
    if changed != 1:
        raise ValidationError(_("This request has already been answered."), code="answered")
    commission.refresh_from_db()
    audit_record("publicity.commission.answer", request=request, actor=user, obj=commission)
    return commission


@transaction.atomic
def veto_set(*, user: Any, campaign: Any, unit: Unit, year: int, month: int, reason: str,
             request: Any = None) -> Veto:
    """一票否决: the unit's month scores zero, with the reason on record."""
    require_office(user)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the veto.")}, code="reason_required")
    veto, created = Veto.objects.get_or_create(campaign=campaign, unit=unit, month_key=year * 100 + month,
                                               defaults={"reason": reason.strip(), "created_by": user})
    if not created:
        raise ValidationError(_("This unit's month is already vetoed."), code="duplicate")
    audit_record("publicity.veto.set", request=request, actor=user, obj=veto, detail={"reason": reason})
    return veto


@transaction.atomic
def veto_remove(*, user: Any, veto: Veto, request: Any = None) -> None:
    require_office(user)
    audit_record("publicity.veto.remove", request=request, actor=user, obj=veto)
    veto.delete()
