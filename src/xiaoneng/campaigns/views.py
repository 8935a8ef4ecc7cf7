"""Campaign screens: the office's set-up and review, the units' "my work" and submissions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core.audit.services import audit_record
from xiaoneng.core.forms import form_errors_from
from xiaoneng.core.xlsx import xlsx_response
from xiaoneng.org.models import RankingGroup, Role
from xiaoneng.org.selectors import is_office, require_office

from . import exports, selectors, services
from .builtin import builtin_template
from .forms import (
    CampaignEditForm,
    CampaignForm,
    ContactForm,
    ObligationForm,
    PhaseForm,
    ReviewForm,
    SubmissionForm,
    TaskForm,
)
from .models import Obligation, Phase, Task, UnitContact


@login_required
def campaign_list(request):
    campaigns = selectors.campaign_list_for_user(user=request.user)
    templates = selectors.campaign_list_for_user(user=request.user, templates=True)
    return render(request, "campaigns/campaign_list.html", {"campaigns": campaigns, "templates": templates})


@login_required
def campaign_create(request):
    require_office(request.user)
    templates = selectors.campaign_list_for_user(user=request.user, templates=True)
    form = CampaignForm(request.POST or None, request.FILES or None, templates=templates)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data.pop("template")
        template = None
        if choice.startswith("builtin:"):
            template = builtin_template(choice.split(":", 1)[1], form.cleaned_data["year"])
        elif choice.startswith("campaign:"):
            template = templates.filter(pk=choice.split(":", 1)[1]).first()
        try:
            campaign = services.campaign_create(user=request.user, request=request, template=template,
                                                **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("The campaign has been created."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "title": _("New campaign")})


@login_required
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    return render(request, "campaigns/campaign_detail.html", {
        "campaign": campaign, "phases": campaign.phases.all(), "tasks": campaign.tasks.select_related("phase"),
        "obligations": campaign.obligations.select_related("anchor_phase", "anchor_obligation"),
        "is_office": is_office(request.user),
    })


@login_required
def campaign_update(request, pk: int):
    """Change a campaign's title, dates or status; its due items follow."""
    require_office(request.user)
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    form = CampaignEditForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(user=request.user, campaign=form.save(commit=False), request=request)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "title": campaign.title, "campaign": campaign})


@login_required
def campaign_save_template(request, pk: int):
    require_office(request.user)
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    if request.method == "POST":
        title = request.POST.get("title", "").strip() or campaign.title
        template = services.campaign_save_as_template(user=request.user, campaign=campaign, title=title,
                                                      request=request)
        messages.success(request, _("Saved as the template “%(title)s”.") % {"title": template.title})
    return redirect("campaigns:detail", pk=campaign.pk)


def _edit(request, campaign_pk: int, form_class, model, pk: int | None, save, title: str):
    """Shared create/edit flow for phases, tasks and obligations of a campaign."""
    require_office(request.user)
    campaign = selectors.campaign_get_for_user(user=request.user, pk=campaign_pk)
    instance = get_object_or_404(model, pk=pk, campaign=campaign) if pk else model(campaign=campaign)
    kwargs = {} if form_class is PhaseForm else {"campaign": campaign}
    form = form_class(request.POST or None, instance=instance, **kwargs)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.campaign = campaign
        try:
            save(obj, form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "title": title, "campaign": campaign})


@login_required
def phase_edit(request, campaign_pk: int, pk: int | None = None):
    return _edit(request, campaign_pk, PhaseForm, Phase, pk,
                 lambda obj, data: services.phase_save(user=request.user, phase=obj, request=request), _("Phase"))


@login_required
def task_edit(request, campaign_pk: int, pk: int | None = None):
    return _edit(request, campaign_pk, TaskForm, Task, pk,
                 lambda obj, data: services.task_save(user=request.user, task=obj, units=data.get("units") or (),
                                                      request=request), _("Task"))


@login_required
def obligation_edit(request, campaign_pk: int, pk: int | None = None):
    return _edit(request, campaign_pk, ObligationForm, Obligation, pk,
                 lambda obj, data: services.obligation_save(user=request.user, obligation=obj,
                                                            units=data.get("units") or (), request=request),
                 _("Obligation"))


@login_required
def my_work(request):
    """Every due item of the user's unit, by due date, coloured on time / due soon / overdue."""
    return render(request, "campaigns/my_work.html", {"items": selectors.my_work_for_user(user=request.user)})


