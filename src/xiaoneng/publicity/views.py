"""Publicity screens: items and adoptions for units, verification, rules and rankings for the office."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core.files.selectors import stored_file_list_for_user
from xiaoneng.core.forms import form_errors_from
from xiaoneng.core.scoping import get_for_user
from xiaoneng.org.models import Role
from xiaoneng.org.selectors import is_office, require_business_user, require_office

from . import scoring, selectors, services
from .forms import (
    AdoptionForm,
    CommissionForm,
    InstructionForm,
    NewsItemForm,
    OutletForm,
    ReasonForm,
    RulesForm,
    SettingsForm,
    SharesForm,
    TierFormSet,
    VetoForm,
)
from .models import (
    LEVEL_ORDER,
    AdoptionStatus,
    Commission,
    NewsItemStatus,
    Outlet,
    OutletLevel,
    ScoringRuleSet,
    Veto,
)


def _month_param(request, campaign) -> tuple[int, int]:
    raw = request.GET.get("month", "")
    try:
        year, month = (int(p) for p in raw.split("-"))
        dt.date(year, month, 1)
        return year, month
    except (ValueError, TypeError):
        today = timezone.localdate()
        day = min(max(today, campaign.start_date), campaign.end_date)
        return day.year, day.month


# ---- landing --------------------------------------------------------------------------------

@login_required
def home(request):
    require_business_user(request.user)
    campaigns = selectors.publicity_campaigns(user=request.user)
    others = []
    if is_office(request.user):
        from xiaoneng.campaigns.models import Campaign

        others = Campaign.objects.filter(is_template=False).exclude(pk__in=campaigns.values("pk"))
    if campaigns.count() == 1 and not others:
        return redirect("publicity:campaign", pk=campaigns.first().pk)
    return render(request, "publicity/home.html", {"campaigns": campaigns, "others": others,
                                                   "is_office": is_office(request.user)})


@login_required
@require_POST
def enable(request, pk: int):
    require_office(request.user)
    from xiaoneng.campaigns.selectors import campaign_get_for_user

    campaign = campaign_get_for_user(user=request.user, pk=pk)
    services.publicity_enable(user=request.user, campaign=campaign, request=request)
    messages.success(request, _("Publicity scoring is on for this campaign, with the built-in rules."))
    return redirect("publicity:campaign", pk=campaign.pk)


@login_required
def campaign(request, pk: int):
    campaign = selectors.publicity_campaign_get(user=request.user, pk=pk)
    status = request.GET.get("status", "")
    if status not in NewsItemStatus.values:
        status = ""
    items = selectors.news_item_list_for_user(user=request.user, campaign=campaign, status=status,
                                              query=request.GET.get("q", "")[:100])
    office = is_office(request.user)
    claims = selectors.claims_to_verify(user=request.user, campaign=campaign).count() if office else 0
    year, month = _month_param(request, campaign)
    own_row = None
    if request.user.unit_id and not request.user.sees_all_units:
        ranking = selectors.month_ranking(campaign=campaign, year=year, month=month)
        own_row = ranking.row_for(request.user.unit_id)
    items = list(items[:200])
    points = selectors.item_points(item_ids=[i.pk for i in items])
    return render(request, "publicity/campaign.html", {
        "campaign": campaign, "items": [(i, points.get(i.pk)) for i in items], "status": status,
        "statuses": NewsItemStatus.choices, "is_office": office, "claims": claims, "own_row": own_row,
        "year": year, "month": month, "can_submit": request.user.has_role(Role.LIAISON, Role.UNIT_LEADER)
        and bool(request.user.unit_id),
        "commissions": Commission.objects.for_user(request.user).filter(campaign=campaign, answer__isnull=True)
        .select_related("unit")[:50],
    })


# ---- news items ---------------------------------------------------------------------------------

@login_required
def item_create(request, pk: int):
    campaign = selectors.publicity_campaign_get(user=request.user, pk=pk)
    if not request.user.unit_id or not request.user.has_role(Role.LIAISON, Role.UNIT_LEADER):
        raise PermissionDenied
    form = NewsItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.news_item_submit(
                user=request.user, campaign=campaign, title=d["title"], body_html=d["body_html"], author=d["author"],
                images=[f for f in d["images"] if f], attachments=[f for f in d["attachments"] if f],
                idempotency_key=d.get("idempotency_key") or None, request=request)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("The item has been sent.") if item.status == NewsItemStatus.SUBMITTED
                             else _("The item is waiting for your unit leader's approval."))
            return redirect("publicity:item", pk=item.pk)
    return render(request, "publicity/item_form.html", {"form": form, "campaign": campaign,
                                                        "title": _("Send a news item")})


@login_required
def item_detail(request, pk: int):
    item = selectors.news_item_get_for_user(user=request.user, pk=pk)
    user = request.user
    office = is_office(user)
    own = user.unit_id == item.unit_id and user.has_role(Role.LIAISON, Role.UNIT_LEADER)
    adoptions = list(item.adoptions.select_related("outlet", "evidence_file").order_by("adopted_on", "pk"))
    files = stored_file_list_for_user(user=user, linked_to=item)
    similar = item.similar_item if office and item.similar_item_id else None
    return render(request, "publicity/item_detail.html", {
        "item": item, "adoptions": adoptions, "files": files, "is_office": office, "own": own,
        "similar": similar, "similarity_pct": int(item.similarity * 100) if item.similarity else None,
        "adoption_form": AdoptionForm(initial={"adopted_on": timezone.localdate()}) if (office or own)
        and item.status == NewsItemStatus.SUBMITTED else None,
        "instruction_form": InstructionForm() if office and item.status == NewsItemStatus.SUBMITTED else None,
        "shares_form": SharesForm(initial={"shares": "\n".join(f"{s.unit.name} {s.share.normalize()}"
                                                                for s in item.shares.select_related("unit"))})
        if office else None,
        "shares": item.shares.select_related("unit"),
        "instructions": item.instructions.all(),
        "is_leader": own and user.has_role(Role.UNIT_LEADER),
        "total": sum((a.points for a in adoptions if a.status == AdoptionStatus.VERIFIED), scoring.ZERO),
    })


@login_required
@require_POST
def item_action(request, pk: int, action: str):
    item = selectors.news_item_get_for_user(user=request.user, pk=pk)
    try:
        if action == "approve":
            services.news_item_approve(user=request.user, item=item, request=request)
            messages.success(request, _("The item has been sent to the office."))
        elif action == "return":
            services.news_item_return(user=request.user, item=item, reason=request.POST.get("reason", ""),
                                      request=request)
            messages.success(request, _("The item has been returned to the liaison."))
        elif action == "withdraw":
            services.news_item_withdraw(user=request.user, item=item, request=request)
            messages.success(request, _("The item has been withdrawn."))
        elif action == "shares":
            form = SharesForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["shares"])
            services.news_item_set_shares(user=request.user, item=item, shares=form.cleaned_data["shares"],
                                          request=request)
            messages.success(request, _("The shares have been saved and the points recomputed."))
        elif action == "instruction":
            form = InstructionForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            d = form.cleaned_data
            services.instruction_record(user=request.user, item=item, level=d["level"], leader=d["leader"],
                                        instructed_on=d["instructed_on"], request=request)
            messages.success(request, _("The leader's instruction has been recorded."))
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("publicity:item", pk=item.pk)


@login_required
def adoption_add(request, pk: int):
    """The office records an adoption; the item's unit claims one (both with evidence)."""
    item = selectors.news_item_get_for_user(user=request.user, pk=pk)
    office = is_office(request.user)
    form = AdoptionForm(request.POST or None, request.FILES or None,
                        initial={"adopted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = services.AdoptionInput(
            outlet=d["outlet"], adopted_on=d["adopted_on"], position=d["position"], page_or_url=d["page_or_url"],
            is_headline=d["is_headline"], is_feature_page=d["is_feature_page"], has_photo=d["has_photo"],
            evidence_upload=d.get("evidence_file"), evidence_link=d.get("evidence_link") or "")
        try:
            if office:
                adoption = services.adoption_record(user=request.user, item=item, data=data, request=request)
                messages.success(request, _("The adoption has been recorded: %(points)s points.") % {
                    "points": adoption.points})
            else:
                services.adoption_claim(user=request.user, item=item, data=data, request=request)
                messages.success(request, _("Your claim has been sent; it scores once the office verifies it."))
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            return redirect("publicity:item", pk=item.pk)
    return render(request, "publicity/adoption_form.html", {"form": form, "item": item, "is_office": office})


@login_required
@require_POST
def adoption_action(request, pk: int, action: str):
    require_office(request.user)
    adoption = selectors.adoption_get_for_user(user=request.user, pk=pk)
    try:
        if action == "verify":
            services.adoption_verify(user=request.user, adoption=adoption, request=request)
            messages.success(request, _("The adoption has been verified: %(points)s points.") % {
                "points": adoption.points})
        elif action == "reject":
            services.adoption_reject(user=request.user, adoption=adoption, reason=request.POST.get("reason", ""),
                                     request=request)
            messages.success(request, _("The adoption has been rejected."))
        else:
            raise Http404
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    if request.POST.get("next") == "claims":
        return redirect("publicity:claims", pk=adoption.news_item.campaign_id)
    return redirect("publicity:item", pk=adoption.news_item_id)


@login_required
def claims(request, pk: int):
    campaign = selectors.publicity_campaign_get(user=request.user, pk=pk)
    rows = selectors.claims_to_verify(user=request.user, campaign=campaign)
    return render(request, "publicity/claims.html", {"campaign": campaign, "claims": rows,
                                                     "reason_form": ReasonForm()})


# ---- ranking ------------------------------------------------------------------------------------

def _chart_options(ranking, trend) -> tuple[list, dict]:
    charts = []
    for index, group in enumerate(ranking.groups):
        rows = group.rows[:20]
        charts.append({"id": f"chart-group-{index}", "title": group.group_name, "option": {
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 8, "right": 48, "top": 24, "bottom": 8, "containLabel": True},
            "xAxis": {"type": "value"},
            "yAxis": {"type": "category", "inverse": True, "data": [r.unit_name for r in rows]},
            "series": [{"type": "bar", "name": _("Points"), "data": [str(r.points) for r in rows],
                        "label": {"show": True, "position": "right"}}],
        }})
    trend_option = {
        "tooltip": {"trigger": "axis"}, "legend": {"type": "scroll", "top": 0},
        "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": trend["months"]}, "yAxis": {"type": "value"},
        "series": [{"type": "line", "name": s["name"], "data": s["data"]} for s in trend["series"]],
    }
    return charts, trend_option


