"""The audit log as an .xlsx file (every text cell made formula-safe)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from xiaoneng.core.xlsx import safe_cell

from .models import AuditEvent

EXPORT_MAX_ROWS = 100_000


def audit_events_xlsx(events: Iterable[AuditEvent]) -> tuple[bytes, int]:
    """Write the events to a workbook; returns the file's bytes and the number of rows written."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit log"))
    sheet.append(
        [
            safe_cell(str(title))
            for title in (
                _("Time"),
                _("User"),
                _("Action"),
                _("Object type"),
                _("Object id"),
                _("Object"),
                _("Result"),
                _("IP address"),
                _("Request id"),
                _("Detail"),
                _("Event id"),
            )
        ]
    )
    rows = 0
    for event in events:
        if rows >= EXPORT_MAX_ROWS:
            break
        sheet.append(
            [
                safe_cell(timezone.localtime(event.at).isoformat(sep=" ", timespec="seconds")),
                safe_cell(event.actor_name),
                safe_cell(event.action),
                safe_cell(event.object_type),
                safe_cell(event.object_id),
                safe_cell(event.object_repr),
                safe_cell(str(event.get_result_display())),
                safe_cell(event.ip or ""),
                safe_cell(event.request_id),
                safe_cell(event.detail_text),
                event.pk,
            ]
        )
        rows += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), rows
