"""Reads for the campaign screens, scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scoping import can_see_all_units, scope_queryset
from xiaoneng.core.workdays.services import add_working_days
from xiaoneng.org.models import Unit

from .models import Campaign, CampaignStatus, DueItem, DueItemState, Submission, SubmissionStatus

DUE_SOON_WORKING_DAYS = 3


def campaign_list_for_user(*, user: Any, templates: bool = False) -> QuerySet[Campaign]:
    """Campaigns the office runs; a unit sees those that ask something of it."""
    campaigns = Campaign.objects.filter(is_template=templates)
    if can_see_all_units(user):
        return campaigns
    if templates or user.is_admin_role_holder or not user.unit_id:
        return campaigns.none()
    return campaigns.filter(obligations__due_items__unit_id=user.unit_id).distinct()


def campaign_get_for_user(*, user: Any, pk: int) -> Campaign:
    """One campaign: 404 if there is none, 403 if it asks nothing of the user's unit."""
    visible = Campaign.objects.filter(pk=pk)
    if not visible.exists():
        raise Http404
    campaign = campaign_list_for_user(user=user, templates=visible.filter(is_template=True).exists()).filter(pk=pk).first()
    if campaign is None:
        raise PermissionDenied
    return campaign


def due_item_get_for_user(*, user: Any, pk: int) -> DueItem:
    from xiaoneng.core.scoping import get_for_user

    return get_for_user(DueItem.objects.select_related("obligation__campaign", "unit"), user=user, pk=pk)


def submission_get_for_user(*, user: Any, pk: int) -> Submission:
    from xiaoneng.core.scoping import get_for_user

    return get_for_user(Submission.objects.select_related("due_item__obligation__campaign", "unit"), user=user, pk=pk)


@dataclass
class DueItemView:
    """A due item with what the unit has done about it, as the lists show it."""

    item: DueItem
    latest: Submission | None
    status: str  # ontime, soon, overdue, awaiting, submitted, accepted, returned, late_submitted

    @property
    def label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def css(self) -> str:
        return {"overdue": "danger", "soon": "warning", "returned": "danger", "accepted": "success",
                "submitted": "primary", "awaiting": "info", "late_submitted": "warning"}.get(self.status, "secondary")


def due_item_status(item: DueItem, latest: Submission | None, today: dt.date, soon_until: dt.date) -> str:
    if latest is not None and latest.status != SubmissionStatus.WITHDRAWN:
        if latest.status == SubmissionStatus.ACCEPTED:
            return "accepted"
        if latest.status == SubmissionStatus.RETURNED:
            return "returned"
        if latest.status == SubmissionStatus.AWAITING_APPROVAL:
            return "awaiting"
        return "submitted" if latest.is_on_time else "late_submitted"
    if item.due_date < today:
        return "overdue"
    if item.due_date <= soon_until:
        return "soon"
    return "ontime"


def _with_latest(items: QuerySet[DueItem]) -> list[DueItemView]:
    today = timezone.localdate()
    soon_until = add_working_days(today, DUE_SOON_WORKING_DAYS)
    items = items.prefetch_related(Prefetch("submissions", queryset=Submission.objects.order_by("-submitted_at", "-pk")))
    views = []
    for item in items:
        subs = list(item.submissions.all())
        latest = subs[0] if subs else None
        views.append(DueItemView(item, latest, due_item_status(item, latest, today, soon_until)))
    return views


def my_work_for_user(*, user: Any) -> list[DueItemView]:
    """Every open due item of the user's unit in running campaigns, by due date."""
    items = scope_queryset(DueItem.objects.all(), user).filter(
        state=DueItemState.OPEN, obligation__campaign__status=CampaignStatus.ACTIVE,
        obligation__campaign__is_template=False,
    ).select_related("obligation__campaign", "unit").order_by("due_date", "pk")
    return _with_latest(items)


