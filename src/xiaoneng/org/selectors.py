"""Reads of units, ranking groups, people and accounts, limited to what the user may see."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from xiaoneng.core.scoping import get_for_user, scope_queryset

from .models import ADMIN_ROLES, RankingGroup, Role, Unit, User


def is_office(user: Any) -> bool:
    """Whether the user manages units and people (the office, and no administrator role)."""
    return bool(user.is_authenticated and user.has_role(Role.OFFICE) and not user.is_admin_role_holder)


def require_business_user(user: Any) -> None:
    """The three administrators get a clear 403 on business pages rather than an empty list."""
    if not user.is_authenticated or user.is_admin_role_holder:
        raise PermissionDenied


def require_office(user: Any) -> None:
    if not is_office(user):
        raise PermissionDenied


def unit_list_for_user(*, user: Any, query: str = "") -> QuerySet[Unit]:
    """Units the user may see, optionally filtered by name or short name."""
    units = scope_queryset(Unit.objects.select_related("parent", "ranking_group"), user)
    if query:
        units = units.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    return units


def unit_get_for_user(*, user: Any, pk: Any, write: bool = False) -> Unit:
    """One unit the user may see (403 another unit's, 404 none); with ``write``, only the office."""
    unit = get_for_user(Unit.objects.select_related("parent", "ranking_group"), user=user, pk=pk)
    if write:
        require_office(user)
    return unit


def _business_people() -> QuerySet[User]:
    # Administrator accounts are not business people: the office neither sees nor edits them.
    return User.objects.exclude(role_assignments__role__in=ADMIN_ROLES)


def person_list_for_user(*, user: Any, query: str = "", unit: Unit | None = None) -> QuerySet[User]:
    """People the user may see: the office sees everyone, a unit its own people."""
    people = scope_queryset(
        _business_people().select_related("unit").prefetch_related("role_assignments"), user
    )
    if unit is not None:
        people = people.filter(unit=unit)
    if query:
        people = people.filter(
            Q(full_name__icontains=query) | Q(username__icontains=query) | Q(unit__name__icontains=query)
        )
    return people


def person_get_for_user(*, user: Any, pk: Any, write: bool = False) -> User:
    """One business person the user may see; with ``write``, only the office."""
    person = get_for_user(_business_people().select_related("unit"), user=user, pk=pk)
    if write:
        require_office(user)
    return person


def ranking_group_list_for_user(*, user: Any) -> QuerySet[RankingGroup]:
    """Ranking groups are bureau-wide configuration: every business user may read them."""
    require_business_user(user)
    return RankingGroup.objects.all()


def ranking_group_get_for_user(*, user: Any, pk: Any, write: bool = False) -> RankingGroup:
    require_business_user(user)
    if write:
        require_office(user)
    try:
        return RankingGroup.objects.get(pk=pk)
    except (RankingGroup.DoesNotExist, ValueError, TypeError) as exc:
        from django.http import Http404

        raise Http404 from exc


# --- Accounts: only the system and security administrators ------------------------------------


def can_manage_accounts(user: Any) -> bool:
    return bool(user.is_authenticated and user.has_role(Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN))


def account_list_for_admin(*, user: Any, query: str = "") -> QuerySet[User]:
    """Every account, for the system and security administrators (no business fields are shown)."""
    if not can_manage_accounts(user):
        raise PermissionDenied
    accounts = User.objects.select_related("unit").prefetch_related("role_assignments").order_by("username")
    if query:
        accounts = accounts.filter(Q(username__icontains=query) | Q(full_name__icontains=query))
    return accounts


def account_get_for_admin(*, user: Any, pk: Any) -> User:
    """One account for the system or security administrator."""
    from django.shortcuts import get_object_or_404

    if not can_manage_accounts(user):
        raise PermissionDenied
    return get_object_or_404(User.objects.select_related("unit"), pk=pk)
