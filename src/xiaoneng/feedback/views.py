"""Screens of cases: the public form and tracking page (no account), the office's and units' work."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xiaoneng.core.audit.services import audit_record
from xiaoneng.core.codes import random_code
from xiaoneng.core.forms import form_errors_from
from xiaoneng.core.security.ip import client_ip
from xiaoneng.core.workdays.services import working_calendar
from xiaoneng.core.xlsx import xlsx_response
from xiaoneng.org.selectors import is_office, require_business_user, require_office

from . import exports, ratelimit, selectors, services
from .crypto import phone_hash
from .forms import (
    AcceptForm,
    AssignForm,
    CaseRequestForm,
    CloseForm,
    DeadlineForm,
    DecideForm,
    OfficeCaseForm,
    PublicCaseForm,
    RateForm,
    ReasonForm,
    ReplyForm,
    TrackForm,
    TransferForm,
)
from .models import Case, CaseChannel, CaseKind, CaseStatus

logger = logging.getLogger(__name__)

TRACK_SESSION_KEY = "feedback_tracked_case"
TRACK_SESSION_SECONDS = 30 * 60
ATTACHMENT_CSP = "sandbox; default-src 'none'"




def _too_many(request, what: str):
    # A log line, not an audit event: a flood of refused requests must not become a flood of
    # (serialised, hash-chained) audit writes.
    logger.warning("public %s refused: rate limit", what)
    return render(request, "feedback/public_limited.html", {"what": what}, status=429)


# --- the public ------------------------------------------------------------------------------

@never_cache
@require_http_methods(["GET", "POST"])
def public_file(request):
    """File a case without an account (phone or desktop); the tracking code is shown once."""
    if request.method == "GET":
        return render(request, "feedback/public_file.html", {"form": PublicCaseForm()})
    form = PublicCaseForm(request.POST, request.FILES)
    if form.is_spam:
        # A robot filled the hidden field: thank it like a person, store nothing.
        fake = services.FiledCase(case=Case(number="-"), tracking_code=random_code(services.CODE_LENGTH))
        return render(request, "feedback/public_filed.html", {"filed": fake})
    ip = client_ip(request)
    if ratelimit.is_limited(ratelimit.filing_limits(), ip):
        return _too_many(request, "file")
    if not form.is_valid():
        return render(request, "feedback/public_file.html", {"form": form}, status=400)
    data = form.cleaned_data
    phone_key = phone_hash(data["phone"]) if data["phone"] else None
    if ratelimit.is_limited(ratelimit.filing_phone_limits(), phone_key):
        return _too_many(request, "file")
    try:
        filed = services.case_file(
            kind=data["kind"], unit=data["unit"], what=data["what"], happened_on=data["happened_on"],
            where=data["where"], name=data["name"], phone=data["phone"], is_anonymous=data["is_anonymous"],
            uploads=data["attachments"], submission_key=data["submission_key"], request=request)
    except ValidationError as exc:
        form_errors_from(exc, form)
        return render(request, "feedback/public_file.html", {"form": form}, status=400)
    if not filed.duplicate:
        ratelimit.count_hit(ratelimit.filing_limits(), ip)
        ratelimit.count_hit(ratelimit.filing_phone_limits(), phone_key)
    return render(request, "feedback/public_filed.html", {"filed": filed})


def _tracked_case(request) -> Case | None:
    tracked = request.session.get(TRACK_SESSION_KEY)
    if not tracked or tracked.get("until", 0) < time.time():
        return None
    return Case.objects.select_related("unit", "assignee_unit").filter(pk=tracked.get("case")).first()


@never_cache
@require_http_methods(["GET", "POST"])
def public_track(request):
    """Follow a case with its code and the phone's last 4 digits (or the secret); read the reply; rate it."""
    case = _tracked_case(request)
    if request.method == "POST" and request.POST.get("action") == "forget":
        request.session.pop(TRACK_SESSION_KEY, None)
        return redirect("feedback:public_track")
    if request.method == "POST" and request.POST.get("action") == "rate":
        if case is None:
            return redirect("feedback:public_track")
        rate_form = RateForm(request.POST)
        if rate_form.is_valid():
            try:
                services.case_rate(case_id=case.pk, rating=rate_form.cleaned_data["rating"], request=request)
                messages.success(request, _("Thank you for your rating."))
            except ValidationError as exc:
                messages.warning(request, " ".join(exc.messages))
            return redirect("feedback:public_track")
        return _track_page(request, case, rate_form=rate_form, status=400)
    if request.method == "POST":
        form = TrackForm(request.POST)
        if not form.is_valid():
            return render(request, "feedback/public_track.html", {"form": form}, status=400)
        try:
            found = services.case_lookup(code=form.cleaned_data["code"], proof=form.cleaned_data["proof"],
                                         ip=client_ip(request))
        except services.LookupRefused:
            return _too_many(request, "track")
        if found is None:
            # The same answer for "no such code" and "wrong digits".
            return render(request, "feedback/public_track.html", {"form": TrackForm(), "failed": True})
        request.session.cycle_key()
        request.session[TRACK_SESSION_KEY] = {"case": found.pk, "until": time.time() + TRACK_SESSION_SECONDS}
        return redirect("feedback:public_track")
    if case is None:
        return render(request, "feedback/public_track.html", {"form": TrackForm()})
    return _track_page(request, case)


