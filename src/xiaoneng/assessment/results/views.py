"""Results screens: per round, final, composite (with the weight preview), bulletin, publishing, public page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core.audit.services import audit_record
from xiaoneng.core.officialdoc import docx_response
from xiaoneng.org.models import Unit, UnitKind
from xiaoneng.org.selectors import is_office, require_office

from . import selectors, services
from .bulletin import bulletin_docx
from .forms import WeightsForm
from .models import PublicationKind


def _charts(groups, columns, values_of) -> list[dict]:
    """One horizontal bar chart per ranking group, as full ECharts options for core/charts.js.

    The first row is drawn on top (ECharts' category axis runs bottom-up); a value of None (absent
    from a round) is a gap, not a zero. Tall groups get the tall chart class (no inline style: CSP).
    """
    columns = [str(c) for c in columns]
    charts = []
    for index, group in enumerate(groups, start=1):
        rows = list(reversed(group.rows))
        values = [values_of(r) for r in rows]
        series = [{"name": name, "type": "bar", "barMaxWidth": 18,
                   "label": {"show": i == len(columns) - 1, "position": "right", "fontSize": 11},
                   "data": [None if v[i] is None else float(v[i]) for v in values]}
                  for i, name in enumerate(columns)]
        option = {
            "title": {"text": group.group_name, "left": 0, "textStyle": {"fontSize": 13}},
            "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
            "legend": {"top": 22, "type": "scroll"},
            "grid": {"left": 8, "right": 48, "top": 52, "bottom": 8, "containLabel": True},
            "xAxis": {"type": "value"},
            "yAxis": {"type": "category", "data": [r.unit_name for r in rows],
                      "axisLabel": {"width": 110, "overflow": "truncate"}},
            "series": series}
        tall = 80 + len(rows) * (18 + 10 * len(columns)) > 360
        charts.append({"id": f"results-chart-{index}", "css": "xn-chart xn-chart-tall" if tall else "xn-chart",
                       "option": option})
    return charts


@login_required
def home(request):
    campaigns = selectors.campaign_list_for_user(user=request.user)
    return render(request, "assessment_results/home.html", {"campaigns": campaigns})


@login_required
def final(request, campaign_id: int):
    campaign = selectors.campaign_get_for_user(user=request.user, pk=campaign_id)
    results = selectors.final_results_for_user(user=request.user, campaign=campaign)
    columns = [*[r.name for r in results.counted_rounds], _("Final result")]
    charts = _charts(results.groups, columns, lambda row: [*row.round_totals, row.final])
    return render(request, "assessment_results/final.html", {
        "campaign": campaign, "results": results, "charts": charts, "is_office": is_office(request.user),
        "sees_all": selectors.sees_all_results(request.user),
        "publications": selectors.publication_list_for_campaign(campaign=campaign)})


@login_required
def round_detail(request, campaign_id: int, round_id: int):
    campaign = selectors.campaign_get_for_user(user=request.user, pk=campaign_id)
    round_obj = selectors.round_get_for_campaign(campaign=campaign, pk=round_id)
    results = selectors.round_results_for_user(user=request.user, campaign=campaign, round_obj=round_obj)
    charts = _charts(results.groups, [round_obj.name], lambda row: [row.value])
    return render(request, "assessment_results/round.html", {
        "campaign": campaign, "results": results, "charts": charts,
        "rounds_all": selectors.rounds_for_campaign(campaign=campaign)})


def _composite_page(request, campaign, *, form=None, status=200):
    results = selectors.composite_results_for_user(user=request.user, campaign=campaign)
    office = is_office(request.user)
    if office and form is None:
        form = WeightsForm(initial={k: f"{v.normalize():f}" for k, v in results.weights.items()})
    columns = [s.label for s in results.sources] + [_("Composite score")]
    charts = _charts(results.groups, [_("Composite score")], lambda row: [row.score])
    return render(request, "assessment_results/composite.html", {
        "campaign": campaign, "results": results, "form": form if office else None, "columns": columns,
        "charts": charts, "applied": selectors.current_weights(campaign=campaign), "is_office": office,
        "sees_all": selectors.sees_all_results(request.user),
        "rounds": selectors.rounds_for_campaign(campaign=campaign)}, status=status)


@login_required
def composite(request, campaign_id: int):
    campaign = selectors.campaign_get_for_user(user=request.user, pk=campaign_id)
    return _composite_page(request, campaign)


@login_required
@require_POST
def weights(request, campaign_id: int):
    """Preview new weights (old rank → new rank), or apply them after the preview."""
    require_office(request.user)
    campaign = selectors.campaign_get_for_user(user=request.user, pk=campaign_id)
    form = WeightsForm(request.POST)
    if not form.is_valid():
        return _composite_page(request, campaign, form=form, status=400)
    new_weights = form.weights()
    if request.POST.get("apply") == "1":
        try:
            services.weights_apply(campaign=campaign, weights=new_weights, actor=request.user, request=request)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
            return _composite_page(request, campaign, form=form, status=400)
        messages.success(request, _("The new weights apply; the ranking below uses them."))
        return redirect("assessment_results:composite", campaign_id=campaign.pk)
    rows = selectors.weights_preview(user=request.user, campaign=campaign, new_weights=new_weights)
    return render(request, "assessment_results/preview.html", {
        "campaign": campaign, "rows": rows, "form": form, "new_weights": new_weights,
        "old_weights": selectors.weights_dict(selectors.current_weights(campaign=campaign)),
        "labels": selectors.SOURCE_LABELS, "changed": sum(1 for r in rows if r.old_rank != r.new_rank)})


def _issuer() -> str:
    office = Unit.objects.filter(kind=UnitKind.OFFICE).order_by("order", "pk").first()
    bureau = Unit.objects.filter(kind=UnitKind.BUREAU).order_by("order", "pk").first()
    return (office or bureau).name if (office or bureau) else _("The campaign office")


@login_required
def bulletin(request, campaign_id: int):
    """The bulletin .docx of the current results (office and bureau leaders)."""
    campaign = selectors.campaign_get_for_user(user=request.user, pk=campaign_id)
    if not selectors.sees_all_results(request.user):
        raise PermissionDenied
    kind = request.GET.get("kind", PublicationKind.FINAL)
    if kind not in PublicationKind.values:
        kind = PublicationKind.FINAL
    snapshot = services.snapshot_for(campaign=campaign, kind=kind)
    content = bulletin_docx(campaign=campaign, snapshot=snapshot, issuer=_issuer())
    audit_record("results.bulletin_exported", request=request, obj=campaign, detail={"kind": kind})
    return docx_response(content, f"{_('Results bulletin')}-{campaign.pk}-{kind}.docx")


@login_required
@require_POST
def publish(request, campaign_id: int):
    require_office(request.user)
    campaign = selectors.campaign_get_for_user(user=request.user, pk=campaign_id)
    kind = request.POST.get("kind", PublicationKind.FINAL)
    try:
        publication = services.publication_publish(campaign=campaign, kind=kind, actor=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Published as revision %(revision)s.") % {"revision": publication.revision})
    target = "assessment_results:composite" if kind == PublicationKind.COMPOSITE else "assessment_results:final"
    return redirect(target, campaign_id=campaign.pk)


@login_not_required
def public_results(request):
    """Published results for everyone, without signing in: unit names, ranks and figures only."""
    publications = selectors.publication_list_public()
    return render(request, "assessment_results/public.html", {"publications": publications})
