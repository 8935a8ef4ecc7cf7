"""Reads of units and people, scoped to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from xiaoneng.core.scoping import get_for_user, scope_queryset

from .models import Unit, User


def unit_list_for_user(*, user: Any, query: str = "") -> QuerySet[Unit]:
    """Units the user may see, optionally filtered by name."""
    units = scope_queryset(Unit.objects.select_related("parent", "ranking_group"), user)
    if query:
        units = units.filter(name__icontains=query)
    return units


def unit_get_for_user(*, user: Any, pk: Any, write: bool = False) -> Unit:
    return get_for_user(Unit, user=user, pk=pk, write=write)


def person_list_for_user(*, user: Any, query: str = "") -> QuerySet[User]:
    """People the user may see: the office sees everyone, a unit its own people."""
    people = scope_queryset(User.objects.select_related("unit").prefetch_related("role_assignments"), user)
    if query:
        people = people.filter(full_name__icontains=query) | people.filter(username__icontains=query)
    return people


def person_get_for_user(*, user: Any, pk: Any, write: bool = False) -> User:
    return get_for_user(User, user=user, pk=pk, write=write)
