"""Escalation screens: notices, ladder settings, call-backs, accountability, statistics, the public summary."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xiaoneng.core.forms import form_errors_from
from xiaoneng.core.officialdoc import docx_response
from xiaoneng.core.xlsx import xlsx_response
from xiaoneng.org.selectors import is_office, require_business_user, require_office

from . import exports, selectors, services
from .forms import AccountabilityForm, CallBackForm, LadderConfigForm, PeriodForm
from .models import Step
from .notices import notice_docx, notice_for


@login_required
def home(request):
    """Notices sent: all for the office and bureau leaders, a unit's own for its people."""
    require_business_user(request.user)
    step = request.GET.get("step", "")
    step = step if step in Step.values else ""
    alerts = selectors.alert_list_for_user(user=request.user, step=step)[:300]
    return render(request, "feedback_escalation/home.html", {
        "alerts": alerts, "steps": Step.choices, "step": step, "is_office": is_office(request.user),
        "sees_statistics": selectors.sees_statistics(request.user),
    })


@login_required
def notice(request, pk: int):
    """The print page of one notice."""
    alert = selectors.alert_get_for_user(user=request.user, pk=pk)
    if not alert.is_notice:
        raise Http404
    return render(request, "feedback_escalation/notice.html", {"alert": alert, "notice": notice_for(alert)})


@login_required
def notice_download(request, pk: int):
    """The notice as a .docx (GB/T 9704)."""
    alert = selectors.alert_get_for_user(user=request.user, pk=pk)
    if not alert.is_notice:
        raise Http404
    return docx_response(notice_docx(alert), f"{alert.case.number}-{alert.get_step_display()}.docx")


@login_required
def ladder_settings(request):
    require_office(request.user)
    config = services.ladder_config_get()
    form = LadderConfigForm(request.POST or None, instance=config)
    if request.method == "POST" and form.is_valid():
        try:
            services.ladder_config_update(user=request.user, config=form.save(commit=False), request=request)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Saved."))
            return redirect("feedback_escalation:settings")
    return render(request, "feedback_escalation/settings.html", {"form": form})


@login_required
def callbacks(request):
    require_office(request.user)
    return render(request, "feedback_escalation/callbacks.html", {
        "open": selectors.callback_list_for_user(user=request.user),
        "done": selectors.callback_list_for_user(user=request.user, done=True)[:50],
        "form": CallBackForm(),
    })


@login_required
@require_POST
def callback_done(request, pk: int):
    callback = selectors.callback_get_for_user(user=request.user, pk=pk)
    form = CallBackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how the call went."))
        return redirect("feedback_escalation:callbacks")
    try:
        services.callback_complete(user=request.user, callback=callback, request=request, **form.cleaned_data)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The call-back of case %(number)s is recorded.") % {"number": callback.case.number})
    return redirect("feedback_escalation:callbacks")


@login_required
def accountability(request):
    records = selectors.accountability_list_for_user(user=request.user)
    return render(request, "feedback_escalation/accountability.html", {
        "records": records[:500], "is_office": is_office(request.user)})


@login_required
def accountability_new(request):
    require_office(request.user)
    initial = {"case_number": request.GET.get("case", "")[:20]}
    form = AccountabilityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("case_number")
        try:
            services.accountability_record_create(user=request.user, request=request, **data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("The accountability record is saved."))
            return redirect("feedback_escalation:accountability")
    return render(request, "feedback_escalation/accountability_form.html", {"form": form})


def _period(request) -> tuple[PeriodForm, dt.date, dt.date]:
    today = timezone.localdate()
    default_from = dt.date(today.year, 1, 1)
    data = request.GET if request.GET.get("date_from") else {"date_from": default_from, "date_to": today}
    form = PeriodForm(data)
    if form.is_valid():
        return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    return form, default_from, today


@login_required
def statistics(request):
    """Figures by unit, kind, channel and month; on-time rates per stage; satisfaction; charts."""
    selectors.require_statistics_reader(request.user)
    form, date_from, date_to = _period(request)
    stats = selectors.statistics_for_user(user=request.user, date_from=date_from, date_to=date_to)
    return render(request, "feedback_escalation/statistics.html", {
        "form": form, "stats": stats, "chart_data": stats.chart_data()})


@login_required
def statistics_export(request):
    selectors.require_statistics_reader(request.user)
    _form, date_from, date_to = _period(request)
    stats = selectors.statistics_for_user(user=request.user, date_from=date_from, date_to=date_to)
    return xlsx_response(exports.statistics_xlsx(stats), f"{_('Case statistics')} {date_from}~{date_to}.xlsx")


def public_summary(request):
    """The public monthly summary: numbers and unit names only (no login; no personal data)."""
    months = selectors.public_months()
    year, month = months[0]
    choice = request.GET.get("month", "")
    for candidate in months:
        if choice == f"{candidate[0]:04d}-{candidate[1]:02d}":
            year, month = candidate
    summary = selectors.public_month_summary(year=year, month=month)
    return render(request, "feedback_escalation/public_summary.html", {
        "summary": summary, "months": [(f"{y:04d}-{m:02d}", y, m) for y, m in months],
        "current": f"{year:04d}-{month:02d}", "chart_data": summary.stats.chart_data()})