@login_required
def ranking(request, pk: int):
    campaign = selectors.publicity_campaign_get(user=request.user, pk=pk)
    year, month = _month_param(request, campaign)
    result = selectors.month_ranking(campaign=campaign, year=year, month=month)
    sees_all = selectors.can_see_ranking(request.user)
    if not sees_all:
        # A unit sees its own row only (and its group's size), never another unit's figures.
        own = result.row_for(request.user.unit_id) if request.user.unit_id else None
        if own is not None:
            own.breakdown = selectors.labelled_breakdown(own.breakdown)
        group_size = next((len(g.rows) for g in result.groups if own in g.rows), 0)
        trend = selectors.ranking_trend(result, [request.user.unit_id] if own else [])
        _charts, trend_option = _chart_options(result.__class__(campaign, year, month, [], []), trend)
        return render(request, "publicity/ranking_unit.html", {
            "campaign": campaign, "ranking": result, "row": own, "group_size": group_size, "year": year,
            "month": month, "trend_option": trend_option, "current_month": f"{year}-{month:02d}",
            "own_levels": [(label, own.by_level.get(code, 0)) for code, label in _levels()] if own else [],
            "months": _month_choices(campaign)})
    top = [row.unit_id for group in result.groups for row in group.rows[:3]]
    trend = selectors.ranking_trend(result, top)
    charts, trend_option = _chart_options(result, trend)
    return render(request, "publicity/ranking.html", {
        "campaign": campaign, "ranking": result, "year": year, "month": month, "charts": charts,
        "trend_option": trend_option, "levels": _levels(), "months": _month_choices(campaign),
        "current_month": f"{year}-{month:02d}",
        "is_office": is_office(request.user)})


