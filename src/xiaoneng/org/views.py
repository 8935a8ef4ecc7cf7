"""Units, ranking groups, people and accounts screens: parse, call one service or selector, render."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from xiaoneng.core.xlsx import xlsx_response

from . import imports, selectors, services
from .forms import AccountCreateForm, AdminRolesForm, ImportForm, PersonForm, RankingGroupForm, UnitForm
from .models import ADMIN_ROLES, Role
from .phones import mask_phone


def _apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError next to the field it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _xlsx_response(content: bytes, stem: str) -> HttpResponse:
    return xlsx_response(content, f"{stem}-{date.today():%Y%m%d}.xlsx")


# --- Units ------------------------------------------------------------------------------------


@login_required
def unit_list(request):
    selectors.require_business_user(request.user)
    query = request.GET.get("q", "").strip()
    units = selectors.unit_list_for_user(user=request.user, query=query)
    return render(request, "org/unit_list.html", {
        "units": units, "query": query, "can_manage": selectors.is_office(request.user)})


@login_required
def unit_detail(request, pk: int):
    selectors.require_business_user(request.user)
    unit = selectors.unit_get_for_user(user=request.user, pk=pk)
    people = selectors.person_list_for_user(user=request.user, unit=unit)
    return render(request, "org/unit_detail.html", {
        "unit": unit, "people": people, "children": selectors.unit_list_for_user(user=request.user).filter(
            parent=unit), "can_manage": selectors.is_office(request.user)})


@login_required
def unit_create(request):
    selectors.require_office(request.user)
    form = UnitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(data=form.cleaned_data, request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The unit has been created."))
            return redirect("org:unit_detail", pk=unit.pk)
    return render(request, "org/form.html", {"form": form, "title": _("New unit"), "cancel": "org:unit_list"})


@login_required
def unit_update(request, pk: int):
    unit = selectors.unit_get_for_user(user=request.user, pk=pk, write=True)
    form = UnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            # The form wrote its values onto the instance; the service compares with the stored row.
            services.unit_update(unit=selectors.unit_get_for_user(user=request.user, pk=pk, write=True),
                                 data=form.cleaned_data, request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The unit has been saved."))
            return redirect("org:unit_detail", pk=pk)
    return render(request, "org/form.html", {"form": form, "title": _("Edit unit"), "object": unit,
                                             "delete_url": "org:unit_delete"})


@login_required
def unit_delete(request, pk: int):
    unit = selectors.unit_get_for_user(user=request.user, pk=pk, write=True)
    if request.method == "POST":
        try:
            services.unit_delete(unit=unit, request=request)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
            return redirect("org:unit_detail", pk=pk)
        messages.success(request, _("The unit has been deleted."))
        return redirect("org:unit_list")
    return render(request, "org/confirm_delete.html", {"object": unit, "cancel_url": unit_detail_url(unit)})


def unit_detail_url(unit) -> str:
    from django.urls import reverse

    return reverse("org:unit_detail", args=[unit.pk])


@login_required
def unit_export(request):
    selectors.require_office(request.user)
    content = imports.unit_export(units=selectors.unit_list_for_user(user=request.user), request=request)
    return _xlsx_response(content, "units")


@login_required
def unit_template(request):
    selectors.require_office(request.user)
    return _xlsx_response(imports.unit_template(), "units-template")


@login_required
def unit_import(request):
    selectors.require_office(request.user)
    return _import(request, imports.unit_import, title=_("Import units"), template_url="org:unit_template",
                   done_url="org:unit_list")


def _import(request, run, *, title: str, template_url: str, done_url: str):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = run(content=form.cleaned_data["file"].read(), request=request)
        if result.ok:
            messages.success(request, _("Import finished: %(created)d created, %(updated)d updated.")
                             % {"created": result.created, "updated": result.updated})
            return redirect(done_url)
    return render(request, "org/import.html", {"form": form, "result": result, "title": title,
                                               "template_url": template_url})


# --- Ranking groups ---------------------------------------------------------------------------


@login_required
def group_list(request):
    groups = selectors.ranking_group_list_for_user(user=request.user)
    return render(request, "org/group_list.html", {"groups": groups, "can_manage": selectors.is_office(
        request.user)})


@login_required
def group_create(request):
    selectors.require_office(request.user)
    form = RankingGroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ranking_group_create(data=form.cleaned_data, request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The ranking group has been created."))
            return redirect("org:group_list")
    return render(request, "org/form.html", {"form": form, "title": _("New ranking group"),
                                             "cancel": "org:group_list"})


@login_required
def group_update(request, pk: int):
    group = selectors.ranking_group_get_for_user(user=request.user, pk=pk, write=True)
    form = RankingGroupForm(request.POST or None, instance=group)
    if request.method == "POST" and form.is_valid():
        try:
            services.ranking_group_update(
                group=selectors.ranking_group_get_for_user(user=request.user, pk=pk, write=True),
                data=form.cleaned_data, request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The ranking group has been saved."))
            return redirect("org:group_list")
    return render(request, "org/form.html", {"form": form, "title": _("Edit ranking group"),
                                             "cancel": "org:group_list"})


@login_required
@require_POST
def group_delete(request, pk: int):
    group = selectors.ranking_group_get_for_user(user=request.user, pk=pk, write=True)
    try:
        services.ranking_group_delete(group=group, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The ranking group has been deleted."))
    return redirect("org:group_list")


# --- People -----------------------------------------------------------------------------------


def _with_phone_shown(people, user):
    """Only the office reads full phone numbers; everyone else sees 138****1234."""
    show = selectors.is_office(user)
    for person in people:
        person.phone_shown = person.phone if show else mask_phone(person.phone)
        yield person


@login_required
def person_list(request):
    selectors.require_business_user(request.user)
    query = request.GET.get("q", "").strip()
    people = selectors.person_list_for_user(user=request.user, query=query)
    return render(request, "org/person_list.html", {
        "people": list(_with_phone_shown(people, request.user)), "query": query,
        "can_manage": selectors.is_office(request.user)})


@login_required
def person_detail(request, pk: int):
    selectors.require_business_user(request.user)
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    person.phone_shown = next(_with_phone_shown([person], request.user)).phone_shown
    return render(request, "org/person_detail.html", {"person": person,
                                                      "can_manage": selectors.is_office(request.user)})


@login_required
def person_create(request):
    selectors.require_office(request.user)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "roles"}
        try:
            person = services.person_create(data=data, roles=form.cleaned_data["roles"], request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The person has been added. The system administrator issues the "
                                        "first password."))
            return redirect("org:person_detail", pk=person.pk)
    return render(request, "org/form.html", {"form": form, "title": _("New person"), "cancel": "org:person_list"})


@login_required
def person_update(request, pk: int):
    person = selectors.person_get_for_user(user=request.user, pk=pk, write=True)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "roles"}
        try:
            services.person_update(person=selectors.person_get_for_user(user=request.user, pk=pk, write=True),
                                   data=data, roles=form.cleaned_data["roles"], request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The person has been saved."))
            return redirect("org:person_detail", pk=pk)
    return render(request, "org/form.html", {"form": form, "title": _("Edit person"), "cancel": "org:person_list"})


@login_required
def person_export(request):
    selectors.require_office(request.user)
    people = selectors.person_list_for_user(user=request.user)
    content = imports.person_export(people=people, show_phones=selectors.is_office(request.user), request=request)
    return _xlsx_response(content, "people")


@login_required
def person_template(request):
    selectors.require_office(request.user)
    return _xlsx_response(imports.person_template(), "people-template")


@login_required
def person_import(request):
    selectors.require_office(request.user)
    return _import(request, imports.person_import, title=_("Import people"), template_url="org:person_template",
                   done_url="org:person_list")


# --- Accounts (system and security administrators) --------------------------------------------


@login_required
def account_list(request):
    """Accounts for the system and security administrators: names and roles, no business data."""
    query = request.GET.get("q", "").strip()
    accounts = selectors.account_list_for_admin(user=request.user, query=query)
    return render(request, "org/account_list.html", {
        "accounts": accounts, "query": query, "admin_roles": ADMIN_ROLES,
        "is_system_admin": request.user.has_role(Role.SYSTEM_ADMIN)})


@login_required
def account_detail(request, pk: int):
    account = selectors.account_get_for_admin(user=request.user, pk=pk)
    form = None
    if request.user.has_role(Role.SECURITY_ADMIN) and account.pk != request.user.pk:
        form = AdminRolesForm(account=account)
    return render(request, "org/account_detail.html", _account_context(request, account, form))


def _account_context(request, account, form):
    return {"account": account, "roles_form": form,
            "is_system_admin": request.user.has_role(Role.SYSTEM_ADMIN),
            "is_security_admin": request.user.has_role(Role.SECURITY_ADMIN),
            "is_self": account.pk == request.user.pk}


def _require_role(request, role: str) -> None:
    from django.core.exceptions import PermissionDenied

    if not request.user.has_role(role):
        raise PermissionDenied


@login_required
@never_cache
def account_create(request):
    _require_role(request, Role.SYSTEM_ADMIN)
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account, password = services.account_create(data=form.cleaned_data, request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return render(request, "org/account_password.html", {"account": account, "password": password})
    return render(request, "org/form.html", {"form": form, "title": _("New account"), "cancel": "org:account_list"})


@login_required
@require_POST
@never_cache
def account_reset_password(request, pk: int):
    _require_role(request, Role.SYSTEM_ADMIN)
    account = selectors.account_get_for_admin(user=request.user, pk=pk)
    try:
        password = services.account_reset_password(account=account, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("org:account_detail", pk=pk)
    return render(request, "org/account_password.html", {"account": account, "password": password})


@login_required
@require_POST
def account_set_active(request, pk: int, active: bool):
    _require_role(request, Role.SYSTEM_ADMIN)
    account = selectors.account_get_for_admin(user=request.user, pk=pk)
    try:
        if active:
            services.account_enable(account=account, request=request)
        else:
            services.account_disable(account=account, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("The account has been enabled.") if active else _(
            "The account has been disabled and signed out everywhere."))
    return redirect("org:account_detail", pk=pk)


@login_required
@require_POST
def account_unlock(request, pk: int):
    _require_role(request, Role.SECURITY_ADMIN)
    account = selectors.account_get_for_admin(user=request.user, pk=pk)
    services.account_unlock(account=account, request=request)
    messages.success(request, _("The account has been unlocked."))
    return redirect("org:account_detail", pk=pk)


@login_required
@require_POST
def account_admin_roles(request, pk: int):
    _require_role(request, Role.SECURITY_ADMIN)
    account = selectors.account_get_for_admin(user=request.user, pk=pk)
    form = AdminRolesForm(request.POST, account=account)
    if form.is_valid():
        try:
            services.account_set_admin_roles(account=account, admin_roles=form.cleaned_data["roles"],
                                             request=request)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The administrator roles have been saved."))
            return redirect("org:account_detail", pk=pk)
    return render(request, "org/account_detail.html", _account_context(request, account, form))
