"""Supervision screens: visits and findings, problems and rectification, the public wall, targets."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xiaoneng.core.files.selectors import stored_file_list_for_user
from xiaoneng.core.forms import form_errors_from
from xiaoneng.org.selectors import is_office, require_business_user, require_office

from . import selectors, services
from .forms import (
    UNIT_CHOICES,
    CheckForm,
    CommentForm,
    FindingForm,
    ProblemEditForm,
    ProblemForm,
    ProgressForm,
    TargetForm,
    ValueForm,
    VisitForm,
)
from .models import ProblemSource, ProblemStatus, Target


def _flash(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def home(request):
    """Counts of problems by state and overdue, links to visits, problems, targets and the public wall."""
    require_business_user(request.user)
    return render(request, "supervision/home.html", {
        "counts": selectors.problem_counts_for_user(user=request.user),
        "by_unit": selectors.problem_counts_by_unit(user=request.user) if is_office(request.user) else [],
        "visits": selectors.visit_list_for_user(user=request.user)[:5],
        "is_office": is_office(request.user),
    })


# --- Visits -----------------------------------------------------------------------------------

@login_required
def visit_list(request):
    require_business_user(request.user)
    return render(request, "supervision/visit_list.html", {
        "visits": selectors.visit_list_for_user(user=request.user), "is_office": is_office(request.user)})


@login_required
def visit_create(request):
    require_office(request.user)
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.visit_create(user=request.user, unit=data["unit"], visit_date=data["visit_date"],
                                          kind=data["kind"], team=data["team"], team_note=data["team_note"],
                                          summary=data["summary"], campaign=data["campaign"], request=request)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("The visit has been recorded. Add its findings."))
            return redirect("supervision:visit_detail", pk=visit.pk)
    return render(request, "supervision/form.html", {"form": form, "title": _("New inspection visit")})


@login_required
def visit_detail(request, pk: int):
    """A visit with its findings (and photos); the team adds findings; each becomes a problem in one step."""
    visit = selectors.visit_get_for_user(user=request.user, pk=pk)
    can_record = services.can_record_visit(request.user, visit)
    form = FindingForm(request.POST or None)
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.finding_add(user=request.user, visit=visit, description=form.cleaned_data["description"],
                                     photos=request.FILES.getlist("photos"), request=request)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("The finding has been recorded."))
                return redirect("supervision:visit_detail", pk=visit.pk)
    findings = []
    for finding in visit.findings.all():
        problem = getattr(finding, "problem", None)
        findings.append({"finding": finding, "problem": problem,
                         "photos": stored_file_list_for_user(user=request.user, linked_to=finding)})
    return render(request, "supervision/visit_detail.html", {
        "visit": visit, "findings": findings, "form": form, "can_record": can_record,
        "team": visit.team.all(), "show_team": is_office(request.user) or can_record})


@login_required
@require_POST
def finding_to_problem(request, pk: int):
    finding = selectors.finding_get_for_user(user=request.user, pk=pk)
    try:
        problem = services.finding_to_problem(user=request.user, finding=finding, request=request)
    except ValidationError as exc:
        _flash(request, exc)
        return redirect("supervision:visit_detail", pk=finding.visit_id)
    messages.success(request, _("The finding is now a problem for the unit to rectify."))
    return redirect("supervision:problem_detail", pk=problem.pk)


# --- Problems ---------------------------------------------------------------------------------

@login_required
def problem_list(request):
    require_business_user(request.user)
    unit = request.GET.get("unit", "")
    filters = {"status": request.GET.get("status", ""), "source": request.GET.get("source", ""),
               "overdue": request.GET.get("overdue") == "1", "query": request.GET.get("q", "").strip()[:100],
               "unit_id": int(unit) if unit.isdigit() else None}
    problems = selectors.problem_list_for_user(user=request.user, **filters)
    return render(request, "supervision/problem_list.html", {
        "problems": problems[:500], "filters": filters, "statuses": ProblemStatus.choices,
        "sources": ProblemSource.choices, "today": timezone.localdate(),
        "can_create": is_office(request.user) or request.user.has_role("liaison", "unit_leader"),
    })


@login_required
def problem_create(request):
    require_business_user(request.user)
    if not (is_office(request.user) or request.user.has_role("liaison", "unit_leader")):
        raise PermissionDenied
    form = ProblemForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            problem = services.problem_create(
                unit=data["unit"], description=data["description"], source=data["source"],
                source_ref=data["source_ref"], actor=request.user, request=request, measures=data["measures"],
                due_date=data["due_date"])
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("The problem has been recorded."))
            return redirect("supervision:problem_detail", pk=problem.pk)
    return render(request, "supervision/form.html", {"form": form, "title": _("New problem")})


def _problem_page(request, problem, **forms):
    updates = list(problem.updates.select_related("author"))
    files = {}
    for update in updates:
        if update.kind == "progress":
            files[update.pk] = list(stored_file_list_for_user(user=request.user, linked_to=update))
    can_change = services.can_change_problem(request.user, problem)
    context = {
        "problem": problem, "checks": selectors.check_rows(problem),
        "missing": services.missing_checks(problem),
        "history": [(u, files.get(u.pk, [])) for u in updates], "is_office": is_office(request.user),
        "can_change": can_change and problem.status != ProblemStatus.CLOSED,
        "overdue": selectors.is_overdue(problem),
        "progress_form": forms.get("progress_form") or ProgressForm(),
        "check_form": forms.get("check_form") or CheckForm(),
        "comment_form": forms.get("comment_form") or CommentForm(),
    }
    return render(request, "supervision/problem_detail.html", context, status=400 if forms else 200)


@login_required
def problem_detail(request, pk: int):
    problem = selectors.problem_get_for_user(user=request.user, pk=pk)
    return _problem_page(request, problem)


@login_required
def problem_edit(request, pk: int):
    problem = selectors.problem_get_for_user(user=request.user, pk=pk)
    if not services.can_change_problem(request.user, problem):
        raise PermissionDenied
    initial = {"description": problem.description, "measures": problem.measures, "owner": problem.owner_id,
               "due_date": problem.due_date}
    form = ProblemEditForm(request.POST or None, initial=initial, problem=problem,
                           can_edit_description=is_office(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.problem_update(user=request.user, problem=problem, data=form.cleaned_data, request=request)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("supervision:problem_detail", pk=problem.pk)
    return render(request, "supervision/form.html", {"form": form, "title": _("Rectification"),
                                                     "back": problem})


PROBLEM_ACTIONS = ("progress", "check", "submit", "verify", "return", "publish", "unpublish")


@login_required
@require_POST
def problem_action(request, pk: int, action: str):
    """Progress with evidence, a check, sending for verification, the office's verify/return/publish."""
    problem = selectors.problem_get_for_user(user=request.user, pk=pk)
    if action not in PROBLEM_ACTIONS:
        raise PermissionDenied
    try:
        if action == "progress":
            form = ProgressForm(request.POST)
            if not form.is_valid():
                return _problem_page(request, problem, progress_form=form)
            services.problem_progress_add(user=request.user, problem=problem, text=form.cleaned_data["text"],
                                          files=request.FILES.getlist("files"), request=request)
            messages.success(request, _("Progress has been recorded."))
        elif action == "check":
            form = CheckForm(request.POST)
            if not form.is_valid():
                return _problem_page(request, problem, check_form=form)
            services.problem_check_record(user=request.user, problem=problem, kind=form.cleaned_data["kind"],
                                          note=form.cleaned_data["note"], request=request)
            messages.success(request, _("The check has been recorded."))
        else:
            form = CommentForm(request.POST)
            text = form.cleaned_data["text"] if form.is_valid() else ""
            if action == "submit":
                services.problem_submit(user=request.user, problem=problem, text=text, request=request)
                messages.success(request, _("Sent to the office for verification."))
            elif action == "verify":
                services.problem_verify(user=request.user, problem=problem, text=text, request=request)
                messages.success(request, _("Verified: the problem is closed."))
            elif action == "return":
                services.problem_return(user=request.user, problem=problem, text=text, request=request)
                messages.success(request, _("The rectification has been returned to the unit."))
            else:
                services.problem_publish(user=request.user, problem=problem, public=action == "publish",
                                         request=request)
                messages.success(request, _("Shown on the public wall.") if action == "publish"
                                 else _("Taken off the public wall."))
    except ValidationError as exc:
        if action in ("progress", "check"):
            form = ProgressForm(request.POST) if action == "progress" else CheckForm(request.POST)
            form.is_valid()
            form_errors_from(exc, form)
            return _problem_page(request, problem, **{f"{action}_form": form})
        _flash(request, exc)
    return redirect("supervision:problem_detail", pk=problem.pk)


