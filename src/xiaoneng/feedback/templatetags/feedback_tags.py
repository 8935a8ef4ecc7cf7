"""Labels for case history lines and the traffic light of a deadline."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

EVENT_LABELS = {
    "filed": _("Filed"), "accepted": _("Case accepted"), "declined": _("Declined"), "assigned": _("Assigned"),
    "transferred": _("Transferred"), "returned": _("Returned to the office"), "replied": _("Replied"), "closed": _("Case closed"), "rated": _("Rated"),
    "reopened": _("Reopened"), "extension_requested": _("Extension requested"),
    "extension_approved": _("Extension approved"), "extension_rejected": _("Extension rejected"),
    "pause_requested": _("Pause requested"), "pause_approved": _("Pause approved"),
    "pause_rejected": _("Pause rejected"), "resumed": _("Clock resumed"),
}


@register.filter
def event_label(kind: str) -> str:
    return EVENT_LABELS.get(kind, kind)


@register.inclusion_tag("feedback/_clock.html")
def case_light(clock):
    return {"clock": clock}
