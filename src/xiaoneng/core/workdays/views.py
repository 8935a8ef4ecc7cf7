"""The office's calendar screens: the year, a day set by hand, an official schedule imported."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import CalendarDayForm, CalendarResetForm, ScheduleImportForm

FIRST_YEAR, LAST_YEAR = 2000, 2100


def _year_page(request, year: int, *, day_form: CalendarDayForm | None = None, status: int = 200):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404
    context = selectors.calendar_year_for_user(user=request.user, year=year)
    context.update({
        "day_form": day_form or CalendarDayForm(),
        "manual_days": selectors.calendar_days_for_user(user=request.user, year=year),
        "warning": selectors.calendar_warning(),
        "previous_year": year - 1,
        "next_year": year + 1,
    })
    return render(request, "workdays/year.html", context, status=status)


@login_required
def year_view(request, year: int | None = None):
    """Twelve month grids of one year (default: this year)."""
    selectors.ensure_calendar_office(request.user)
    return _year_page(request, year or timezone.localdate().year)


@login_required
@require_POST
def day_set(request):
    """Set one day by hand; on an error the year page shows it next to the field."""
    selectors.ensure_calendar_office(request.user)
    form = CalendarDayForm(request.POST)
    if not form.is_valid():
        return _year_page(request, _year_from(request), day_form=form, status=400)
    data = form.cleaned_data
    services.calendar_day_set(day=data["date"], kind=data["kind"], name=data["name"], note=data["note"],
                              user=request.user, request=request)
    messages.success(request, _("%(date)s has been saved.") % {"date": data["date"].isoformat()})
    return redirect("workdays:year_of", year=data["date"].year)


@login_required
@require_POST
def day_reset(request):
    """Undo a day set by hand: the official schedule applies again."""
    selectors.ensure_calendar_office(request.user)
    form = CalendarResetForm(request.POST)
    if not form.is_valid():
        raise Http404
    day = form.cleaned_data["date"]
    if services.calendar_day_reset(day=day, user=request.user, request=request):
        messages.success(request, _("%(date)s follows the official schedule again.") % {"date": day.isoformat()})
    return redirect("workdays:year_of", year=day.year)


def _year_from(request) -> int:
    try:
        return int(request.POST.get("year") or request.POST.get("date", "")[:4])
    except ValueError:
        return timezone.localdate().year


@login_required
def import_schedule(request):
    """Paste or upload an official schedule, preview the days it sets, and store on confirm."""
    selectors.ensure_calendar_office(request.user)
    if request.method != "POST":
        year = request.GET.get("year", "")
        initial = {"year": int(year)} if year.isdigit() else {"year": timezone.localdate().year + 1}
        return render(request, "workdays/import.html", {"form": ScheduleImportForm(initial=initial)})
    form = ScheduleImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "workdays/import.html", {"form": form}, status=400)
    data = form.cleaned_data
    schedule = data["schedule"]
    confirmed = request.POST.get("action") == "confirm" and data.get("digest") == data["expected_digest"]
    if not confirmed:
        if request.POST.get("action") == "confirm":
            messages.warning(request, _("The text changed since the preview: check the preview again."))
        form.data["digest"] = data["expected_digest"]
        return render(request, "workdays/import.html", {"form": form, "schedule": schedule})
    outcome = services.calendar_import_apply(year=schedule.year, days=schedule.days, user=request.user,
                                             request=request)
    messages.success(request, _("The %(year)s schedule has been imported: %(count)s days stored.") % {
        "year": outcome.year, "count": outcome.stored})
    if outcome.kept_manual:
        messages.info(request, _("Days set by hand were kept: %(dates)s") % {
            "dates": "、".join(d.isoformat() for d in outcome.kept_manual)})
    return redirect("workdays:year_of", year=outcome.year)
