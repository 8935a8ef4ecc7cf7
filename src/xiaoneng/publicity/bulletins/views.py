"""Bulletin screens: the office publishes months and revisions, units send 附表2, the public reads rankings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiaoneng.campaigns.selectors import campaign_get_for_user, campaign_list_for_user
from xiaoneng.core.files.views import ATTACHMENT_CSP
from xiaoneng.core.forms import form_errors_from
from xiaoneng.core.officialdoc import docx_response
from xiaoneng.core.xlsx import xlsx_response
from xiaoneng.org.models import Role
from xiaoneng.org.selectors import is_office, require_business_user, require_office, unit_get_for_user

from . import documents, selectors, services
from .forms import PublishForm, RevisionForm, SendReportForm
from .snapshot import totals

DEFAULT_RECIPIENTS = "各县区卫生健康局，市直各医疗卫生单位："


def _check_month(year: int, month: int) -> None:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404


def _month_rows(campaign, today):
    published = selectors.publications_by_month(campaign=campaign)
    return [{"year": y, "month": m, "publication": published.get((y, m))}
            for y, m in selectors.campaign_months(campaign=campaign, today=today)]


@login_required
@require_GET
def home(request):
    """Office: every campaign's months with their publication. Unit: its months' 附表2."""
    require_business_user(request.user)
    today = timezone.localdate()
    campaigns = [{"campaign": c, "months": _month_rows(c, today)}
                 for c in campaign_list_for_user(user=request.user)[:20]]
    return render(request, "bulletins/home.html", {
        "campaigns": campaigns, "is_office": is_office(request.user), "unit": request.user.unit,
        "is_unit_member": bool(request.user.unit_id and request.user.has_role(Role.LIAISON, Role.UNIT_LEADER)),
    })


def _month_context(request, campaign, year, month, **forms):
    publication = selectors.publication_for_month(campaign=campaign, year=year, month=month)
    ranking = selectors.month_ranking(campaign=campaign, year=year, month=month)
    revisions = selectors.revisions_of(publication) if publication else []
    today = timezone.localdate()
    month_over = (year, month) < (today.year, today.month)
    if publication is None and "publish_form" not in forms:
        user_unit = request.user.unit
        forms["publish_form"] = PublishForm(initial={
            "title": documents.default_title(year, month), "issuer": user_unit.name if user_unit else "",
            "recipients": DEFAULT_RECIPIENTS, "issued_on": today})
    if publication is not None and "revision_form" not in forms:
        forms["revision_form"] = RevisionForm(initial={"issued_on": today})
    return {"campaign": campaign, "year": year, "month": month, "ranking": ranking, "publication": publication,
            "revisions": revisions, "latest": revisions[0] if revisions else None, "month_over": month_over,
            **forms}


@login_required
@require_GET
def month(request, campaign_id: int, year: int, month: int):
    """The office's page of a month: the live ranking, publish or revise, every revision."""
    require_office(request.user)
    _check_month(year, month)
    campaign = campaign_get_for_user(user=request.user, pk=campaign_id)
    return render(request, "bulletins/month.html", _month_context(request, campaign, year, month))


