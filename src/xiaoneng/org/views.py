"""Units and people screens."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from . import selectors
from .models import ADMIN_ROLES, User


@login_required
def unit_list(request):
    units = selectors.unit_list_for_user(user=request.user, query=request.GET.get("q", ""))
    return render(request, "org/unit_list.html", {"units": units})


@login_required
def unit_detail(request, pk: int):
    unit = selectors.unit_get_for_user(user=request.user, pk=pk)
    return render(request, "org/unit_detail.html", {"unit": unit})


@login_required
def person_list(request):
    people = selectors.person_list_for_user(user=request.user, query=request.GET.get("q", ""))
    return render(request, "org/person_list.html", {"people": people})


@login_required
def person_detail(request, pk: int):
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    return render(request, "org/person_detail.html", {"person": person})


@login_required
def account_list(request):
    """Accounts for the system and security administrators: names and roles, no business data."""
    if not request.user.has_role("system_admin", "security_admin"):
        raise PermissionDenied
    accounts = User.objects.prefetch_related("role_assignments").order_by("username")
    return render(request, "org/account_list.html", {"accounts": accounts, "admin_roles": ADMIN_ROLES})