def _levels() -> list[tuple[str, str]]:
    return [(level, OutletLevel(level).label) for level in LEVEL_ORDER]


def _month_choices(campaign) -> list[str]:
    return [f"{k // 100}-{k % 100:02d}" for k in selectors.campaign_month_keys(campaign)]


# ---- rules ---------------------------------------------------------------------------------------

@login_required
def rules(request, pk: int):
    campaign = selectors.publicity_campaign_get(user=request.user, pk=pk)
    require_office(request.user)
    return render(request, "publicity/rules.html", {
        "campaign": campaign, "rule_sets": selectors.rule_sets_for_campaign(campaign=campaign)})


def _token(rules_dict: dict, effective_from, edit_pk) -> str:
    payload = json.dumps([rules_dict, str(effective_from), edit_pk], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


@login_required
def rules_edit(request, pk: int):
    """Edit the rules as a new version (or correct ``?version=``): preview the changes, then apply."""
    campaign = selectors.publicity_campaign_get(user=request.user, pk=pk)
    require_office(request.user)
    edit = None
    if request.GET.get("version"):
        edit = ScoringRuleSet.objects.filter(campaign=campaign, version=request.GET["version"]).first()
        if edit is None:
            raise Http404
    source = edit or selectors.rule_sets_for_campaign(campaign=campaign).first()
    base_rules = scoring.Rules.from_dict(source.rules) if source else scoring.Rules.from_dict(scoring.DEFAULT_RULES)
    preview = None
    if request.method == "POST":
        form = RulesForm(request.POST)
        tiers = TierFormSet(request.POST, prefix="tier")
        if form.is_valid() and tiers.is_valid():
            tier_rows = [{"level": t["level"], "kind": t.get("kind") or "*", "position": t.get("position") or "*",
                          "points": str(t["points"])} for t in tiers.cleaned_data if t.get("level")]
            data = form.to_rules_dict(tier_rows)
            try:
                candidate = services.rules_validate(data)
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                token = _token(data, form.cleaned_data["effective_from"], edit.pk if edit else None)
                if request.POST.get("action") == "apply" and request.POST.get("preview_token") == token:
                    rule_set = services.rule_set_apply(
                        user=request.user, campaign=campaign, rules=candidate, name=form.cleaned_data["name"],
                        effective_from=form.cleaned_data["effective_from"], note=form.cleaned_data["note"],
                        edit=edit, request=request)
                    messages.success(request, _("Version %(v)s has been applied and the scores recomputed.") % {
                        "v": rule_set.version})
                    return redirect("publicity:rules", pk=campaign.pk)
                preview = services.rule_change_preview(user=request.user, campaign=campaign, rules=candidate,
                                                       effective_from=form.cleaned_data["effective_from"], edit=edit)
                form.data = form.data.copy()
                form.data["preview_token"] = token
    else:
        initial = RulesForm.initial_from(
            base_rules, name=edit.name if edit else (source.name if source else _("Scoring rules")),
            effective_from=edit.effective_from if edit else timezone.localdate(), note=edit.note if edit else "")
        form = RulesForm(initial=initial)
        tiers = TierFormSet(prefix="tier", initial=[
            {"level": t.level, "kind": t.kind, "position": t.position, "points": t.points} for t in base_rules.tiers])
    return render(request, "publicity/rules_edit.html", {
        "campaign": campaign, "form": form, "tiers": tiers, "edit": edit, "preview": preview,
        "next_version": services._next_version(campaign)})


# ---- outlets, settings, commissions, vetoes -------------------------------------------------------

@login_required
def outlets(request):
    require_office(request.user)
    edit = None
    if request.GET.get("edit"):
        edit = Outlet.objects.filter(pk=request.GET["edit"]).first() if request.GET["edit"].isdigit() else None
        if edit is None:
            raise Http404
    form = OutletForm(request.POST or None, instance=edit)
    if request.method == "POST" and form.is_valid():
        try:
            services.outlet_save(user=request.user, outlet=form.instance, request=request)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("The outlet has been saved."))
            return redirect("publicity:outlets")
    return render(request, "publicity/outlets.html", {"form": form, "outlets": Outlet.objects.all(), "edit": edit})