@login_required
def due_item_detail(request, pk: int):
    """A due item, its submissions (history), and the form to submit."""
    item = selectors.due_item_get_for_user(user=request.user, pk=pk)
    obligation = item.obligation
    contact = UnitContact.objects.filter(campaign=obligation.campaign, unit=item.unit).first()
    if obligation.is_contact_form:
        initial = {f: getattr(contact, f) for f in ContactForm.base_fields} if contact else {}
        form = ContactForm(request.POST or None, initial=initial)
    else:
        form = SubmissionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                if obligation.is_contact_form:
                    services.contact_submit(user=request.user, due_item=item, data=form.cleaned_data,
                                            request=request)
                else:
                    services.submission_submit(
                        user=request.user, due_item=item, text=form.cleaned_data["text"],
                        files=request.FILES.getlist("files"), request=request,
                        idempotency_key=form.cleaned_data.get("idempotency_key") or None)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Your report has been sent."))
                return redirect("campaigns:due_item", pk=item.pk)
    submissions = item.submissions.select_related("submitted_by", "reviewed_by").order_by("-submitted_at", "-pk")
    from xiaoneng.core.models import StoredFile

    files = {}
    for stored in StoredFile.objects.filter(linked_id__in=[s.pk for s in submissions],
                                            linked_type__model="submission"):
        files.setdefault(stored.linked_id, []).append(stored)
    history = [(s, files.get(s.pk, [])) for s in submissions]
    return render(request, "campaigns/due_item.html", {
        "item": item, "form": form, "history": history, "contact": contact,
        "can_submit": request.user.unit_id == item.unit_id and request.user.has_role(Role.LIAISON, Role.UNIT_LEADER),
        "is_office": is_office(request.user),
        "review_form": ReviewForm(),
    })


@login_required
@require_POST
def submission_action(request, pk: int, action: str):
    """Withdraw, approve, accept or return a submission."""
    submission = selectors.submission_get_for_user(user=request.user, pk=pk)
    try:
        if action == "withdraw":
            services.submission_withdraw(user=request.user, submission=submission, request=request)
            messages.success(request, _("The report has been withdrawn."))
        elif action == "approve":
            services.submission_approve(user=request.user, submission=submission, request=request)
            messages.success(request, _("Approved and sent to the office."))
        elif action == "review":
            form = ReviewForm(request.POST)
            if not form.is_valid():
                for errors in form.errors.values():
                    for error in errors:
                        messages.error(request, error)
                return redirect("campaigns:due_item", pk=submission.due_item_id)
            if form.cleaned_data["decision"] == "accept":
                services.submission_accept(user=request.user, submission=submission,
                                           comment=form.cleaned_data["comment"], request=request)
                messages.success(request, _("The report has been accepted."))
            else:
                services.submission_return(user=request.user, submission=submission,
                                           comment=form.cleaned_data["comment"], request=request)
                messages.success(request, _("The report has been returned to the unit."))
        else:
            raise PermissionDenied
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("campaigns:due_item", pk=submission.due_item_id)


def _board_filters(request):
    def as_int(name):
        value = request.GET.get(name, "")
        return int(value) if value.isdigit() else None

    return {"phase_id": as_int("phase"), "group_id": as_int("group"), "status": request.GET.get("status", "")}


@login_required
def board(request, pk: int):
    """Units × due items, filterable by phase, group and status, with on-time rates."""
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    filters = _board_filters(request)
    columns, rows = selectors.board_for_user(user=request.user, campaign=campaign, **filters)
    return render(request, "campaigns/board.html", {
        "campaign": campaign, "board_table": selectors.board_table_html(columns, rows), "filters": filters,
        "phases": campaign.phases.all(), "groups": RankingGroup.objects.all(),
        "statuses": selectors.STATUS_LABELS,
    })


@login_required
def board_export(request, pk: int):
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    columns, rows = selectors.board_for_user(user=request.user, campaign=campaign, **_board_filters(request))
    content = exports.board_xlsx(campaign, columns, rows)
    audit_record("export.board", request=request, obj=campaign, detail={"rows": len(rows)})
    return xlsx_response(content, f"{campaign.title}-报送情况.xlsx")


@login_required
def contacts_export(request, pk: int):
    """附表1 of every unit, in the form's layout, as one .xlsx."""
    require_office(request.user)
    campaign = selectors.campaign_get_for_user(user=request.user, pk=pk)
    content = exports.contacts_xlsx(campaign, services.contacts_for_campaign(campaign=campaign))
    audit_record("export.contacts", request=request, obj=campaign)
    return xlsx_response(content, f"{campaign.title}-附表1联系方式.xlsx")