def _track_page(request, case: Case, *, rate_form=None, status: int = 200):
    events = case.events.filter(is_public=True).order_by("at", "id")
    return render(request, "feedback/public_case.html", {
        "case": case, "events": events, "can_rate": services.case_can_be_rated(case),
        "rate_form": rate_form or RateForm(), "clock": selectors.case_clock(case),
    }, status=status)


# --- the office and the units ------------------------------------------------------------------

@login_required
@require_GET
def home(request):
    """Cases the user may see, with the traffic light of each deadline."""
    require_business_user(request.user)
    filters = {key: request.GET.get(key, "") for key in ("status", "kind", "channel", "colour", "q")}
    if "status" not in request.GET:
        filters["status"] = "open"
    rows = selectors.case_list_for_user(user=request.user, status=filters["status"], kind=filters["kind"],
                                        channel=filters["channel"], colour=filters["colour"], query=filters["q"])
    pending = selectors.pending_requests_for_office(user=request.user).count() if is_office(request.user) else 0
    return render(request, "feedback/case_list.html", {
        "rows": rows, "filters": filters, "statuses": CaseStatus.choices, "kinds": CaseKind.choices,
        "channels": CaseChannel.choices, "is_office": is_office(request.user), "pending_requests": pending,
    })


@login_required
@require_GET
def case_export(request):
    """The visible cases as .xlsx, personal data masked."""
    require_business_user(request.user)
    rows = selectors.case_list_for_user(user=request.user, status=request.GET.get("status", ""))
    audit_record("feedback.export", request=request, detail={"rows": len(rows)})
    return xlsx_response(exports.case_list_xlsx(rows=rows, user=request.user), "cases.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def case_enter(request):
    """The office enters a case received by hotline (12320), box, mailbox, letter or media."""
    require_office(request.user)
    form = OfficeCaseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        received_at = None
        if data.get("received_on"):
            received_at = timezone.make_aware(dt.datetime.combine(data["received_on"], dt.time(9, 0)))
        try:
            filed = services.case_file(
                kind=data["kind"], unit=data["unit"], what=data["what"], happened_on=data["happened_on"],
                where=data["where"], name=data["name"], phone=data["phone"], id_number=data["id_number"],
                is_anonymous=data["is_anonymous"], channel=data["channel"], uploads=data["attachments"],
                entered_by=request.user, received_at=received_at, request=request)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            return render(request, "feedback/case_entered.html", {"filed": filed})
    return render(request, "feedback/case_enter.html", {"form": form}, status=400 if form.errors else 200)


def _detail_context(request, case: Case, **extra) -> dict:
    user = request.user
    office = is_office(user)
    handler = selectors.may_handle(user, case)
    files = selectors.case_files_for_user(user=user, case=case)
    context = {
        "case": case, "clock": selectors.case_clock(case), "is_office": office, "is_handler": handler,
        "events": selectors.case_events_for_user(user=user, case=case),
        "requests": selectors.case_requests_for_case(case=case), "files": files,
        "shows_reporter": selectors.shows_reporter_to(user, case), "may_reveal": selectors.may_reveal(user, case),
        "accept_form": AcceptForm(initial={"unit": case.unit_id}), "assign_form": AssignForm(initial={
            "unit": case.unit_id}),
        "transfer_form": TransferForm(), "decline_form": ReasonForm(), "return_form": ReasonForm(), "reply_form": ReplyForm(),
        "close_form": CloseForm(), "request_form": CaseRequestForm(), "decide_form": DecideForm(),
        "revealed": {},
    }
    context.update(extra)
    return context


@login_required
@require_GET
def case_detail(request, pk: int):
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    return render(request, "feedback/case_detail.html", _detail_context(request, case))


ACTIONS = {
    "accept": AcceptForm, "decline": ReasonForm, "assign": AssignForm, "transfer": TransferForm,
    "reply": ReplyForm, "close": CloseForm, "request": CaseRequestForm, "resume": None, "return": ReasonForm,
}


def _run_action(request, case: Case, action: str, data: dict):
    user = request.user
    if action == "accept":
        return services.case_accept(case_id=case.pk, actor=user, assignee_unit=data.get("unit"), request=request)
    if action == "decline":
        return services.case_decline(case_id=case.pk, actor=user, reason=data["reason"], request=request)
    if action == "assign":
        return services.case_assign(case_id=case.pk, actor=user, unit=data["unit"], request=request)
    if action == "transfer":
        return services.case_transfer(case_id=case.pk, actor=user, unit=data["unit"], reason=data["reason"],
                                      request=request)
    if action == "return":
        return services.case_return(case_id=case.pk, actor=user, reason=data["reason"], request=request)
    if action == "reply":
        return services.case_reply(case_id=case.pk, actor=user, text=data["text"], request=request)
    if action == "close":
        return services.case_close(case_id=case.pk, actor=user, note=data.get("note", ""), request=request)
    if action == "request":
        return services.case_request_create(case_id=case.pk, actor=user, kind=data["kind"],
                                            days=data.get("days") or 0, reason=data["reason"], request=request)
    return services.case_resume(case_id=case.pk, actor=user, request=request)


@login_required
@require_POST
def case_action(request, pk: int, action: str):
    """One step of handling (accept, decline, assign, transfer, reply, close, request, resume)."""
    if action not in ACTIONS:
        raise Http404
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    form_class = ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        return render(request, "feedback/case_detail.html",
                      _detail_context(request, case, **{f"{action}_form": form, "open_form": action}), status=400)
    try:
        _run_action(request, case, action, form.cleaned_data if form else {})
    except services.CaseConflict as exc:
        messages.warning(request, " ".join(exc.messages))
    except ValidationError as exc:
        if form is None:
            messages.error(request, " ".join(exc.messages))
        else:
            form_errors_from(exc, form)
            return render(request, "feedback/case_detail.html",
                          _detail_context(request, case, **{f"{action}_form": form, "open_form": action}),
                          status=400)
    else:
        messages.success(request, _("Saved."))
    return redirect("feedback:case_detail", pk=case.pk)


@login_required
@require_POST
def case_reveal(request, pk: int):
    """Show one personal field in full, once, to a role that needs it (audited)."""
    field = request.POST.get("field", "")
    if field not in services.REVEALABLE:
        raise Http404
    try:
        case = selectors.case_get_for_user(user=request.user, pk=pk)
    except PermissionDenied:
        # Another unit's case: refused, and the attempt is in the audit log like any reveal.
        audit_record("feedback.reveal", request=request, object_type="feedback.case", object_id=pk,
                     result="denied", detail={"field": field})
        raise
    value = services.case_reveal(case=case, actor=request.user, field=field, request=request)
    return render(request, "feedback/case_detail.html", _detail_context(request, case, revealed={field: value}))


@login_required
@require_GET
def case_attachment(request, pk: int, file_pk: int):
    """A file of a case, for those who may see the case (reports: the office only)."""
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    context = _detail_context(request, case)
    stored = context["files"].filter(pk=file_pk).first()
    if stored is None:
        raise Http404
    try:
        handle = default_storage.open(stored.storage_name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    audit_record("file.download", request=request, obj=stored, detail={"case": case.pk})
    response = FileResponse(handle, as_attachment=True, filename=stored.original_name,
                            content_type=stored.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    return response


@login_required
@require_GET
def request_list(request):
    """Extension and pause requests waiting for the office."""
    requests = selectors.pending_requests_for_office(user=request.user)
    calendar, now = working_calendar(), timezone.now()  # once, not one calendar look-up per row
    rows = [(row, selectors.case_clock(row.case, now=now, calendar=calendar)) for row in requests]
    return render(request, "feedback/request_list.html", {"rows": rows, "decide_form": DecideForm()})


@login_required
@require_POST
def request_decide(request, pk: int):
    require_office(request.user)
    form = DecideForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    approve = request.POST.get("decision") == "approve"
    row = selectors.case_request_get_for_office(user=request.user, pk=pk)
    try:
        services.case_request_decide(request_id=row.pk, actor=request.user, approve=approve, note=note,
                                     request=request)
    except ValidationError as exc:
        messages.warning(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Saved."))
    if request.POST.get("back") == "case":
        return redirect("feedback:case_detail", pk=row.case_id)
    return redirect("feedback:requests")


@login_required
@require_http_methods(["GET", "POST"])
def deadline_settings(request):
    """The office's working-day limits per kind of case."""
    require_office(request.user)
    table = selectors.deadline_table()
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        form = DeadlineForm(request.POST)
        if form.is_valid() and kind in CaseKind.values:
            try:
                services.deadline_days_set(actor=request.user, kind=kind, request=request, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Saved."))
            return redirect("feedback:deadlines")
        messages.error(request, _("Each limit is at least 1 working day, and closing cannot come before replying."))
        return render(request, "feedback/deadlines.html", {"table": table}, status=400)
    return render(request, "feedback/deadlines.html", {"table": table})