@login_required
def settings_view(request, pk: int):
    campaign = selectors.publicity_campaign_get(user=request.user, pk=pk)
    require_office(request.user)
    current = services.settings_for(campaign)
    form = SettingsForm(request.POST or None, initial={"requires_leader_approval": current.requires_leader_approval,
                                                      "duplicate_threshold": current.duplicate_threshold})
    if request.method == "POST" and form.is_valid():
        services.settings_save(user=request.user, campaign=campaign, request=request, **form.cleaned_data)
        messages.success(request, _("The settings have been saved."))
        return redirect("publicity:campaign", pk=campaign.pk)
    return render(request, "publicity/form.html", {"form": form, "campaign": campaign, "title": _("Settings")})


@login_required
def commissions(request, pk: int):
    campaign = selectors.publicity_campaign_get(user=request.user, pk=pk)
    office = is_office(request.user)
    form = CommissionForm(request.POST or None, units=selectors.reporting_unit_queryset()) if office else None
    if office and request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.commission_create(user=request.user, campaign=campaign, units=d["units"], kind=d["kind"],
                                       title=d["title"], due_on=d["due_on"], request=request)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("The request has been sent to the units."))
            return redirect("publicity:commissions", pk=campaign.pk)
    rows = Commission.objects.for_user(request.user).filter(campaign=campaign).select_related("unit", "answer")
    own_items = []
    if not office and request.user.unit_id:
        own_items = selectors.news_item_list_for_user(user=request.user, campaign=campaign,
                                                      status=NewsItemStatus.SUBMITTED)[:100]
    return render(request, "publicity/commissions.html", {"campaign": campaign, "form": form, "rows": rows,
                                                          "own_items": own_items, "is_office": office})


