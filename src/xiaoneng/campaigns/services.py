"""Writes on campaigns: creating them, keeping due items right, submissions and their review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.audit.services import audit_record
from xiaoneng.core.workdays.services import working_calendar, working_days_between
from xiaoneng.org.models import Role, Unit, UnitKind
from xiaoneng.org.selectors import require_office

from .models import (
    AssignTo,
    Campaign,
    DueItem,
    DueItemState,
    Obligation,
    Phase,
    Submission,
    SubmissionStatus,
    Task,
)
from .schedule import AnchorDate, Frequency, Rule, Window, occurrences

# Units that report: everything but the bureau itself and its office.
NON_REPORTING_KINDS = (UnitKind.BUREAU, UnitKind.OFFICE)
MAX_ANCHOR_DEPTH = 5


def units_for_assignment(obj: Task | Obligation) -> QuerySet[Unit]:
    """The units a task or obligation applies to."""
    units = Unit.objects.filter(is_active=True).exclude(kind__in=NON_REPORTING_KINDS)
    if obj.assign_to == AssignTo.GROUP:
        return units.filter(ranking_group_id=obj.ranking_group_id)
    if obj.assign_to == AssignTo.LIST:
        return units.filter(pk__in=obj.units.values("pk"))
    return units


def rule_of(obligation: Obligation) -> Rule:
    anchor_id = None
    if obligation.anchor in ("phase_start", "phase_end"):
        anchor_id = obligation.anchor_phase_id
    elif obligation.anchor == "obligation":
        anchor_id = obligation.anchor_obligation_id
    return Rule(
        frequency=obligation.frequency, due_date=obligation.due_date, day=obligation.day,
        months=tuple(int(m) for m in obligation.months or ()), offset=obligation.offset,
        working_days=obligation.working_days, anchor=obligation.anchor, anchor_id=anchor_id,
        shift_holidays=obligation.shift_holidays,
    )


def obligation_occurrences(obligation: Obligation, *, depth: int = 0):
    """The due dates of an obligation within its campaign (anchors resolved from phases and obligations)."""
    campaign = obligation.campaign
    anchors: list[AnchorDate] = []
    if obligation.frequency == Frequency.RELATIVE:
        if obligation.anchor in ("phase_start", "phase_end"):
            for phase in campaign.phases.all():
                day = phase.start_date if obligation.anchor == "phase_start" else phase.end_date
                anchors.append(AnchorDate(obligation.anchor, phase.pk, phase.name, day))
        elif obligation.anchor == "obligation" and obligation.anchor_obligation_id and depth < MAX_ANCHOR_DEPTH:
            for occ in obligation_occurrences(obligation.anchor_obligation, depth=depth + 1):
                anchors.append(AnchorDate("obligation", obligation.anchor_obligation_id,
                                          occ.label or str(obligation.anchor_obligation), occ.due,
                                          key=f"after:{obligation.anchor_obligation_id}:{occ.key}"))
    window = Window(campaign.start_date, campaign.end_date, anchors)
    return occurrences(rule_of(obligation), window, working_calendar())


def period_label(obligation: Obligation, key: str, label: str) -> str:
    """A reader's name for the period: 2009年1月, 2009年第1季度, 宣传发动阶段结束后."""
    if obligation.frequency == Frequency.MONTHLY or obligation.frequency == Frequency.YEARLY:
        year, month = key.split("-")
        return _("%(year)s-%(month)s") % {"year": year, "month": int(month)}
    if obligation.frequency == Frequency.QUARTERLY:
        year, quarter = key.split("-Q")
        return _("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}
    if obligation.frequency == Frequency.HALF_YEARLY:
        year, half = key.split("-H")
        return _("%(year)s H%(half)s") % {"year": year, "half": half}
    return label


@transaction.atomic
def due_items_sync(*, obligation: Obligation) -> dict[str, int]:
    """Make the obligation's due items match its rule, its campaign's phases and its units.

    Items are keyed by (unit, period): a moved date moves the item. Items that no longer apply
    are withdrawn, never deleted, so submissions already made are kept.
    """
    wanted = {occ.key: occ for occ in obligation_occurrences(obligation)}
    unit_ids = set(units_for_assignment(obligation).values_list("pk", flat=True))
    existing = {(item.unit_id, item.period_key): item for item in obligation.due_items.all()}
    created = updated = withdrawn = 0
    new_items = []
    for unit_id in unit_ids:
        for key, occ in wanted.items():
            label = period_label(obligation, key, occ.label)
            item = existing.get((unit_id, key))
            if item is None:
                new_items.append(DueItem(obligation=obligation, unit_id=unit_id, period_key=key, label=label,
                                         period_start=occ.period_start, period_end=occ.period_end,
                                         due_date=occ.due))
                continue
            changes = {"label": label, "period_start": occ.period_start, "period_end": occ.period_end,
                       "due_date": occ.due, "state": DueItemState.OPEN}
            if any(getattr(item, name) != value for name, value in changes.items()):
                for name, value in changes.items():
                    setattr(item, name, value)
                item.save(update_fields=list(changes))
                updated += 1
    DueItem.objects.bulk_create(new_items, ignore_conflicts=True)
    created = len(new_items)
    for (unit_id, key), item in existing.items():
        if (unit_id not in unit_ids or key not in wanted) and item.state != DueItemState.WITHDRAWN:
            item.state = DueItemState.WITHDRAWN
            item.save(update_fields=["state"])
            withdrawn += 1
    for dependent in obligation.dependents.all():
        due_items_sync(obligation=dependent)
    return {"created": created, "updated": updated, "withdrawn": withdrawn}


def campaign_sync(*, campaign: Campaign) -> None:
    """Re-derive every due item of the campaign (after its dates, phases or units changed)."""
    for obligation in campaign.obligations.filter(anchor_obligation__isnull=True):
        due_items_sync(obligation=obligation)
    for obligation in campaign.obligations.filter(anchor_obligation__isnull=False):
        due_items_sync(obligation=obligation)


PLAN_DOCUMENT_KINDS = frozenset({"doc", "docx", "wps", "pdf"})


@transaction.atomic
def campaign_create(*, user: Any, request: Any = None, template: Campaign | None = None,
                    plan_document: Any = None, **fields) -> Campaign:
    """Create a campaign; from a template, copy its phases, tasks and obligations shifted to the new year.

    The plan document, when given, is checked by content and kept with the campaign (owned by
    the office's unit); a refused file refuses the whole campaign, with the reason.
    """
    require_office(user)
    campaign = Campaign(created_by=user, **fields)
    campaign.full_clean()
    campaign.save()
    if plan_document is not None:
        from xiaoneng.core.files.services import file_store_many

        if not user.unit_id:
            raise ValidationError({"plan_document": _("Your account has no unit to keep the document under.")})
        try:
            stored = file_store_many(uploads=[plan_document], unit=user.unit, user=user,
                                     allowed_kinds=PLAN_DOCUMENT_KINDS, linked_to=campaign, request=request)
        except ValidationError as exc:
            raise ValidationError({"plan_document": exc.messages}) from exc
        campaign.plan_file = stored[0]
        campaign.save(update_fields=["plan_file"])
    if template is not None:
        _copy_structure(template, campaign)
    campaign_sync(campaign=campaign)
    audit_record("campaign.create", request=request, actor=user, obj=campaign,
                 detail={"template": template.pk if template else None})
    return campaign


def _shift_year(day: dt.date | None, years: int) -> dt.date | None:
    if day is None or years == 0:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _copy_structure(source: Campaign, target: Campaign) -> None:
    years = target.year - source.year
    phase_map: dict[int, Phase] = {}
    for phase in source.phases.all():
        phase_map[phase.pk] = Phase.objects.create(
            campaign=target, name=phase.name, order=phase.order,
            start_date=_shift_year(phase.start_date, years), end_date=_shift_year(phase.end_date, years))
    task_map: dict[int, Task] = {}
    for task in source.tasks.all():
        copy = Task.objects.create(
            campaign=target, phase=phase_map.get(task.phase_id), title=task.title, description=task.description,
            order=task.order, assign_to=task.assign_to, ranking_group_id=task.ranking_group_id)
        copy.units.set(task.units.all())
        task_map[task.pk] = copy
    obligation_map: dict[int, Obligation] = {}
    originals = list(source.obligations.all())
    for obligation in originals:
        copy = Obligation.objects.create(
            campaign=target, task=task_map.get(obligation.task_id), title=obligation.title,
            description=obligation.description, form_name=obligation.form_name,
            is_contact_form=obligation.is_contact_form, requires_leader_approval=obligation.requires_leader_approval,
            frequency=obligation.frequency, due_date=_shift_year(obligation.due_date, years), day=obligation.day,
            months=obligation.months, offset=obligation.offset, working_days=obligation.working_days,
            anchor=obligation.anchor, anchor_phase=phase_map.get(obligation.anchor_phase_id),
            shift_holidays=obligation.shift_holidays, order=obligation.order, assign_to=obligation.assign_to,
            ranking_group_id=obligation.ranking_group_id)
        copy.units.set(obligation.units.all())
        obligation_map[obligation.pk] = copy
    for obligation in originals:
        if obligation.anchor_obligation_id in obligation_map:
            copy = obligation_map[obligation.pk]
            copy.anchor_obligation = obligation_map[obligation.anchor_obligation_id]
            copy.save(update_fields=["anchor_obligation"])


@transaction.atomic
def campaign_save_as_template(*, user: Any, campaign: Campaign, title: str, request: Any = None) -> Campaign:
    """Keep a campaign's structure (phases, tasks, obligations) as a template for later campaigns."""
    require_office(user)
    template = Campaign.objects.create(
        title=title, kind=campaign.kind, year=campaign.year, description=campaign.description,
        start_date=campaign.start_date, end_date=campaign.end_date, is_template=True, created_by=user)
    _copy_structure(campaign, template)
    audit_record("campaign.save_template", request=request, actor=user, obj=template,
                 detail={"from": campaign.pk})
    return template


@transaction.atomic
def phase_save(*, user: Any, phase: Phase, request: Any = None) -> Phase:
    """Create or change a phase; the due items counted from it move with it."""
    require_office(user)
    phase.full_clean()
    creating = phase.pk is None
    phase.save()
    campaign_sync(campaign=phase.campaign)
    audit_record("phase.create" if creating else "phase.update", request=request, actor=user, obj=phase)
    return phase


@transaction.atomic
def task_save(*, user: Any, task: Task, units: Iterable[Unit] = (), request: Any = None) -> Task:
    require_office(user)
    task.full_clean()
    creating = task.pk is None
    task.save()
    task.units.set(units)
    audit_record("task.create" if creating else "task.update", request=request, actor=user, obj=task)
    return task


@transaction.atomic
def obligation_save(*, user: Any, obligation: Obligation, units: Iterable[Unit] = (), request: Any = None) -> dict:
    """Create or change an obligation and bring its due items in line."""
    require_office(user)
    obligation.full_clean()
    creating = obligation.pk is None
    obligation.save()
    obligation.units.set(units)
    result = due_items_sync(obligation=obligation)
    audit_record("obligation.create" if creating else "obligation.update", request=request, actor=user,
                 obj=obligation, detail=result)
    return result


# --- Submissions ------------------------------------------------------------------------

OPEN_SUBMISSION_STATES = (SubmissionStatus.AWAITING_APPROVAL, SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED)


def lateness(due_date: dt.date, when: dt.datetime) -> tuple[bool, int]:
    """Whether a report sent at ``when`` was on time, and else by how many working days it was late."""
    sent_on = timezone.localdate(when)
    if sent_on <= due_date:
        return True, 0
    return False, max(1, working_days_between(due_date, sent_on))


def _require_unit_member(user: Any, unit_id: int, *roles: str) -> None:
    if user.is_admin_role_holder or user.unit_id != unit_id or not user.has_role(*roles):
        raise PermissionDenied


@transaction.atomic
def submission_submit(*, user: Any, due_item: DueItem, text: str, files: Iterable = (),
                      idempotency_key: str | None = None, request: Any = None) -> Submission:
    """A liaison sends a report for a due item (through the unit leader when the obligation says so).

    Saved whole or not at all: the row and its files are stored in one transaction. The same
    idempotency key (one per rendered form) returns the first submission instead of a second.
    """
    _require_unit_member(user, due_item.unit_id, Role.LIAISON, Role.UNIT_LEADER)
    if idempotency_key:
        earlier = Submission.objects.filter(idempotency_key=idempotency_key).first()
        if earlier is not None:
            return earlier
    DueItem.objects.select_for_update().filter(pk=due_item.pk).first()
    if due_item.state == DueItemState.WITHDRAWN:
        raise ValidationError(_("This report is no longer required."), code="withdrawn")
    if due_item.submissions.filter(status__in=OPEN_SUBMISSION_STATES).exists():
        raise ValidationError(_("A report has already been sent for this item. Withdraw it first to change it."),
                              code="already_submitted")
    if not text.strip() and not files:
        raise ValidationError(_("Write the report or attach at least one file."), code="empty")
    now = timezone.now()
    needs_approval = due_item.obligation.requires_leader_approval and not user.has_role(Role.UNIT_LEADER)
    on_time, late_days = lateness(due_item.due_date, now)
    try:
        submission = Submission.objects.create(
            due_item=due_item, unit_id=due_item.unit_id, text=text, submitted_by=user, submitted_at=now,
            status=SubmissionStatus.AWAITING_APPROVAL if needs_approval else SubmissionStatus.SUBMITTED,
            is_on_time=on_time, late_working_days=late_days, idempotency_key=idempotency_key or None,
        )
    except IntegrityError:
        return Submission.objects.get(idempotency_key=idempotency_key)
    _attach_files(submission, files, user, request)
    audit_record("submission.submit", request=request, actor=user, obj=submission,
                 detail={"on_time": on_time, "late_working_days": late_days})
    return submission


def _attach_files(submission: Submission, files: Iterable, user: Any, request: Any = None) -> None:
    """Check every file by content and store them all with the submission, or refuse them all."""
    from xiaoneng.core.files.services import file_store_many

    files = list(files)
    if files:
        file_store_many(uploads=files, unit=submission.unit, user=user, linked_to=submission, request=request)


def _transition(submission: Submission, old: Iterable[str], new: str, **fields) -> None:
    """Change state only if it is still one of ``old`` (no lost updates on a double click)."""
    changed = Submission.objects.filter(pk=submission.pk, status__in=list(old)).update(status=new, **fields)
    if changed != 1:
        raise ValidationError(_("This report has changed in the meantime; reload the page."), code="stale")
    submission.refresh_from_db()


@transaction.atomic
def submission_approve(*, user: Any, submission: Submission, request: Any = None) -> Submission:
    """The unit leader approves: the report goes to the office, and on time is judged now."""
    _require_unit_member(user, submission.unit_id, Role.UNIT_LEADER)
    now = timezone.now()
    on_time, late_days = lateness(submission.due_item.due_date, now)
    _transition(submission, [SubmissionStatus.AWAITING_APPROVAL], SubmissionStatus.SUBMITTED,
                approved_by=user, approved_at=now, submitted_at=now, is_on_time=on_time,
                late_working_days=late_days)
    audit_record("submission.approve", request=request, actor=user, obj=submission)
    return submission


@transaction.atomic
def submission_withdraw(*, user: Any, submission: Submission, request: Any = None) -> Submission:
    """The unit takes a report back before the office has reviewed it."""
    _require_unit_member(user, submission.unit_id, Role.LIAISON, Role.UNIT_LEADER)
    _transition(submission, [SubmissionStatus.AWAITING_APPROVAL, SubmissionStatus.SUBMITTED],
                SubmissionStatus.WITHDRAWN)
    audit_record("submission.withdraw", request=request, actor=user, obj=submission)
    return submission


@transaction.atomic
def submission_accept(*, user: Any, submission: Submission, comment: str = "", request: Any = None) -> Submission:
    require_office(user)
    _transition(submission, [SubmissionStatus.SUBMITTED], SubmissionStatus.ACCEPTED, reviewed_by=user,
                reviewed_at=timezone.now(), review_comment=comment)
    audit_record("submission.accept", request=request, actor=user, obj=submission)
    return submission


@transaction.atomic
def submission_return(*, user: Any, submission: Submission, comment: str, request: Any = None) -> Submission:
    """The office sends a report back with a comment; the unit resubmits and the history stays."""
    require_office(user)
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the report is returned.")}, code="comment_required")
    _transition(submission, [SubmissionStatus.SUBMITTED], SubmissionStatus.RETURNED, reviewed_by=user,
                reviewed_at=timezone.now(), review_comment=comment)
    audit_record("submission.return", request=request, actor=user, obj=submission, detail={"comment": comment})
    return submission


# --- 附表1: contact form ------------------------------------------------------------------

CONTACT_FIELDS = ("leader_name", "leader_title", "leader_phone", "liaison_name", "liaison_title", "liaison_phone",
                  "liaison_email")


@transaction.atomic
def contact_submit(*, user: Any, due_item: DueItem, data: dict, request: Any = None) -> Submission:
    """The unit fills in 附表1: kept per campaign and unit, and counted as the due item's submission."""
    from .models import UnitContact

    _require_unit_member(user, due_item.unit_id, Role.LIAISON, Role.UNIT_LEADER)
    campaign = due_item.obligation.campaign
    values = {name: data.get(name, "") or "" for name in CONTACT_FIELDS}
    UnitContact.objects.update_or_create(campaign=campaign, unit_id=due_item.unit_id, defaults=values)
    summary = _("Leader in charge: %(leader)s; liaison: %(liaison)s") % {
        "leader": values["leader_name"], "liaison": values["liaison_name"]}
    return submission_submit(user=user, due_item=due_item, text=summary, request=request)


def contacts_for_campaign(*, campaign: Campaign) -> list[tuple[Unit, Any]]:
    """Every reporting unit with its 附表1 (None where the unit has not filled it in)."""
    from .models import UnitContact

    contacts = {c.unit_id: c for c in UnitContact.objects.filter(campaign=campaign)}
    units = Unit.objects.filter(is_active=True).exclude(kind__in=NON_REPORTING_KINDS).order_by("order", "name")
    return [(unit, contacts.get(unit.pk)) for unit in units]


@transaction.atomic
def campaign_update(*, user: Any, campaign: Campaign, request: Any = None) -> Campaign:
    """Save changed campaign fields (dates, status…) and bring its due items in line."""
    require_office(user)
    campaign.full_clean()
    campaign.save()
    if not campaign.is_template:
        campaign_sync(campaign=campaign)
    audit_record("campaign.update", request=request, actor=user, obj=campaign)
    return campaign


def campaigns_resync() -> int:
    """Re-derive the due items of every running campaign (units join, leave or change group)."""
    from .models import CampaignStatus

    count = 0
    for campaign in Campaign.objects.filter(is_template=False, status=CampaignStatus.ACTIVE):
        campaign_sync(campaign=campaign)
        count += 1
    return count
