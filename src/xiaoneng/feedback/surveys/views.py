"""Survey screens: the office builds and distributes; units see their results; patients answer."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from xiaoneng.core.forms import form_errors_from
from xiaoneng.core.security.ip import client_ip
from xiaoneng.core.xlsx import xlsx_response
from xiaoneng.feedback import ratelimit
from xiaoneng.org.selectors import is_office, require_office

from . import exports, qr, selectors, services, tokens
from .builtin import BUILTIN_QUESTIONNAIRES
from .forms import AnswerForm, CodesForm, DistributionForm, QuestionForm, QuestionnaireForm, SurveyForm
from .models import DistributionMethod, Question, Questionnaire, SurveyStatus


def _answer_url(request, distribution) -> str:
    return request.build_absolute_uri(reverse("surveys:public_answer", kwargs={"token": distribution.token}))


# --- office and units ---------------------------------------------------------------------------
@login_required
def home(request):
    context = {"surveys": selectors.survey_list_for_user(user=request.user), "office": is_office(request.user)}
    if context["office"]:
        context["questionnaires"] = selectors.questionnaire_list()
        context["builtins"] = BUILTIN_QUESTIONNAIRES.values()
    return render(request, "surveys/home.html", context)


@login_required
def questionnaire_create(request):
    require_office(request.user)
    if request.method == "POST" and request.POST.get("builtin"):
        try:
            questionnaire = services.questionnaire_from_builtin(key=request.POST["builtin"], user=request.user,
                                                                request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("surveys:home")
        return redirect("surveys:questionnaire", questionnaire_id=questionnaire.pk)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        questionnaire = services.questionnaire_create(user=request.user, request=request, **form.cleaned_data)
        return redirect("surveys:questionnaire", questionnaire_id=questionnaire.pk)
    return render(request, "surveys/questionnaire_form.html", {"form": form})


@login_required
def questionnaire_detail(request, questionnaire_id: int):
    require_office(request.user)
    questionnaire = get_object_or_404(Questionnaire, pk=questionnaire_id)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_add(questionnaire=questionnaire, user=request.user, request=request,
                                  **form.service_kwargs())
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            messages.success(request, _("Question added."))
            return redirect("surveys:questionnaire", questionnaire_id=questionnaire.pk)
    return render(request, "surveys/questionnaire_detail.html", {
        "questionnaire": questionnaire, "questions": questionnaire.questions.all(), "form": form,
        "locked": questionnaire.is_locked})


@login_required
@require_POST
def question_delete(request, questionnaire_id: int, question_id: int):
    require_office(request.user)
    question = get_object_or_404(Question, pk=question_id, questionnaire_id=questionnaire_id)
    try:
        services.question_delete(question=question, user=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:questionnaire", questionnaire_id=questionnaire_id)


@login_required
@require_POST
def questionnaire_copy(request, questionnaire_id: int):
    require_office(request.user)
    questionnaire = get_object_or_404(Questionnaire, pk=questionnaire_id)
    copy = services.questionnaire_copy(questionnaire=questionnaire, user=request.user, request=request)
    messages.success(request, _("Copy made; you can change its questions."))
    return redirect("surveys:questionnaire", questionnaire_id=copy.pk)


@login_required
def survey_create(request):
    require_office(request.user)
    initial = {}
    if request.GET.get("questionnaire"):
        initial["questionnaire"] = request.GET["questionnaire"]
    form = SurveyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(user=request.user, request=request, **form.cleaned_data)
        except ValidationError as exc:
            form_errors_from(exc, form)
        else:
            return redirect("surveys:survey", survey_id=survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form})


@login_required
def survey_detail(request, survey_id: int):
    survey = selectors.get_survey_for_user(user=request.user, pk=survey_id)
    office = is_office(request.user)
    form = DistributionForm(request.POST or None) if office else None
    if request.method == "POST":
        require_office(request.user)
        if form.is_valid():
            services.distribution_add(survey=survey, user=request.user, request=request, **form.cleaned_data)
            messages.success(request, _("Distribution added."))
            return redirect("surveys:survey", survey_id=survey.pk)
    distributions = [(d, _answer_url(request, d)) for d in selectors.distributions_for_user(user=request.user,
                                                                                           survey=survey)]
    return render(request, "surveys/survey_detail.html", {
        "survey": survey, "distributions": distributions, "form": form, "office": office,
        "statuses": SurveyStatus, "codes_form": CodesForm()})


@login_required
@require_POST
def survey_status(request, survey_id: int):
    require_office(request.user)
    survey = selectors.get_survey_for_user(user=request.user, pk=survey_id)
    try:
        services.survey_set_status(survey=survey, status=request.POST.get("status", ""), user=request.user,
                                   request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("surveys:survey", survey_id=survey.pk)


@login_required
def qr_sheet(request, survey_id: int):
    """A printable page: each distribution's QR code with its unit, ward and person."""
    from xiaoneng.core.security.qr import qr_svg

    survey = selectors.get_survey_for_user(user=request.user, pk=survey_id)
    cards = [(d, qr_svg(_answer_url(request, d)), _answer_url(request, d))
             for d in selectors.distributions_for_user(user=request.user, survey=survey)
             if d.method == DistributionMethod.LINK]
    return render(request, "surveys/qr_sheet.html", {"survey": survey, "cards": cards})