@require_GET
def public_problems(request):
    """上墙公开: the problems the office made public, by unit, without any personal data. No sign-in."""
    return render(request, "supervision/public_problems.html", {"units": selectors.public_problem_wall()})


# --- Targets ----------------------------------------------------------------------------------

@login_required
def target_campaigns(request):
    """Campaigns with their targets: choose one."""
    from xiaoneng.campaigns.selectors import campaign_list_for_user

    require_business_user(request.user)
    campaigns = campaign_list_for_user(user=request.user)
    counts = dict(Target.objects.filter(campaign__in=campaigns).values_list("campaign_id")
                  .annotate(n=Count("pk")))
    return render(request, "supervision/target_campaigns.html", {
        "campaigns": [(c, counts.get(c.pk, 0)) for c in campaigns]})


@login_required
def target_list(request, campaign_pk: int):
    """A campaign's targets, each with whether it is met overall and (for a unit) by the unit."""
    from xiaoneng.campaigns.selectors import campaign_get_for_user

    campaign = campaign_get_for_user(user=request.user, pk=campaign_pk)
    results = [selectors.target_results(target=t, user=request.user)
               for t in selectors.target_list_for_campaign(campaign=campaign)]
    return render(request, "supervision/target_list.html", {
        "campaign": campaign, "results": results, "is_office": is_office(request.user)})


