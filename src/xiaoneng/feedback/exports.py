"""The case list as .xlsx: personal data masked, reporters left out for units, formulas defused."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from xiaoneng.core.xlsx import safe_cell

from .models import Case
from .selectors import CaseClock, shows_reporter_to

COLOURS = {"green": "On time", "yellow": "Due soon", "red": "Overdue", "none": "-"}


def case_list_xlsx(*, rows: list[tuple[Case, CaseClock]], user: Any) -> bytes:
    """One line per case with its stage, due date and colour; phone as 138****1234."""
    book = Workbook()
    sheet = book.active
    sheet.title = _("Public cases")
    sheet.append([_("Case number"), _("Kind"), _("Channel"), _("Unit concerned"), _("Handling unit"), _("Status"),
                  _("Received at"), _("Due"), _("Deadline"), _("Name of the person"), _("Phone"), _("What happened")])
    for case, clock in rows:
        shows = shows_reporter_to(user, case) and not case.is_anonymous
        sheet.append([safe_cell(value) for value in (
            case.number, case.get_kind_display(), case.get_channel_display(),
            case.unit.name if case.unit else _("Not sure which unit"),
            case.assignee_unit.name if case.assignee_unit else "", case.get_status_display(),
            timezone.localtime(case.received_at).strftime("%Y-%m-%d %H:%M"),
            clock.due_date.isoformat() if clock.due_date else "",
            _(COLOURS[clock.colour]) if not clock.paused else _("Paused"),
            case.name_masked if shows else "", case.phone_masked if shows else "", case.what[:500],
        )])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
