"""Writes on units, people and roles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xiaoneng.core.audit.services import audit_record

from .models import ADMIN_ROLES, RoleAssignment, User


def validate_role_set(roles: Iterable[str]) -> None:
    """三员分立: at most one administrator role, and never an administrator role with a business role."""
    roles = set(roles)
    admin = roles & ADMIN_ROLES
    if len(admin) > 1:
        raise ValidationError(_("One account cannot hold two administrator roles."), code="two_admin_roles")
    if admin and roles - admin:
        raise ValidationError(
            _("An administrator account cannot also hold a business role."), code="admin_with_business_role"
        )


@transaction.atomic
def person_set_roles(*, person: User, roles: Iterable[str], request: Any = None) -> None:
    """Replace the person's roles, refusing combinations 三员分立 forbids; audited."""
    roles = set(roles)
    validate_role_set(roles)
    current = set(person.role_assignments.values_list("role", flat=True))
    if current == roles:
        return
    person.role_assignments.exclude(role__in=roles).delete()
    for role in sorted(roles - current):
        RoleAssignment.objects.create(user=person, role=role)
    person._role_cache = None
    audit_record(
        "role.change", request=request, obj=person,
        detail={"before": sorted(current), "after": sorted(roles)},
    )