@login_required
@require_POST
def publish(request, campaign_id: int, year: int, month: int):
    require_office(request.user)
    _check_month(year, month)
    campaign = campaign_get_for_user(user=request.user, pk=campaign_id)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            publication, created = services.publication_publish(user=request.user, campaign=campaign, year=year,
                                                                 month=month, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            if created:
                messages.success(request, _("The ranking of %(year)s-%(month)s is published.") % {
                    "year": year, "month": month})
            else:
                messages.info(request, _("This month was already published; nothing was changed. Issue a revision "
                                         "to correct it."))
            return redirect("publicity_bulletins:month", campaign_id=campaign.pk, year=year, month=month)
    return render(request, "bulletins/month.html", _month_context(request, campaign, year, month, publish_form=form),
                  status=400)


@login_required
@require_POST
def revise(request, campaign_id: int, year: int, month: int):
    require_office(request.user)
    _check_month(year, month)
    campaign = campaign_get_for_user(user=request.user, pk=campaign_id)
    publication = selectors.publication_for_month(campaign=campaign, year=year, month=month)
    if publication is None:
        raise Http404
    form = RevisionForm(request.POST)
    if form.is_valid():
        try:
            revision = services.revision_issue(
                user=request.user, publication=publication, note=form.cleaned_data["note"],
                issued_on=form.cleaned_data["issued_on"], request=request,
                idempotency_key=form.cleaned_data.get("idempotency_key") or None)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Revision %(number)s is published.") % {"number": revision.number})
            return redirect("publicity_bulletins:month", campaign_id=campaign.pk, year=year, month=month)
    return render(request, "bulletins/month.html", _month_context(request, campaign, year, month, revision_form=form),
                  status=400)


def _unit_report_objects(request, campaign_id, unit_id, year, month):
    require_business_user(request.user)
    _check_month(year, month)
    unit = unit_get_for_user(user=request.user, pk=unit_id)
    campaign = campaign_get_for_user(user=request.user, pk=campaign_id)
    return campaign, unit


@login_required
@require_http_methods(["GET", "POST"])
def unit_report(request, campaign_id: int, unit_id: int, year: int, month: int):
    """附表2 of a unit for a month: the adoptions with their evidence, download, and send in one step."""
    campaign, unit = _unit_report_objects(request, campaign_id, unit_id, year, month)
    can_send = request.user.unit_id == unit.pk and request.user.has_role(Role.LIAISON, Role.UNIT_LEADER)
    form = SendReportForm(request.POST or None)
    if request.method == "POST":
        if not can_send:
            raise PermissionDenied
        if form.is_valid():
            try:
                submission = services.unit_report_submit(
                    user=request.user, campaign=campaign, unit=unit, year=year, month=month, request=request,
                    idempotency_key=form.cleaned_data.get("idempotency_key") or None)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Form 2 has been sent as the monthly report."))
                return redirect("campaigns:due_item", pk=submission.due_item_id)
    report = selectors.unit_report(campaign=campaign, unit=unit, year=year, month=month,
                                   base_url=request.build_absolute_uri("/").rstrip("/"))
    due_item = selectors.monthly_due_item(campaign=campaign, unit=unit, year=year, month=month)
    return render(request, "bulletins/unit_report.html", {
        "campaign": campaign, "unit": unit, "year": year, "month": month, "report": report, "due_item": due_item,
        "form": form, "can_send": can_send, "title": documents.form2_title(unit.name, year, month),
    }, status=400 if form.errors else 200)


@login_required
@require_GET
def unit_report_xlsx(request, campaign_id: int, unit_id: int, year: int, month: int):
    campaign, unit = _unit_report_objects(request, campaign_id, unit_id, year, month)
    report = selectors.unit_report(campaign=campaign, unit=unit, year=year, month=month,
                                   base_url=request.build_absolute_uri("/").rstrip("/"))
    content = documents.unit_report_xlsx(unit_name=unit.name, campaign_title=campaign.title, year=year, month=month,
                                         rows=report.rows, items_sent=report.items_sent)
    return xlsx_response(content, documents.form2_filename(unit.name, year, month))


# --- public (no sign-in): published rankings and their bulletins -------------------------------


def _public_context(publication):
    latest = publication.latest
    return {"publication": publication, "revision": latest, "snapshot": latest.snapshot,
            "totals": totals(latest.snapshot), "tie_break": documents.tie_break_sentence(latest.snapshot)}


@login_not_required
@require_GET
def public_ranking(request):
    """Every published month; the latest shown in full. Only unit names and figures, no personal data."""
    publications = selectors.publication_list_public()
    context = {"publications": publications}
    if publications:
        context.update(_public_context(publications[0]))
    return render(request, "bulletins/public.html", context)


@login_not_required
@require_GET
def public_month(request, pk: int):
    publication = selectors.publication_get_public(pk=pk)
    context = {"publications": selectors.publication_list_public(), **_public_context(publication)}
    return render(request, "bulletins/public.html", context)


@login_not_required
@require_GET
def bulletin_docx(request, pk: int):
    """A published revision's bulletin, exactly the bytes frozen when it was published."""
    revision = selectors.revision_get_public(pk=pk)
    response = docx_response(bytes(revision.docx),
                             documents.bulletin_filename(revision.publication.title, revision.number))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    return response
