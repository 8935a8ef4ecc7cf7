"""Writes on units, ranking groups, people, roles and accounts. Every change is audited."""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from xiaoneng.core.audit.services import audit_record

from .models import ADMIN_ROLES, BUSINESS_ROLES, UNIT_ROLES, RankingGroup, RoleAssignment, Unit, User

UNIT_FIELDS = ("name", "short_name", "kind", "parent", "ranking_group", "order", "is_active")
GROUP_FIELDS = ("name", "order")
PERSON_FIELDS = ("username", "full_name", "unit", "phone", "title", "email", "is_active")


# --- Roles (三员分立) -------------------------------------------------------------------------


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


def validate_business_roles(roles: Iterable[str], *, unit: Unit | None) -> None:
    """What the office may grant: business roles only; a liaison or unit leader needs a unit."""
    roles = set(roles)
    validate_role_set(roles)
    if roles - BUSINESS_ROLES:
        raise ValidationError({"roles": _("The office cannot grant administrator roles.")}, code="admin_role")
    if roles & UNIT_ROLES and unit is None:
        raise ValidationError({"unit": _("A liaison or unit leader must belong to a unit.")}, code="unit_required")


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


# --- Helpers ----------------------------------------------------------------------------------


def _changes(obj: models.Model, data: dict[str, Any], fields: Iterable[str]) -> dict[str, tuple[Any, Any]]:
    """Apply ``data`` to ``obj``; return {field: (before, after)} for what really changed."""
    changed = {}
    for field in fields:
        if field not in data:
            continue
        before, after = getattr(obj, field), data[field]
        if before != after:
            setattr(obj, field, after)
            changed[field] = (before, after)
    return changed


def _for_audit(value: Any) -> Any:
    return str(value) if isinstance(value, models.Model) else value


def _audit_detail(changed: dict[str, tuple[Any, Any]]) -> dict[str, Any]:
    return {field: [_for_audit(before), _for_audit(after)] for field, (before, after) in changed.items()}


def _protected_reason(exc: models.ProtectedError) -> str:
    """「3 people, 2 units」: what still refers to the row a user tried to delete."""
    counts: dict[str, int] = {}
    for obj in exc.protected_objects:
        label = str(obj._meta.verbose_name_plural)
        counts[label] = counts.get(label, 0) + 1
    listing = _(", ").join(f"{label} {count}" for label, count in sorted(counts.items()))
    return _("It is still in use (%(listing)s). Deactivate it instead.") % {"listing": listing}


def unit_would_loop(unit: Unit, parent: Unit | None) -> bool:
    """Whether making ``parent`` the parent of ``unit`` would make a unit its own ancestor."""
    seen = set()
    while parent is not None:
        if unit.pk is not None and parent.pk == unit.pk:
            return True
        if parent.pk in seen:
            return True
        seen.add(parent.pk)
        parent = parent.parent
    return False


# --- Units ------------------------------------------------------------------------------------


def unit_create(*, data: dict[str, Any], request: Any = None) -> Unit:
    """Create a unit; a second submit of the same name gets a field message, not a second unit."""
    unit = Unit(**{field: data[field] for field in UNIT_FIELDS if field in data})
    try:
        with transaction.atomic():
            unit.save()
            audit_record("unit.create", request=request, obj=unit,
                         detail={field: _for_audit(getattr(unit, field)) for field in UNIT_FIELDS})
    except IntegrityError as exc:
        raise ValidationError({"name": _("A unit with this name already exists.")}, code="unique") from exc
    return unit


def unit_update(*, unit: Unit, data: dict[str, Any], request: Any = None) -> Unit:
    """Change a unit's fields; refuses a parent that would make a loop."""
    if "parent" in data and unit_would_loop(unit, data["parent"]):
        raise ValidationError({"parent": _("A unit cannot be placed under itself or one of its sub-units.")})
    changed = _changes(unit, data, UNIT_FIELDS)
    if not changed:
        return unit
    try:
        with transaction.atomic():
            unit.save(update_fields=[*changed, "updated_at"])
            audit_record("unit.update", request=request, obj=unit, detail=_audit_detail(changed))
    except IntegrityError as exc:
        raise ValidationError({"name": _("A unit with this name already exists.")}, code="unique") from exc
    return unit


