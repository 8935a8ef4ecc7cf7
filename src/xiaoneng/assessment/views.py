"""Assessment screens: the office's schemes and rounds, the inspector's phone sheet, the leader's settlement."""

from __future__ import annotations

import json
import logging
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiaoneng.core.forms import form_errors_from
from xiaoneng.core.xlsx import xlsx_response
from xiaoneng.org.selectors import is_office, require_office
from xiaoneng.org.spreadsheets import SpreadsheetError

from . import selectors, services, spreadsheets
from .forms import (
    AssignUnitsForm,
    CriterionForm,
    RoundForm,
    SchemeForm,
    SchemeImportForm,
    TeamForm,
    score_entries,
)
from .models import Criterion, RoundStatus, RoundUnit, ScorePhoto, Team

logger = logging.getLogger(__name__)
MAX_CHANGE_BYTES = 16 * 1024




@login_required
@require_GET
def home(request):
    """The office's overview; an inspector's units to score and settle; a unit's locked results."""
    user = request.user
    context = {"is_office": is_office(user), "is_inspector": selectors.is_inspector(user)}
    if context["is_office"]:
        context["rounds"] = selectors.round_list_for_user(user=user).order_by("-created_at")[:20]
        context["schemes"] = selectors.scheme_list_for_user(user=user)[:10]
    if context["is_inspector"]:
        units = list(selectors.round_units_for_inspector(user=user))
        context["my_units"] = units
        context["to_settle"] = [ru for ru in units if ru.team and ru.team.leader_id == user.pk]
    context["reports"] = selectors.unit_report_list_for_user(user=user)
    return render(request, "assessment/home.html", context)