@login_required
def target_create(request, campaign_pk: int):
    from xiaoneng.campaigns.selectors import campaign_get_for_user

    require_office(request.user)
    campaign = campaign_get_for_user(user=request.user, pk=campaign_pk)
    form = TargetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.target_create(campaign=campaign, indicator=data["indicator"], operator=data["operator"],
                                   value=data["value"], unit_of_measure=data["unit_of_measure"],
                                   period=data["period"], computed_by=data["computed_by"], actor=request.user,
                                   request=request)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("The target has been added."))
            return redirect("supervision:target_list", campaign_pk=campaign.pk)
    return render(request, "supervision/form.html", {"form": form, "title": _("New target"),
                                                     "unit_choices": UNIT_CHOICES})


@login_required
def target_edit(request, pk: int):
    require_office(request.user)
    target = selectors.target_get_for_user(user=request.user, pk=pk)
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST":
        if request.POST.get("delete") == "1":
            services.target_delete(user=request.user, target=target, request=request)
            messages.success(request, _("The target has been deleted."))
            return redirect("supervision:target_list", campaign_pk=target.campaign_id)
        if form.is_valid():
            try:
                services.target_update(user=request.user, target=form.save(commit=False), request=request)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("Saved."))
                return redirect("supervision:target_detail", pk=target.pk)
    return render(request, "supervision/form.html", {"form": form, "title": target.indicator,
                                                     "unit_choices": UNIT_CHOICES, "deletable": True})


@login_required
def target_detail(request, pk: int):
    """One target: its value and result per unit and overall, and the form to report a value."""
    target = selectors.target_get_for_user(user=request.user, pk=pk)
    period = request.GET.get("period")
    can_report = not target.computed_by and (
        is_office(request.user) or request.user.has_role("liaison", "unit_leader"))
    form = ValueForm(request.POST or None, user=request.user,
                     initial={"period": target.period, "unit": request.user.unit_id if not is_office(request.user)
                              else None})
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.indicator_value_report(
                    user=request.user, target=target, unit=data["unit"], period=data["period"], value=data["value"],
                    value_unit=data["value_unit"], numerator=data["numerator"], denominator=data["denominator"],
                    note=data["note"], request=request)
            except ValidationError as exc:
                form_errors_from(exc, form)
            else:
                messages.success(request, _("The value has been saved."))
                return redirect("supervision:target_detail", pk=target.pk)
    result = selectors.target_results(target=target, user=request.user, period=period)
    return render(request, "supervision/target_detail.html", {
        "target": target, "result": result, "form": form, "can_report": can_report,
        "periods": selectors.target_periods(target=target), "is_office": is_office(request.user),
        "unit_choices": UNIT_CHOICES}, status=400 if form.errors else 200)