def unit_delete(*, unit: Unit, request: Any = None) -> None:
    """Delete a unit nobody refers to; one with people or sub-units is refused with the reason."""
    pk, name = unit.pk, unit.name
    try:
        with transaction.atomic():
            unit.delete()
            audit_record("unit.delete", request=request, object_type="org.unit", object_id=pk, object_repr=name)
    except models.ProtectedError as exc:
        raise ValidationError(_("The unit cannot be deleted. %(reason)s") % {"reason": _protected_reason(exc)},
                              code="protected") from exc


# --- Ranking groups ---------------------------------------------------------------------------


def ranking_group_create(*, data: dict[str, Any], request: Any = None) -> RankingGroup:
    """Create a ranking group (unique name)."""
    group = RankingGroup(**{field: data[field] for field in GROUP_FIELDS if field in data})
    try:
        with transaction.atomic():
            group.save()
            audit_record("ranking_group.create", request=request, obj=group, detail={"name": group.name})
    except IntegrityError as exc:
        raise ValidationError({"name": _("A ranking group with this name already exists.")}) from exc
    return group


def ranking_group_update(*, group: RankingGroup, data: dict[str, Any], request: Any = None) -> RankingGroup:
    """Rename or reorder a ranking group."""
    changed = _changes(group, data, GROUP_FIELDS)
    if not changed:
        return group
    try:
        with transaction.atomic():
            group.save(update_fields=list(changed))
            audit_record("ranking_group.update", request=request, obj=group, detail=_audit_detail(changed))
    except IntegrityError as exc:
        raise ValidationError({"name": _("A ranking group with this name already exists.")}) from exc
    return group


def ranking_group_delete(*, group: RankingGroup, request: Any = None) -> None:
    """Delete a ranking group no unit belongs to."""
    pk, name = group.pk, group.name
    try:
        with transaction.atomic():
            group.delete()
            audit_record("ranking_group.delete", request=request, object_type="org.rankinggroup",
                         object_id=pk, object_repr=name)
    except models.ProtectedError as exc:
        raise ValidationError(_("The ranking group cannot be deleted. %(reason)s")
                              % {"reason": _protected_reason(exc)}) from exc


# --- People (the office) ----------------------------------------------------------------------


def person_create(*, data: dict[str, Any], roles: Iterable[str] = (), request: Any = None) -> User:
    """The office adds a person with business roles. The account gets no password: the system
    administrator issues a temporary one (三员分立: accounts are theirs)."""
    roles = set(roles)
    validate_business_roles(roles, unit=data.get("unit"))
    person = User(**{field: data[field] for field in PERSON_FIELDS if field in data})
    person.set_unusable_password()
    person.must_change_password = True
    try:
        with transaction.atomic():
            person.save()
            audit_record("person.create", request=request, obj=person,
                         detail={"username": person.username, "unit": _for_audit(person.unit),
                                 "roles": sorted(roles)})
            person_set_roles(person=person, roles=roles, request=request)
    except IntegrityError as exc:
        raise ValidationError({"username": _("This user name is already taken.")}, code="unique") from exc
    return person


def person_update(*, person: User, data: dict[str, Any], roles: Iterable[str] | None = None,
                  request: Any = None) -> User:
    """The office changes a business person; administrator accounts are not theirs to change."""
    if person.is_admin_role_holder:
        raise PermissionDenied
    if roles is not None:
        validate_business_roles(roles, unit=data.get("unit", person.unit))
    was_active = person.is_active
    changed = _changes(person, data, PERSON_FIELDS)
    try:
        with transaction.atomic():
            if changed:
                person.save(update_fields=list(changed))
                audit_record("person.update", request=request, obj=person, detail=_audit_detail(changed))
            if roles is not None:
                person_set_roles(person=person, roles=roles, request=request)
            if was_active and not person.is_active:
                end_sessions(person)
    except IntegrityError as exc:
        raise ValidationError({"username": _("This user name is already taken.")}, code="unique") from exc
    return person


# --- Accounts (the system and security administrators) ----------------------------------------