@login_required
def distribution_qr(request, distribution_id: int, fmt: str):
    distribution = selectors.get_distribution_for_user(user=request.user, pk=distribution_id)
    url = _answer_url(request, distribution)
    name = f"survey-{distribution.pk}-qr.{fmt}"
    if fmt == "png":
        response = HttpResponse(qr.qr_png(url), content_type="image/png")
    else:
        response = HttpResponse(qr.qr_svg_bytes(url), content_type="image/svg+xml")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    return response


@login_required
@never_cache
def distribution_codes(request, distribution_id: int):
    """Issue one-time codes and show them this once, ready to print and cut."""
    require_office(request.user)
    if request.method != "POST":
        return redirect("surveys:survey", survey_id=selectors.get_distribution_for_user(
            user=request.user, pk=distribution_id).survey_id)
    distribution = selectors.get_distribution_for_user(user=request.user, pk=distribution_id, write=True)
    form = CodesForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("surveys:survey", survey_id=distribution.survey_id)
    try:
        codes = services.paper_codes_issue(distribution=distribution, count=form.cleaned_data["count"],
                                           user=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("surveys:survey", survey_id=distribution.survey_id)
    response = render(request, "surveys/codes.html", {
        "distribution": distribution, "codes": codes, "url": _answer_url(request, distribution)})
    response["Cache-Control"] = "no-store"
    return response


@login_required
def survey_results(request, survey_id: int):
    survey = selectors.get_survey_for_user(user=request.user, pk=survey_id)
    by = "unit" if request.GET.get("by") == "unit" else "distribution"
    rows = selectors.survey_results(user=request.user, survey=survey, by=by)
    distribution = None
    if request.GET.get("distribution"):
        distribution = selectors.get_distribution_for_user(user=request.user, pk=request.GET["distribution"])
        if distribution.survey_id != survey.pk:
            raise PermissionDenied
    breakdown = selectors.question_breakdown(user=request.user, survey=survey, distribution=distribution,
                                             comment_limit=100)
    trend = selectors.survey_month_trend(user=request.user, survey=survey)
    rate_label, target_label = _("Satisfaction rate (%)"), _("Target")
    target = float(survey.target_rate)
    # Horizontal bars: unit, ward and person names are long; the target is a marked line.
    chart = {
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 16, "right": 24, "top": 8, "bottom": 24, "containLabel": True},
        "xAxis": {"type": "value", "min": 0, "max": 100},
        "yAxis": {"type": "category", "inverse": True, "data": [row.label for row in rows],
                  "axisLabel": {"width": 220, "overflow": "truncate"}},
        "series": [{"name": rate_label, "type": "bar",
                    "barMaxWidth": 28,
                    "data": [float(r.satisfaction.rate) if r.satisfaction.rate is not None else None for r in rows],
                    "markLine": {"symbol": "none", "data": [{"xAxis": target, "name": target_label}],
                                 "label": {"formatter": f"{target_label} {target:g}%"}}}],
    }
    trend_chart = {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 8, "right": 24, "top": 24, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": [month for month, _rate, _n in trend]},
        "yAxis": {"type": "value", "min": 0, "max": 100},
        "series": [{"name": rate_label, "type": "bar", "barMaxWidth": 48,
                    "data": [float(rate) if rate is not None else None for _m, rate, _n in trend],
                    "markLine": {"symbol": "none", "data": [{"yAxis": target}],
                                 "label": {"formatter": f"{target_label} {target:g}%"}}}],
    }
    return render(request, "surveys/results.html", {
        "survey": survey, "rows": rows, "by": by, "breakdown": breakdown, "distribution": distribution,
        "chart": chart, "trend_chart": trend_chart, "has_trend": bool(trend)})


