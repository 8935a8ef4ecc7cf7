"""The printable notices of the ladder: one content, two renderings (a print page and a .docx).

A notice names the case by its number, kind, channel and dates only: never the complainant, and
no case text (a report's unit must not learn who reported it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.officialdoc import OfficialDocument, chinese_date
from xiaoneng.core.workdays.services import working_days_between
from xiaoneng.feedback.models import CaseStage
from xiaoneng.org.models import Unit, UnitKind

from .models import Alert, AlertStatus, Step


@dataclass
class Notice:
    title: str
    number: str
    recipients: str
    issuer: str
    date: dt.date
    colour: str  # "", "blue", "orange", "red": the band on the print page
    facts: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    copy_to: str = ""

    @property
    def date_text(self) -> str:
        return chinese_date(self.date)


def issuer_name() -> str:
    """The office that signs the notices (the office unit, else the bureau)."""
    unit = (Unit.objects.filter(kind=UnitKind.OFFICE).order_by("order", "pk").first()
            or Unit.objects.filter(kind=UnitKind.BUREAU).order_by("order", "pk").first())
    return unit.name if unit else _("The campaign office")


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _titles() -> dict[str, str]:
    return {
        Step.URGE: _("Urging notice on the handling of a public case"),
        Step.BLUE: _("Supervision notice (blue): reminder"),
        Step.ORANGE: _("Supervision notice (orange): warning"),
        Step.RED: _("Supervision notice (red): final warning"),
        Step.REPORT: _("Proposal to circulate a criticism for an overdue case"),
    }


def notice_for(alert: Alert) -> Notice:
    """The content of ``alert``'s notice (urging notice, blue/orange/red notice or proposal)."""
    case = alert.case
    zone = _zone()
    sent_on = timezone.localtime(alert.sent_at, zone).date()
    due_on = timezone.localtime(alert.due_at, zone).date()
    late = max(working_days_between(due_on, sent_on), 0)
    unit_name = alert.unit.name if alert.unit_id else ""
    issuer = issuer_name()
    stage_label = str(CaseStage(alert.stage).label) if alert.stage in CaseStage.values else alert.stage
    earlier = list(Alert.objects.filter(case=case, stage=alert.stage, status=AlertStatus.SENT,
                                        sent_at__lt=alert.sent_at).exclude(step=Step.REMINDER).order_by("sent_at"))
    facts = [
        (_("Case number"), case.number),
        (_("Kind"), str(case.get_kind_display())),
        (_("Channel"), str(case.get_channel_display())),
        (_("Received on"), chinese_date(timezone.localtime(case.received_at, zone).date())),
        (_("Handling unit"), unit_name or _("not yet assigned")),
        (_("Stage"), stage_label),
        (_("Time limit ended on"), chinese_date(due_on)),
        (_("Working days overdue"), str(late)),
    ]
    if earlier:
        facts.append((_("Earlier notices"), "；".join(f"{a.get_step_display()} {a.notice_number}" for a in earlier)))
    values = {"number": case.number, "kind": case.get_kind_display(), "channel": case.get_channel_display(),
              "received": chinese_date(timezone.localtime(case.received_at, zone).date()), "stage": stage_label,
              "due": chinese_date(due_on), "late": late, "unit": unit_name or _("the first responder")}
    paragraphs = [_("Case %(number)s (%(kind)s, received through %(channel)s on %(received)s) is handled by "
                    "%(unit)s. The time limit of its %(stage)s stage ended on %(due)s and the case has not been "
                    "dealt with: it is %(late)s working day(s) overdue.") % values]
    recipients = f"{unit_name}：" if unit_name else ""
    copy_to = ""
    colour = ""
    if alert.step == Step.URGE:
        paragraphs.append(_("Under the rules on time-limited handling, please finish handling the case at once and "
                            "report the result to the office; if it cannot be finished, explain why in writing."))
        copy_to = _("Copy to: the leader in charge of %(unit)s") % values if unit_name else ""
    elif alert.step == Step.BLUE:
        colour = "blue"
        paragraphs.append(_("This is a blue supervision reminder. Please finish the case without further delay."))
        copy_to = _("Copy to: the leader in charge of %(unit)s") % values if unit_name else ""
    elif alert.step == Step.ORANGE:
        colour = "orange"
        reply = chinese_date(alert.reply_due_on) if alert.reply_due_on else ""
        paragraphs.append(_("This is an orange warning. Please finish the case and explain the delay to the office "
                            "in writing by %(date)s.") % {"date": reply})
        copy_to = _("Copy to: the leader in charge of %(unit)s") % values if unit_name else ""
    elif alert.step == Step.RED:
        colour = "red"
        paragraphs.append(_("This is a red final warning. If the case is not finished at once, the office will "
                            "propose a circulated criticism and hold those responsible to account under the "
                            "accountability rules."))
        copy_to = _("Copy to: the leader in charge of %(unit)s") % values if unit_name else ""
    elif alert.step == Step.REPORT:
        recipients = _("To the leaders of the office:")
        paragraphs.append(_("The unit has received the urging notice and the supervision notices listed above "
                            "without finishing the case. It is proposed to circulate a criticism of %(unit)s and "
                            "to decide on accountability (interview, admonition talk or other measures).") % values)
    return Notice(title=_titles()[alert.step], number=alert.notice_number, recipients=recipients, issuer=issuer,
                  date=sent_on, colour=colour, facts=facts, paragraphs=paragraphs, copy_to=copy_to)


def notice_docx(alert: Alert) -> bytes:
    """The notice as a .docx in the official layout (GB/T 9704)."""
    notice = notice_for(alert)
    doc = OfficialDocument(title=notice.title, issuer=notice.issuer, date=notice.date, number=notice.number,
                           recipients=notice.recipients or None)
    doc.paragraph(notice.paragraphs[0])
    doc.table(headers=[_("Item"), _("Details")], rows=[[label, value] for label, value in notice.facts],
              col_widths_mm=[45, 110])
    for paragraph in notice.paragraphs[1:]:
        doc.paragraph(paragraph)
    if notice.copy_to and alert.unit_id:
        # The .docx has no 版记 block: the copy to the leader is said in the body instead.
        doc.paragraph(_("A copy of this notice goes to the leader in charge of %(unit)s.") % {"unit": alert.unit.name})
    return doc.render()
