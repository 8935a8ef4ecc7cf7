"""Results screens: per round, final, composite (with the weight preview), bulletin, publishing, public page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.org.models import Unit, UnitKind
from xiaoneng.org.selectors import is_office, require_office

from . import selectors, services
from .bulletin import bulletin_docx
from .forms import WeightsForm
from .models import PublicationKind

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _chart_data(groups, columns, values_of) -> dict:
    """The charts' data (strings of Decimals; the chart only draws them)."""
    return {"columns": [str(c) for c in columns],
            "groups": [{"name": g.group_name, "units": [r.unit_name for r in g.rows],
                        "values": [[None if v is None else str(v) for v in values_of(r)] for r in g.rows]}
                       for g in groups]}


@login_required
def home(request):
    campaigns = selectors.campaign_list_for_user(user=request.user)
    return render(request, "assessment_results/home.html", {"campaigns": campaigns})


@login_required
def final(request, campaign_id: int):
    campaign = selectors.campaign_get_for_user(user=request.user, pk=campaign_id)
    results = selectors.final_results_for_user(user=request.user, campaign=campaign)
    columns = [*[r.name for r in results.counted_rounds], _("Final result")]
    chart = _chart_data(results.groups, columns, lambda row: [*row.round_totals, row.final])
    return render(request, "assessment_results/final.html", {
        "campaign": campaign, "results": results, "chart": chart, "is_office": is_office(request.user),
        "sees_all": selectors.sees_all_results(request.user),
        "publications": selectors.publication_list_for_campaign(campaign=campaign)})


@login_required
def round_detail(request, campaign_id: int, round_id: int):
    campaign = selectors.campaign_get_for_user(user=request.user, pk=campaign_id)
    round_obj = selectors.round_get_for_campaign(campaign=campaign, pk=round_id)
    results = selectors.round_results_for_user(user=request.user, campaign=campaign, round_obj=round_obj)
    chart = _chart_data(results.groups, [round_obj.name], lambda row: [row.value])
    return render(request, "assessment_results/round.html", {
        "campaign": campaign, "results": results, "chart": chart,
        "rounds_all": selectors.rounds_for_campaign(campaign=campaign)})


def _composite_page(request, campaign, *, form=None, status=200):
    results = selectors.composite_results_for_user(user=request.user, campaign=campaign)
    office = is_office(request.user)
    if office and form is None:
        form = WeightsForm(initial={k: f"{v.normalize():f}" for k, v in results.weights.items()})
    columns = [s.label for s in results.sources] + [_("Composite score")]
    chart = _chart_data(results.groups, [_("Composite score")], lambda row: [row.score])
    return render(request, "assessment_results/composite.html", {
        "campaign": campaign, "results": results, "form": form if office else None, "columns": columns,
        "chart": chart, "applied": selectors.current_weights(campaign=campaign), "is_office": office,
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
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    kind = request.GET.get("kind", PublicationKind.FINAL)
    if kind not in PublicationKind.values:
        kind = PublicationKind.FINAL
    snapshot = services.snapshot_for(campaign=campaign, kind=kind)
    content = bulletin_docx(campaign=campaign, snapshot=snapshot, issuer=_issuer())
    from xiaoneng.core.audit.services import audit_record

    audit_record("results.bulletin_exported", request=request, obj=campaign, detail={"kind": kind})
    response = HttpResponse(content, content_type=DOCX)
    from django.utils.http import content_disposition_header

    name = _("Results bulletin")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}-{campaign.pk}-{kind}.docx")
    return response


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