@login_required
def survey_results_xlsx(request, survey_id: int):
    survey = selectors.get_survey_for_user(user=request.user, pk=survey_id)
    content = exports.survey_results_xlsx(user=request.user, survey=survey)
    return xlsx_response(content, f"{survey.title}-{timezone.localdate():%Y%m%d}.xlsx")


# --- the public answering page ------------------------------------------------------------------
def _hourly(name: str, ceiling: int) -> tuple[ratelimit.Limit, ...]:
    """One hourly limit from a setting; 0 switches it off."""
    return (ratelimit.Limit(name=name, limit=ceiling, window=ratelimit.HOUR),) if ceiling else ()


@never_cache
def public_answer(request, token: str):
    distribution = selectors.distribution_by_token(token)
    if distribution is None:
        return render(request, "surveys/public_message.html",
                      {"title": _("Survey not found"),
                       "text": _("This link is not valid. Please scan the QR code again.")}, status=404)
    survey = distribution.survey
    if not services.distribution_accepts(distribution, timezone.localdate()):
        return render(request, "surveys/public_message.html",
                      {"title": survey.title, "text": _("This survey is not taking answers at the moment.")})
    questions = list(survey.questionnaire.questions.all())
    needs_code = distribution.method == DistributionMethod.CODES
    form = AnswerForm(request.POST or None, questions=questions, needs_code=needs_code,
                      initial={"form_key": tokens.new_form_key()})
    status = 200
    if request.method == "POST" and form.is_bot:
        # The honeypot was filled: say thank you, store nothing.
        return render(request, "surveys/public_message.html",
                      {"title": _("Thank you"), "text": _("Your answers have been recorded.")})
    if request.method == "POST" and form.is_valid():
        # A generous ceiling per address against scripts (a hospital's shared address stays far
        # below it), and a limit on wrong paper codes; addresses enter the cache only hashed.
        answers_per_ip = _hourly("survey_answers_ip_hour", settings.SURVEY_RESPONSES_PER_IP_HOUR)
        code_failures = _hourly("survey_code_failures_ip_hour", settings.SURVEY_CODE_FAILURES_PER_IP_HOUR)
        address = client_ip(request)
        if ratelimit.is_limited(answers_per_ip, address):
            return render(request, "surveys/public_message.html",
                          {"title": _("Too many answers"),
                           "text": _("Too many answers came from this network in the last hour. "
                                     "Please try again later.")}, status=429)
        if needs_code and ratelimit.is_limited(code_failures, address):
            return render(request, "surveys/public_message.html",
                          {"title": _("Too many wrong codes"),
                           "text": _("Too many wrong codes were tried from this network. Please try again in an hour.")},
                          status=429)
        result = services.response_submit(
            distribution=distribution, answers=form.answers(), form_key=form.cleaned_data["form_key"],
            device_cookie=request.COOKIES.get(tokens.DEVICE_COOKIE, ""), code=form.cleaned_data.get("code", ""))
        if result.outcome == services.Outcome.CODE_INVALID:
            ratelimit.count_hit(code_failures, address)
            form.add_error("code", _("This code is not valid or has already been used."))
            status = 400
        else:
            if result.outcome == services.Outcome.RECORDED:
                ratelimit.count_hit(answers_per_ip, address)
            texts = {
                services.Outcome.RECORDED: (_("Thank you"), _("Your answers have been recorded.")),
                services.Outcome.ALREADY_RECORDED: (_("Thank you"), _("Your answers have been recorded.")),
                services.Outcome.DEVICE_ALREADY: (
                    _("Already answered"),
                    _("This phone has already answered for this survey in the current period. Thank you.")),
                services.Outcome.CLOSED: (survey.title, _("This survey is not taking answers at the moment.")),
            }
            title, text = texts[result.outcome]
            response = render(request, "surveys/public_message.html", {"title": title, "text": text})
            if result.new_device_cookie:  # the browser had no cookie yet (blocked before?)
                _set_device_cookie(request, response, result.new_device_cookie)
            return response
    elif request.method == "POST":
        status = 400
    response = render(request, "surveys/public_answer.html",
                      {"distribution": distribution, "survey": survey, "form": form, "needs_code": needs_code},
                      status=status)
    if not request.COOKIES.get(tokens.DEVICE_COOKIE):
        # Issued with the form, so a double tap's two posts carry the same browser cookie.
        _set_device_cookie(request, response, tokens.new_device_cookie())
    return response


def _set_device_cookie(request, response, value: str) -> None:
    response.set_cookie(tokens.DEVICE_COOKIE, value, max_age=400 * 24 * 3600, secure=request.is_secure(),
                        httponly=True, samesite="Lax", path=reverse("surveys:home") + "a/")
