"""Unit scoping in one place: every read and write of business rows goes through here.

A model declares which field holds its unit (``scope_unit_field``, e.g. ``"unit"`` or
``"submission__unit"``; ``"pk"`` for the Unit model itself). The office and bureau leaders
see every unit; liaisons, unit leaders and inspectors see their own unit; the three
administrators see no business data at all (三员分立); anonymous users see nothing.
Views never call ``Model.objects.get()``: they call ``get_for_user`` or a selector built on
``scope_queryset``, and the scoping crawler test walks every URL to prove it.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def unit_field_of(model: type[models.Model]) -> str:
    field = getattr(model, "scope_unit_field", None)
    if not field:
        raise ImproperlyConfigured(f"{model.__name__} has no scope_unit_field; it cannot be scoped")
    return field


def can_see_all_units(user: Any) -> bool:
    return bool(user and user.is_authenticated and not user.is_admin_role_holder and user.sees_all_units)


def scope_queryset(queryset: models.QuerySet[M], user: Any) -> models.QuerySet[M]:
    """Limit ``queryset`` to the rows ``user`` may see."""
    field = unit_field_of(queryset.model)
    if not user or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_admin_role_holder:
        return queryset.none()
    if user.sees_all_units:
        return queryset
    if user.unit_id and user.role_set:
        return queryset.filter(**{field: user.unit_id})
    return queryset.none()


def can_write(user: Any, obj: models.Model) -> bool:
    """Whether ``user`` may change ``obj`` (already known to be visible)."""
    if user.is_admin_role_holder:
        return False
    from xiaoneng.org.models import Role

    if user.has_role(Role.OFFICE):
        return True
    return user.has_role(Role.LIAISON, Role.UNIT_LEADER)


def get_for_user(
    queryset_or_model: models.QuerySet[M] | type[M], *, user: Any, pk: Any, write: bool = False
) -> M:
    """Fetch one row the user may see: 403 for a row outside their scope, 404 for none; with
    ``write``, 403 unless they may also change it."""
    queryset = (
        queryset_or_model._default_manager.all()
        if isinstance(queryset_or_model, type)
        else queryset_or_model
    )
    try:
        obj = scope_queryset(queryset, user).get(pk=pk)
    except (ValueError, TypeError) as exc:
        raise Http404 from exc
    except queryset.model.DoesNotExist as exc:
        # Another unit's row is a clear "access denied" (the user followed a link they may
        # not open); a row that does not exist at all is "not found".
        if queryset.filter(pk=pk).exists():
            raise PermissionDenied from exc
        raise Http404 from exc
    if write and not can_write(user, obj):
        raise PermissionDenied
    return obj


class ScopedQuerySet(models.QuerySet):
    """A queryset with ``.for_user(user)``; use as the default manager of scoped models."""

    def for_user(self, user: Any) -> models.QuerySet:
        return scope_queryset(self, user)
