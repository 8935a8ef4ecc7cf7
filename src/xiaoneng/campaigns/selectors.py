"""Reads for the campaign screens, scoped to what the user may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Prefetch, Q, QuerySet
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
        return STATUS_CSS.get(self.status, "secondary")


_SENT_STATUS = {SubmissionStatus.ACCEPTED: "accepted", SubmissionStatus.RETURNED: "returned",
                SubmissionStatus.AWAITING_APPROVAL: "awaiting"}


def status_of(sub_status: str | None, sub_on_time: bool, due: dt.date, today: dt.date, soon_until: dt.date) -> str:
    """How a due item stands, from its latest submission (if any) and its due date: the one rule
    the lists, the board and the export share."""
    if sub_status is not None and sub_status != SubmissionStatus.WITHDRAWN:
        return _SENT_STATUS.get(sub_status) or ("submitted" if sub_on_time else "late_submitted")
    if due < today:
        return "overdue"
    return "soon" if due <= soon_until else "ontime"


def due_item_status(item: DueItem, latest: Submission | None, today: dt.date, soon_until: dt.date) -> str:
    if item.state == DueItemState.WITHDRAWN:
        return "withdrawn"
    if latest is None:
        return status_of(None, False, item.due_date, today, soon_until)
    return status_of(latest.status, latest.is_on_time, item.due_date, today, soon_until)


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
    # Withdrawn items stay listed while they hold a submission: what was sent is never lost.
    items = scope_queryset(DueItem.objects.all(), user).filter(
        Q(state=DueItemState.OPEN) | Q(state=DueItemState.WITHDRAWN, submissions__isnull=False),
        obligation__campaign__status=CampaignStatus.ACTIVE, obligation__campaign__is_template=False,
    ).select_related("obligation__campaign", "unit").distinct().order_by("due_date", "pk")
    return _with_latest(items)


@dataclass(slots=True)
class BoardCell:
    """One unit's one due item on the board: what the unit has done about it."""

    item_id: int
    status: str
    is_on_time: bool
    has_submission: bool
    due_date: dt.date

    @property
    def label(self) -> str:
        return str(STATUS_LABELS.get(self.status, self.status))

    @property
    def css(self) -> str:
        return STATUS_CSS.get(self.status, "secondary")


@dataclass
class BoardRow:
    unit: Unit
    cells: list
    due: int = 0
    submitted: int = 0
    on_time: int = 0

    @property
    def on_time_rate(self) -> str:
        return f"{self.on_time * 100 / self.due:.1f}%" if self.due else "—"


SENT_STATES = frozenset({"submitted", "accepted", "late_submitted", "awaiting", "returned"})


