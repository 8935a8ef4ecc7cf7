"""Navigation by role: each entry names the roles that see it."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from xiaoneng.org.models import Role

# (url name, label, roles that see it). Later apps append their entries here.
NAVIGATION: list[tuple[str, object, frozenset[str]]] = [
    ("core:home", _("Home"), frozenset(Role.values)),
    ("campaigns:my_work", _("My work"), frozenset({Role.LIAISON, Role.UNIT_LEADER})),
    ("campaigns:list", _("Campaigns"), frozenset({Role.OFFICE, Role.BUREAU_LEADER, Role.LIAISON, Role.UNIT_LEADER})),
    ("org:unit_list", _("Units"), frozenset({Role.OFFICE, Role.BUREAU_LEADER, Role.LIAISON, Role.UNIT_LEADER})),
    ("org:person_list", _("People"), frozenset({Role.OFFICE, Role.LIAISON, Role.UNIT_LEADER})),
    ("org:account_list", _("Accounts"), frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN})),
    ("audit:event_list", _("Audit log"), frozenset({Role.AUDIT_ADMIN})),
    ("publicity:home", _("Publicity"), frozenset({Role.OFFICE, Role.BUREAU_LEADER, Role.LIAISON, Role.UNIT_LEADER})),
    ("assessment:home", _("Assessment"),
     frozenset({Role.OFFICE, Role.BUREAU_LEADER, Role.INSPECTOR, Role.LIAISON, Role.UNIT_LEADER})),
    ("supervision:home", _("Problems and rectification"),
     frozenset({Role.OFFICE, Role.BUREAU_LEADER, Role.INSPECTOR, Role.LIAISON, Role.UNIT_LEADER})),
    ("feedback:home", _("Public cases"), frozenset({Role.OFFICE, Role.BUREAU_LEADER, Role.LIAISON, Role.UNIT_LEADER})),
    ("surveys:home", _("Satisfaction surveys"), frozenset({Role.OFFICE, Role.BUREAU_LEADER, Role.LIAISON, Role.UNIT_LEADER})),
    ("workdays:year", _("Working-day calendar"), frozenset({Role.OFFICE})),
]


def navigation(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for name, label, roles in NAVIGATION:
        if user.role_set & roles:
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            items.append({"url": url, "label": label, "active": request.path == url})
    return {"nav_items": items}