@login_required
@require_POST
def commission_answer(request, pk: int):
    commission = get_for_user(Commission, user=request.user, pk=pk, write=True)
    item_id = request.POST.get("item", "")
    try:
        item = selectors.news_item_get_for_user(user=request.user, pk=item_id)
        services.commission_answer(user=request.user, commission=commission, item=item, request=request)
        messages.success(request, _("The request has been answered."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("publicity:commissions", pk=commission.campaign_id)


@login_required
def vetoes(request, pk: int):
    campaign = selectors.publicity_campaign_get(user=request.user, pk=pk)
    require_office(request.user)
    form = VetoForm(request.POST or None, units=selectors.reporting_unit_queryset())
    if request.method == "POST" and form.is_valid():
        year, month = form.cleaned_data["month"]
        try:
            services.veto_set(user=request.user, campaign=campaign, unit=form.cleaned_data["unit"], year=year,
                              month=month, reason=form.cleaned_data["reason"], request=request)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("The veto has been recorded; the unit's month scores zero."))
            return redirect("publicity:vetoes", pk=campaign.pk)
    rows = Veto.objects.filter(campaign=campaign).select_related("unit").order_by("-month_key", "unit__order")
    return render(request, "publicity/vetoes.html", {"campaign": campaign, "form": form, "rows": rows})


@login_required
@require_POST
def veto_remove(request, pk: int):
    require_office(request.user)
    veto = get_for_user(Veto, user=request.user, pk=pk)
    campaign_id = veto.campaign_id
    services.veto_remove(user=request.user, veto=veto, request=request)
    messages.success(request, _("The veto has been removed."))
    return redirect("publicity:vetoes", pk=campaign_id)