def end_sessions(user: User) -> None:
    """End every session the user holds (their browsers are signed out at the next request)."""
    from xiaoneng.core.security import services as security_services

    user_sessions_end = getattr(security_services, "user_sessions_end", None)
    if user_sessions_end is not None:
        user_sessions_end(user=user)
        return
    from django.contrib.sessions.models import Session

    from xiaoneng.core.security.models import UserSession

    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()


def temporary_password(length: int = 14) -> str:
    """A random password that meets the 等保 profile (four character classes)."""
    classes = [string.ascii_uppercase, string.ascii_lowercase, string.digits, "#%+=@!?"]
    alphabet = "".join(classes)
    chars = [secrets.choice(group) for group in classes]
    chars += [secrets.choice(alphabet) for _unused in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def _refuse_self(actor: Any, account: User) -> None:
    if actor is not None and actor.pk == account.pk:
        raise ValidationError(_("You cannot do this to your own account."), code="self")


def account_create(*, data: dict[str, Any], request: Any = None) -> tuple[User, str]:
    """The system administrator creates an account without roles; returns it and its temporary password."""
    password = temporary_password()
    account = User(**{field: data[field] for field in ("username", "full_name", "unit") if field in data})
    account.set_password(password)
    account.must_change_password = True
    try:
        with transaction.atomic():
            account.save()
            audit_record("account.create", request=request, obj=account,
                         detail={"username": account.username, "unit": _for_audit(account.unit)})
    except IntegrityError as exc:
        raise ValidationError({"username": _("This user name is already taken.")}, code="unique") from exc
    return account, password


def account_disable(*, account: User, request: Any = None) -> None:
    """Disable an account and end all its sessions at once."""
    _refuse_self(getattr(request, "user", None), account)
    from xiaoneng.core.security import services as security_services

    user_disable = getattr(security_services, "user_disable", None)
    if user_disable is not None:
        user_disable(user=account, request=request)
        return
    with transaction.atomic():
        User.objects.filter(pk=account.pk).update(is_active=False)
        account.is_active = False
        end_sessions(account)
        audit_record("account.disable", request=request, obj=account)


def account_enable(*, account: User, request: Any = None) -> None:
    """Enable a disabled account again."""
    with transaction.atomic():
        User.objects.filter(pk=account.pk).update(is_active=True)
        account.is_active = True
        audit_record("account.enable", request=request, obj=account)


def account_reset_password(*, account: User, request: Any = None) -> str:
    """Set a temporary password the owner must change at next sign-in; returns it (shown once)."""
    _refuse_self(getattr(request, "user", None), account)
    password = temporary_password()
    from xiaoneng.core.security import services as security_services

    password_reset_by_admin = getattr(security_services, "password_reset_by_admin", None)
    if password_reset_by_admin is not None:
        # Validates the password, sets must_change_password, ends the sessions, audits.
        password_reset_by_admin(user=account, password=password, request=request)
        return password
    account.set_password(password)
    account.must_change_password = True
    with transaction.atomic():
        account.save(update_fields=["password", "must_change_password"])
        end_sessions(account)
        audit_record("account.password_reset", request=request, obj=account)
    return password


def account_unlock(*, account: User, request: Any = None) -> None:
    """Lift a lockout after failed sign-ins."""
    from xiaoneng.core.security import services as security_services

    user_unlock = getattr(security_services, "user_unlock", None)
    if user_unlock is not None:
        user_unlock(user=account, request=request)
        return
    from xiaoneng.core.security.models import LoginFailure

    with transaction.atomic():
        LoginFailure.objects.filter(username=account.username.strip().lower()).delete()
        audit_record("account.unlock", request=request, obj=account)


def account_set_admin_roles(*, account: User, admin_roles: Iterable[str], request: Any = None) -> None:
    """The security administrator grants or revokes administrator roles (三员分立 holds)."""
    _refuse_self(getattr(request, "user", None), account)
    admin_roles = set(admin_roles)
    if admin_roles - ADMIN_ROLES:
        raise ValidationError({"roles": _("Only administrator roles are granted here.")})
    business = set(account.role_assignments.values_list("role", flat=True)) - ADMIN_ROLES
    validate_role_set(business | admin_roles)
    person_set_roles(person=account, roles=business | admin_roles, request=request)