def board_for_user(*, user: Any, campaign: Campaign, phase_id: int | None = None, group_id: int | None = None,
                   status: str = "") -> tuple[list, list[BoardRow]]:
    """Units × due items of a campaign, with counts and on-time rates per unit.

    Two queries of plain values (the due items, then their submissions), no model instances
    per cell: the board of 300 units × 60 items stays within a few times one SQL query.
    """
    items = scope_queryset(DueItem.objects.all(), user).filter(
        obligation__campaign=campaign, state=DueItemState.OPEN)
    if group_id:
        items = items.filter(unit__ranking_group_id=group_id)
    if phase_id:
        phase = campaign.phases.filter(pk=phase_id).first()
        if phase is not None:
            items = items.filter(due_date__gte=phase.start_date, due_date__lte=phase.end_date)
    # One query, like the plain SQL a report writer would use: each item with its submissions
    # (oldest first, so the last row of an item is its latest submission).
    joined = items.order_by("pk", "submissions__submitted_at", "submissions__pk").values_list(
        "pk", "unit_id", "obligation_id", "period_key", "label", "due_date", "submissions__status",
        "submissions__is_on_time")
    # Run the ORM's own SQL on a plain cursor: the due dates repeat (one per column), so they
    # are converted once per distinct value instead of once per cell by the ORM.
    sql, params = joined.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        raw_rows = cursor.fetchall()
    dates: dict[Any, dt.date] = {}
    by_item: dict[int, tuple] = {}
    for pk, unit_id, obligation_id, key, label, due, sub_status, sub_on_time in raw_rows:
        day = dates.get(due)
        if day is None:
            day = dates[due] = due if isinstance(due, dt.date) else dt.date.fromisoformat(str(due)[:10])
        by_item[pk] = (pk, unit_id, obligation_id, key, label, day, sub_status, sub_on_time)
    rows_of_items = list(by_item.values())
    obligations = {o.pk: o for o in campaign.obligations.all()}
    today = timezone.localdate()
    soon_until = add_working_days(today, DUE_SOON_WORKING_DAYS)
    columns: dict[tuple, dict] = {}
    for _pk, _unit, obligation_id, key, label, due, _status, _on_time in rows_of_items:
        columns.setdefault((obligation_id, key), {"obligation": obligations[obligation_id], "label": label,
                                                  "due_date": due})
    ordered = sorted(columns.items(), key=lambda kv: (kv[1]["due_date"], kv[1]["obligation"].order, kv[0]))
    index = {key: i for i, (key, _) in enumerate(ordered)}
    units = {u.pk: u for u in Unit.objects.filter(pk__in={r[1] for r in rows_of_items})}
    rows: dict[int, BoardRow] = {}
    for pk, unit_id, obligation_id, key, _label, due, sub_status, sub_on_time in rows_of_items:
        row = rows.get(unit_id)
        if row is None:
            row = rows[unit_id] = BoardRow(units[unit_id], [None] * len(index))
        cell_status = status_of(sub_status, sub_on_time, due, today, soon_until)
        on_time = bool(sub_on_time)
        row.cells[index[(obligation_id, key)]] = BoardCell(pk, cell_status, on_time, sub_status is not None, due)
        if due <= today or sub_status is not None:
            row.due += 1
        if cell_status in SENT_STATES:
            row.submitted += 1
            if on_time:
                row.on_time += 1
    result = sorted(rows.values(), key=lambda r: (r.unit.order, r.unit.name))
    if status:
        result = [r for r in result if any(c is not None and c.status == status for c in r.cells)]
    return [c for _, c in ordered], result


def board_table_html(columns: list[dict], rows: list[BoardRow]) -> str:
    """The board's table, built in one pass (18,000 cells through the template engine take seconds)."""
    from django.urls import reverse
    from django.utils.html import escape
    from django.utils.safestring import mark_safe
    from django.utils.translation import gettext

    link = reverse("campaigns:due_item", args=[0])[:-2]  # ".../due/" — the id is appended per cell
    labels = {key: escape(str(label)) for key, label in STATUS_LABELS.items()}
    head = [f"<th>{escape(gettext('Unit'))}</th>"]
    for column in columns:
        title = escape(column["obligation"].title)
        short = title if len(column["obligation"].title) <= 14 else escape(column["obligation"].title[:13]) + "…"
        head.append(f'<th class="text-nowrap" title="{title}">{short}<br><span class="text-muted">'
                    f'{escape(column["label"])} · {column["due_date"]:%m-%d}</span></th>')
    for name in (gettext("Expected"), gettext("Sent"), gettext("On time"), gettext("On-time rate")):
        head.append(f"<th>{escape(name)}</th>")
    # Each cell is a link to its due item; everything but the id is the same per status.
    around = {status: (f'<td><a href="{link}',
                       f'/" class="badge text-bg-{STATUS_CSS.get(status, "secondary")}">{label}</a></td>')
              for status, label in labels.items()}
    body = []
    for row in rows:
        cells = []
        for cell in row.cells:
            if cell is None:
                cells.append("<td></td>")
            else:
                before, after = around[cell.status]
                cells.append(f"{before}{cell.item_id}{after}")
        body.append(f'<tr><th class="text-nowrap">{escape(row.unit.name)}</th>{"".join(cells)}<td>{row.due}</td>'
                    f"<td>{row.submitted}</td><td>{row.on_time}</td><td>{row.on_time_rate}</td></tr>")
    if not body:
        body.append(f'<tr><td colspan="{len(columns) + 5}" class="xn-empty">{escape(gettext("Nothing to show."))}</td></tr>')
    return mark_safe(  # noqa: S308 - every value above is escaped
        '<div class="table-responsive xn-card"><table class="table table-sm table-bordered mb-0 small" '
        f'data-testid="board"><thead><tr>{"".join(head)}</tr></thead><tbody>{"".join(body)}</tbody></table></div>')


STATUS_CSS = {"overdue": "danger", "soon": "warning", "returned": "danger", "accepted": "success",
              "submitted": "primary", "awaiting": "info", "late_submitted": "warning"}


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
    "withdrawn": _("No longer required"),
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
