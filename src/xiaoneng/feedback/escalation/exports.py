"""The statistics as a spreadsheet (counts and unit names only; no personal data)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from xiaoneng.core.xlsx import safe_cell

from .selectors import Statistics


def _percent(value) -> str:
    return "" if value is None else f"{value}%"


def _sheet(workbook: Workbook, title: str, headers: list[str], rows: list[list]) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([safe_cell(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    for column, header in zip(sheet.columns, headers, strict=False):
        sheet.column_dimensions[column[0].column_letter].width = max(10, min(40, len(header) * 2 + 4))


def statistics_xlsx(stats: Statistics) -> bytes:
    """One sheet per view of the figures: units, stages, kinds, channels, months, satisfaction."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, _("By unit"),
           [_("Unit"), _("Received"), _("Cases closed"), _("Closed on time"), _("On-time rate"), _("Overdue now"),
            _("Notices"), _("Accountability records"), _("Rated"), _("Satisfaction rate")],
           [[u.unit_name or _("No unit yet"), u.received, u.closed, u.closed_on_time, _percent(u.on_time_rate),
             u.open_overdue, u.alerts, u.accountability, u.rated, _percent(u.satisfaction_rate)]
            for u in stats.units])
    _sheet(workbook, _("By stage"),
           [_("Stage"), _("Done"), _("On time"), _("Late"), _("On-time rate"), _("Overdue now")],
           [[s.label, s.done, s.on_time, s.late, _percent(s.on_time_rate), s.open_overdue] for s in stats.stages])
    _sheet(workbook, _("By kind"), [_("Kind"), _("Cases")], [[label, n] for _v, label, n in stats.by_kind])
    _sheet(workbook, _("By channel"), [_("Channel"), _("Cases")], [[label, n] for _v, label, n in stats.by_channel])
    _sheet(workbook, _("By month"), [_("Month"), _("Received"), _("Cases closed")],
           [[month, received, closed] for month, received, closed in stats.by_month])
    _sheet(workbook, _("Satisfaction"), [_("Rating"), _("Cases")],
           [[label, n] for _v, label, n in stats.ratings] + [[_("Satisfaction rate"), _percent(stats.satisfaction_rate)]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
