"""The results bulletin (通报) as a .docx in the GB/T 9704 layout, from a results snapshot."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import PublicationKind

CHINESE_NUMBERS = "一二三四五六七八九十"


def _ordinal(index: int) -> str:
    return CHINESE_NUMBERS[index] if index < len(CHINESE_NUMBERS) else str(index + 1)


def bulletin_docx(*, campaign: Any, snapshot: dict, issuer: str, date: dt.date | None = None) -> bytes:
    """A bulletin with one ranking table per ranking group and the tie-break rule under them."""
    from xiaoneng.core.officialdoc import OfficialDocument

    composite = snapshot.get("kind") == PublicationKind.COMPOSITE
    title = (_("Bulletin on the composite results of %(campaign)s") if composite
             else _("Bulletin on the assessment results of %(campaign)s")) % {"campaign": campaign.title}
    doc = OfficialDocument(title=title, issuer=issuer, date=date or timezone.localdate(), number=None,
                           recipients=_("To every county and district health bureau and every unit of the bureau:"))
    rounds = "、".join(snapshot.get("rounds") or [])
    if composite:
        doc.paragraph(_("The composite results of %(campaign)s are announced as follows.") % {"campaign": campaign.title})
    else:
        doc.paragraph(_("The bureau assessed the units in stages (%(rounds)s). The final result of each unit is "
                        "the mean of the rounds it took part in. The results are announced as follows.")
                      % {"campaign": campaign.title, "rounds": rounds or "—"})
    for index, group in enumerate(snapshot.get("groups") or []):
        doc.heading(f"{_ordinal(index)}、{group['name']}", level=1)
        headers = [_("Rank"), _("Unit"), *snapshot.get("columns", [])]
        tied = _("(tied)")
        rows = [[(row["rank"] + (tied if row.get("tied") else "")) if row["rank"] else "—", row["unit"],
                 *row["values"]] for row in group["rows"]]
        # Rank narrow, the unit name wide enough for one line, the figures sharing the rest.
        figures = max(1, len(headers) - 2)
        widths = [14, 44, *([(156 - 14 - 44) / figures] * figures)]
        doc.table(headers=headers, rows=rows, col_widths_mm=widths,
                  caption=_("Table %(number)s %(group)s") % {"number": index + 1, "group": group["name"]})
    doc.note(_("Ranking rule: %(rule)s") % {"rule": snapshot.get("tie_break", "")})
    return doc.render()