# --- schemes ---------------------------------------------------------------------------------
@login_required
@require_GET
def scheme_list(request):
    return render(request, "assessment/scheme_list.html",
                  {"schemes": selectors.scheme_list_for_user(user=request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def scheme_create(request):
    require_office(request.user)
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        scheme = services.scheme_create(actor=request.user, request=request, **form.cleaned_data)
        messages.success(request, _("The scheme has been created; add its categories and items."))
        return redirect("assessment:scheme_detail", pk=scheme.pk)
    return render(request, "assessment/form.html", {"form": form, "title": _("New assessment scheme")})


@login_required
@require_GET
def scheme_detail(request, pk: int):
    """The scheme editor: the tree of categories and items, with their points and rules."""
    scheme = selectors.scheme_get_for_user(user=request.user, pk=pk)
    return render(request, "assessment/scheme_detail.html", {
        "scheme": scheme, "tree": selectors.scheme_tree(scheme), "total": selectors.scheme_total(scheme),
        "frozen_reason": services.frozen_reason(scheme),
        "versions": scheme.__class__.objects.filter(family=scheme.family).order_by("-version"),
        "rounds": scheme.rounds.select_related("campaign"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request, pk: int):
    scheme = selectors.scheme_get_for_user(user=request.user, pk=pk)
    form = SchemeForm(request.POST or None, instance=scheme)
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_update(scheme=scheme, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("assessment:scheme_detail", pk=scheme.pk)
    return render(request, "assessment/form.html", {"form": form, "title": str(scheme), "scheme": scheme},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def scheme_new_version(request, pk: int):
    scheme = selectors.scheme_get_for_user(user=request.user, pk=pk)
    copy = services.scheme_new_version(scheme=scheme, actor=request.user, request=request)
    messages.success(request, _("Version %(version)s has been made from version %(old)s; the rounds that use "
                                "version %(old)s keep it.") % {"version": copy.version, "old": scheme.version})
    return redirect("assessment:scheme_detail", pk=copy.pk)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request, scheme_pk: int, pk: int | None = None):
    """Add or change a category or an item (refused with the reason on a frozen scheme)."""
    scheme = selectors.scheme_get_for_user(user=request.user, pk=scheme_pk)
    criterion = selectors.criterion_get_for_user(user=request.user, scheme=scheme, pk=pk) if pk else None
    initial = {}
    if criterion is None and str(request.GET.get("parent", "")).isdigit():
        initial["parent"] = scheme.criteria.filter(pk=request.GET["parent"], parent__isnull=True).first()
    form = CriterionForm(request.POST or None, instance=criterion or Criterion(scheme=scheme), scheme=scheme,
                         initial=initial)
    reason = services.frozen_reason(scheme)
    if reason and request.method == "GET":
        messages.warning(request, reason)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in CriterionForm.Meta.fields}
        try:
            services.criterion_save(scheme=scheme, criterion=criterion, actor=request.user, request=request,
                                    **fields)
        except ValidationError as exc:
            if getattr(exc, "code", None) == "frozen":
                messages.error(request, exc.messages[0])
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("assessment:scheme_detail", pk=scheme.pk)
    title = _("Change a criterion") if criterion else _("Add a category or an item")
    return render(request, "assessment/form.html", {"form": form, "title": title, "scheme": scheme},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def criterion_delete(request, scheme_pk: int, pk: int):
    scheme = selectors.scheme_get_for_user(user=request.user, pk=scheme_pk)
    criterion = selectors.criterion_get_for_user(user=request.user, scheme=scheme, pk=pk)
    try:
        services.criterion_delete(criterion=criterion, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Removed."))
    return redirect("assessment:scheme_detail", pk=scheme.pk)


@login_required
@require_GET
def scheme_export(request, pk: int):
    scheme = selectors.scheme_get_for_user(user=request.user, pk=pk)
    return xlsx_response(spreadsheets.scheme_export(scheme), f"{scheme.name}-v{scheme.version}.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def scheme_import(request):
    """Import a scoring table: every bad row is listed with its number and reason, and nothing is stored."""
    require_office(request.user)
    form = SchemeImportForm(request.POST or None, request.FILES or None)
    row_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = spreadsheets.scheme_read(form.cleaned_data["file"].read())
        except SpreadsheetError as exc:
            form.add_error("file", str(exc))
        else:
            name = form.cleaned_data["name"] or result.name or form.cleaned_data["file"].name.rsplit(".", 1)[0]
            if result.errors:
                row_errors = result.errors
                form.add_error("file", _("The table has %(count)d problem(s); nothing was imported.") % {
                    "count": len(result.errors)})
            else:
                scheme = services.scheme_import(name=name[:200], categories=result.categories, actor=request.user,
                                                request=request)
                messages.success(request, _("Imported %(items)d items in %(categories)d categories.") % {
                    "items": result.item_count, "categories": len(result.categories)})
                return redirect("assessment:scheme_detail", pk=scheme.pk)
    return render(request, "assessment/scheme_import.html", {"form": form, "row_errors": row_errors},
                  status=400 if form.errors else 200)


# --- rounds ----------------------------------------------------------------------------------
@login_required
@require_GET
def round_list(request):
    rounds = selectors.round_list_for_user(user=request.user).order_by("campaign__title", "order")
    return render(request, "assessment/round_list.html", {"rounds": rounds})


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    require_office(request.user)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = services.round_create(actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("The round has been created; add teams and units, then open it."))
            return redirect("assessment:round_detail", pk=round_.pk)
    return render(request, "assessment/form.html", {"form": form, "title": _("New assessment round")},
                  status=400 if form.errors else 200)


def _locked_banner(request, round_) -> None:
    reason = services.locked_reason(round_)
    if reason:
        messages.info(request, reason)


@login_required
@require_GET
def round_detail(request, pk: int):
    round_ = selectors.round_get_for_user(user=request.user, pk=pk)
    return render(request, "assessment/round_detail.html", {
        "round": round_, "teams": round_.teams.select_related("leader").prefetch_related("members"),
        "progress": selectors.round_progress(round_), "locked_reason": services.locked_reason(round_),
        "assign_form": AssignUnitsForm(round_=round_) if round_.teams.exists() else None,
    })


@login_required
@require_http_methods(["GET", "POST"])
def round_edit(request, pk: int):
    round_ = selectors.round_get_for_user(user=request.user, pk=pk)
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "GET":
        _locked_banner(request, round_)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(round_=round_, name=form.cleaned_data["name"], scheme=form.cleaned_data["scheme"],
                                  actor=request.user, request=request)
        except ValidationError as exc:
            form_errors_from(exc, form)
            if getattr(exc, "code", None) == "locked":
                messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Saved."))
            return redirect("assessment:round_detail", pk=round_.pk)
    return render(request, "assessment/form.html", {"form": form, "title": str(round_), "round": round_},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def round_action(request, pk: int, action: str):
    """Open, close or lock the round (each once; a locked round says why it refuses)."""
    round_ = selectors.round_get_for_user(user=request.user, pk=pk)
    if action not in ("open", "close", "lock"):
        raise Http404
    try:
        services.round_transition(round_=round_, action=action, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, {"open": _("The round is open: inspectors can score."),
                                    "close": _("The round is closed for scoring."),
                                    "lock": _("The round is locked: its results count and can no longer change.")}
                         [action])
    return redirect("assessment:round_detail", pk=round_.pk)


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request, round_pk: int, pk: int | None = None):
    round_ = selectors.round_get_for_user(user=request.user, pk=round_pk)
    team = selectors.team_get_for_user(user=request.user, round_=round_, pk=pk) if pk else None
    form = TeamForm(request.POST or None, instance=team or Team(round=round_))
    if request.method == "GET":
        _locked_banner(request, round_)
    if request.method == "POST" and form.is_valid():
        try:
            services.team_save(round_=round_, team=team, actor=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
            if getattr(exc, "code", None) == "locked":
                messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Saved."))
            return redirect("assessment:round_detail", pk=round_.pk)
    return render(request, "assessment/form.html", {"form": form, "title": _("Inspection team"), "round": round_},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def round_assign(request, pk: int):
    round_ = selectors.round_get_for_user(user=request.user, pk=pk)
    form = AssignUnitsForm(request.POST, round_=round_)
    if form.is_valid():
        try:
            count = services.round_units_assign(round_=round_, actor=request.user, request=request,
                                                **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(count)d unit(s) assigned to %(team)s.") % {
                "count": count, "team": form.cleaned_data["team"]})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("assessment:round_detail", pk=round_.pk)


@login_required
@require_POST
def round_unit_remove(request, pk: int):
    round_unit = selectors.round_unit_get_for_user(user=request.user, pk=pk)
    require_office(request.user)
    try:
        services.round_unit_remove(round_unit=round_unit, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Removed."))
    return redirect("assessment:round_detail", pk=round_unit.round_id)


# --- scoring ---------------------------------------------------------------------------------
def _sheet_context(round_unit: RoundUnit, sheet, values=None, errors=None) -> dict:
    scores = {s.criterion_id: s for s in sheet.scores.prefetch_related("photos__file")} if sheet else {}
    errors = errors or {}
    values = values or {}
    tree = []
    for category, items in selectors.scheme_tree(round_unit.round.scheme):
        rows = []
        for item in items:
            score = scores.get(item.pk)
            points, note = values.get(item.pk, (
                services.format_points(score.points) if score and score.points is not None else "",
                score.note if score else ""))
            rows.append({"item": item, "points": points, "note": note, "errors": errors.get(item.pk, {}),
                         "photos": list(score.photos.all()) if score else []})
        tree.append((category, rows))
    return {"round_unit": round_unit, "round": round_unit.round, "sheet": sheet, "tree": tree}


@login_required
@require_http_methods(["GET", "POST"])
def score_sheet(request, pk: int):
    """The inspector's sheet for a unit: a plain form (works without JS); the JS module saves as you type."""
    round_unit = selectors.round_unit_get_for_user(user=request.user, pk=pk, write=request.method == "POST")
    sheet = selectors.sheet_for_view(round_unit=round_unit, user=request.user)
    if request.method == "POST":
        sheet = services.sheet_for(round_unit=round_unit, inspector=request.user)
        item_ids = list(round_unit.round.scheme.criteria.filter(parent__isnull=False).values_list("pk", flat=True))
        entries = score_entries(request.POST, item_ids)
        try:
            errors = services.scores_save(sheet=sheet, entries=entries, actor=request.user, request=request)
            photo_errors = _save_photos(request, sheet, item_ids) if not errors else {}
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            context = _sheet_context(round_unit, sheet, values=entries)
            return render(request, "assessment/score_sheet.html", {**context, **_sheet_flags(request, round_unit,
                                                                                              sheet)}, status=400)
        if errors or photo_errors:
            for pk_, item_errors in photo_errors.items():
                errors.setdefault(pk_, {}).update(item_errors)
            messages.error(request, _("Some scores were not accepted; see the marked items. Nothing else was "
                                      "lost: the values you typed are still in the form."))
            context = _sheet_context(round_unit, sheet, values=entries, errors=errors)
            return render(request, "assessment/score_sheet.html", {**context, **_sheet_flags(request, round_unit,
                                                                                              sheet)}, status=400)
        messages.success(request, _("Saved."))
        return redirect("assessment:score_sheet", pk=round_unit.pk)
    return render(request, "assessment/score_sheet.html", {**_sheet_context(round_unit, sheet),
                                                           **_sheet_flags(request, round_unit, sheet)})


def _sheet_flags(request, round_unit, sheet) -> dict:
    inspectors = services.team_inspectors(round_unit.team)
    can_score = selectors.is_inspector(request.user) and request.user.pk in {p.pk for p in inspectors}
    refusal = services.scoring_refusal(round_unit.round)
    if not refusal and sheet and sheet.submitted_at:
        refusal = services.sheet_refusal(sheet)
    return {"can_score": can_score and not refusal, "refusal": refusal,
            "is_leader": bool(round_unit.team and round_unit.team.leader_id == request.user.pk),
            "missing": services.sheet_missing(sheet) if sheet and not sheet.submitted_at else []}


def _save_photos(request, sheet, item_ids) -> dict[int, dict[str, str]]:
    errors: dict[int, dict[str, str]] = {}
    for item_id in item_ids:
        for upload in request.FILES.getlist(f"photo_{item_id}"):
            criterion = Criterion.objects.get(pk=item_id)
            try:
                services.score_photo_add(sheet=sheet, criterion=criterion, upload=upload, actor=request.user,
                                         request=request)
            except ValidationError as exc:
                errors.setdefault(item_id, {})["photo"] = " ".join(exc.messages)
    return errors


@login_required
@require_POST
def score_change(request, pk: int):
    """One item's points and note from the phone, as JSON, applied once per idempotency key."""
    round_unit = selectors.round_unit_get_for_user(user=request.user, pk=pk, write=True)
    if len(request.body) > MAX_CHANGE_BYTES:
        return JsonResponse({"ok": False, "errors": {"points": _("The change is too large.")}}, status=413)
    try:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise TypeError
        key, criterion_id = data.get("key"), data.get("criterion")
        points_text, note = str(data.get("points") or ""), str(data.get("note") or "")
    except (ValueError, TypeError):
        return JsonResponse({"ok": False, "errors": {"points": _("The change could not be read.")}}, status=400)
    sheet = services.sheet_for(round_unit=round_unit, inspector=request.user)
    try:
        result = services.score_apply(sheet=sheet, criterion_id=criterion_id, points_text=points_text, note=note,
                                      key=key, actor=request.user, request=request)
    except ValidationError as exc:
        return JsonResponse({"ok": False, "criterion": criterion_id, "errors": {"points": exc.messages[0]}},
                            status=400)
    # A refusal is an answer (the phone must not retry it), so it is a 200 with ok=false.
    return JsonResponse(result.as_json())


@login_required
@require_POST
def sheet_submit(request, pk: int):
    round_unit = selectors.round_unit_get_for_user(user=request.user, pk=pk, write=True)
    sheet = services.sheet_for(round_unit=round_unit, inspector=request.user)
    try:
        services.sheet_submit(sheet=sheet, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, _("The sheet cannot be submitted yet:") + " " + " ".join(exc.messages))
    else:
        messages.success(request, _("Your sheet has been submitted."))
    return redirect("assessment:score_sheet", pk=round_unit.pk)


@login_required
@require_GET
def photo(request, pk: int):
    """A score's photo, shown to the office and the team that inspects the unit."""
    item = get_object_or_404(ScorePhoto.objects.select_related("file", "score__sheet__round_unit"), pk=pk)
    selectors.round_unit_get_for_user(user=request.user, pk=item.score.sheet.round_unit_id)
    try:
        handle = default_storage.open(item.file.storage_name, "rb")
    except FileNotFoundError as exc:
        logger.error("score photo %s has no bytes", item.pk)
        raise Http404 from exc
    response = FileResponse(handle, content_type=item.file.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


# --- settlement ------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def settle(request, pk: int):
    """The team leader sees the sheets side by side and settles one result per item."""
    round_unit = selectors.round_unit_get_for_user(user=request.user, pk=pk)
    is_leader = bool(round_unit.team and round_unit.team.leader_id == request.user.pk)
    sheets = list(round_unit.sheets.select_related("inspector").prefetch_related("scores"))
    settled = selectors.settled_by_criterion(round_unit)
    errors: dict = {}
    values: dict = {}
    if request.method == "POST":
        if not is_leader:
            raise PermissionDenied
        item_ids = list(round_unit.round.scheme.criteria.filter(parent__isnull=False).values_list("pk", flat=True))
        values = score_entries(request.POST, item_ids)
        try:
            errors = services.round_unit_settle(round_unit=round_unit, entries=values, actor=request.user,
                                                request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            errors = {"_page": True}
        else:
            if not errors:
                messages.success(request, _("The result has been settled."))
                return redirect("assessment:settle", pk=round_unit.pk)
            messages.error(request, _("Some items were not settled; see the marked items."))
    rows = []
    for category, items in selectors.scheme_tree(round_unit.round.scheme):
        for item in items:
            given = []
            for sheet in sheets:
                score = next((s for s in sheet.scores.all() if s.criterion_id == item.pk), None)
                given.append(score)
            current = settled.get(item.pk)
            agreed = {s.points for s in given if s is not None and s.points is not None}
            default = (services.format_points(current.points) if current else
                       services.format_points(next(iter(agreed))) if len(agreed) == 1 else "")
            points, note = values.get(item.pk, (default, current.note if current else ""))
            rows.append({"category": category, "item": item, "given": given, "points": points, "note": note,
                         "differ": len(agreed) > 1, "errors": errors.get(item.pk, {}) if errors else {}})
    refusal = services.locked_reason(round_unit.round) or (
        services.scoring_refusal(round_unit.round) if round_unit.round.status == RoundStatus.DRAFT else "")
    return render(request, "assessment/settle.html", {
        "round_unit": round_unit, "round": round_unit.round, "sheets": sheets, "rows": rows,
        "can_settle": is_leader and not refusal, "refusal": refusal,
        "total": sum((s.points for s in settled.values()), start=Decimal("0")) if settled else None,
    }, status=400 if errors else 200)


@login_required
@require_GET
def unit_report(request, pk: int):
    """A unit's settled result in a locked round (its own people see it only once the round is locked)."""
    round_unit = selectors.unit_report_get_for_user(user=request.user, pk=pk)
    settled = selectors.settled_by_criterion(round_unit)
    tree = [(category, [(item, settled.get(item.pk)) for item in items])
            for category, items in selectors.scheme_tree(round_unit.round.scheme)]
    total = sum((s.points for s in settled.values()), start=Decimal("0"))
    return render(request, "assessment/unit_report.html", {
        "round_unit": round_unit, "round": round_unit.round, "tree": tree, "total": total,
        "max_total": selectors.scheme_total(round_unit.round.scheme)})