@dataclass
class BoardRow:
    unit: Unit
    cells: list[DueItemView]
    due: int
    submitted: int
    on_time: int

    @property
    def on_time_rate(self) -> str:
        return f"{self.on_time * 100 / self.due:.1f}%" if self.due else "—"


def board_for_user(*, user: Any, campaign: Campaign, phase_id: int | None = None, group_id: int | None = None,
                   status: str = "") -> tuple[list, list[BoardRow]]:
    """Units × due items of a campaign, with counts and on-time rates per unit."""
    items = scope_queryset(DueItem.objects.all(), user).filter(
        obligation__campaign=campaign, state=DueItemState.OPEN).select_related("obligation", "unit")
    if group_id:
        items = items.filter(unit__ranking_group_id=group_id)
    if phase_id:
        phase = campaign.phases.filter(pk=phase_id).first()
        if phase is not None:
            items = items.filter(due_date__gte=phase.start_date, due_date__lte=phase.end_date)
    views = _with_latest(items.order_by("unit__order", "unit__name", "due_date", "obligation__order"))
    columns: dict[tuple, dict] = {}
    rows: dict[int, BoardRow] = {}
    today = timezone.localdate()
    for view in views:
        key = (view.item.obligation_id, view.item.period_key)
        columns.setdefault(key, {"obligation": view.item.obligation, "label": view.item.label,
                                 "due_date": view.item.due_date})
        row = rows.setdefault(view.item.unit_id, BoardRow(view.item.unit, [], 0, 0, 0))
        row.cells.append(view)
    ordered_columns = sorted(columns.items(), key=lambda kv: (kv[1]["due_date"], kv[1]["obligation"].order))
    column_index = {key: i for i, (key, _) in enumerate(ordered_columns)}
    result = []
    for row in rows.values():
        cells: list = [None] * len(column_index)
        for view in row.cells:
            cells[column_index[(view.item.obligation_id, view.item.period_key)]] = view
        row.cells = cells
        for view in cells:
            if view is None:
                continue
            if view.item.due_date <= today or view.latest is not None:
                row.due += 1
            if view.status in ("submitted", "accepted", "late_submitted", "awaiting", "returned"):
                row.submitted += 1
                if view.latest is not None and view.latest.is_on_time:
                    row.on_time += 1
        if status and not any(c is not None and c.status == status for c in cells):
            continue
        result.append(row)
    return [c for _, c in ordered_columns], result


# How each status reads on screen; the keys are the values of DueItemView.status.
STATUS_LABELS = {
    "ontime": _("Not yet due"),
    "soon": _("Due soon"),
    "overdue": _("Overdue"),
    "awaiting": _("Awaiting the unit leader"),
    "submitted": _("Submitted"),
    "late_submitted": _("Submitted late"),
    "accepted": _("Accepted"),
    "returned": _("Returned"),
}


def attention_for_user(user: Any) -> list[dict]:
    """Home page: the unit's overdue and soon-due reports; for the office, reports waiting for review."""
    from django.urls import reverse

    items: list[dict] = []
    if user.unit_id and user.role_set & {"liaison", "unit_leader"}:
        views = my_work_for_user(user=user)
        overdue = sum(1 for v in views if v.status == "overdue")
        soon = sum(1 for v in views if v.status == "soon")
        returned = sum(1 for v in views if v.status == "returned")
        url = reverse("campaigns:my_work")
        if overdue:
            items.append({"label": _("Overdue reports"), "url": url, "count": overdue})
        if soon:
            items.append({"label": _("Reports due soon"), "url": url, "count": soon})
        if returned:
            items.append({"label": _("Reports returned to your unit"), "url": url, "count": returned})
    if "office" in user.role_set and not user.is_admin_role_holder:
        waiting = Submission.objects.filter(status=SubmissionStatus.SUBMITTED).count()
        if waiting:
            items.append({"label": _("Reports waiting for review"), "url": reverse("campaigns:list"), "count": waiting})
    return items
