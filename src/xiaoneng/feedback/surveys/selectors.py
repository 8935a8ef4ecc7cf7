"""Every read the survey screens need, scoped by unit: results, breakdowns, satisfaction rates."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, QuerySet

from xiaoneng.core.scoping import can_see_all_units, get_for_user, scope_queryset
from xiaoneng.org.selectors import is_office

from .models import Answer, Distribution, Question, QuestionKind, Questionnaire, Response, Survey

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def rate_of(satisfied: int, counted: int) -> Decimal | None:
    if not counted:
        return None
    return (Decimal(satisfied) * HUNDRED / Decimal(counted)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Satisfaction:
    """Satisfied answers over answers to satisfaction questions (the office marks which answers count)."""

    responses: int = 0
    satisfied: int = 0
    counted: int = 0

    @property
    def rate(self) -> Decimal | None:
        return rate_of(self.satisfied, self.counted)


# --- lists and single objects -------------------------------------------------------------------
def survey_list_for_user(*, user) -> QuerySet[Survey]:
    surveys = Survey.objects.select_related("questionnaire")
    if can_see_all_units(user):
        return surveys
    units = scope_queryset(Distribution.objects.all(), user).values("survey_id")
    return surveys.filter(pk__in=units)


def get_survey_for_user(*, user, pk) -> Survey:
    """Office and bureau leaders see every survey; a unit sees a survey asked at the unit (404 otherwise)."""
    from django.http import Http404

    try:
        return survey_list_for_user(user=user).get(pk=pk)
    except (Survey.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def questionnaire_list() -> QuerySet[Questionnaire]:
    return Questionnaire.objects.annotate(question_count=Count("questions"))


def distributions_for_user(*, user, survey: Survey) -> QuerySet[Distribution]:
    return scope_queryset(survey.distributions.select_related("unit"), user)


def get_distribution_for_user(*, user, pk, write: bool = False) -> Distribution:
    distribution = get_for_user(Distribution.objects.select_related("survey", "unit"), user=user, pk=pk)
    if write and not is_office(user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    return distribution


def distribution_by_token(token: str) -> Distribution | None:
    return (Distribution.objects.select_related("survey", "survey__questionnaire", "unit")
            .filter(token=token).first())


# --- results ------------------------------------------------------------------------------------
@dataclass
class ResultRow:
    key: object
    label: str
    unit_id: int
    satisfaction: Satisfaction = field(default_factory=Satisfaction)
    meets_target: bool | None = None


def _answer_counts(responses: QuerySet[Response], group: str):
    """(group value, question id, value) → count, with one query."""
    return (Answer.objects.filter(response__in=responses, value__isnull=False)
            .values_list(f"response__{group}", "question_id", "value")
            .annotate(n=Count("id")).order_by())


def _satisfied_sets(question_ids) -> dict[int, frozenset[int]]:
    return {q.pk: frozenset(q.satisfied) for q in Question.objects.filter(pk__in=set(question_ids))
            if q.counts_for_satisfaction}


def _satisfaction_by(responses: QuerySet[Response], group: str) -> dict[object, Satisfaction]:
    result: dict[object, Satisfaction] = defaultdict(Satisfaction)
    for key, n in responses.values_list(group).annotate(n=Count("id")).order_by():
        result[key].responses = n
    counts = list(_answer_counts(responses, group))
    satisfied_sets = _satisfied_sets(question_id for _, question_id, _, _ in counts)
    for key, question_id, value, n in counts:
        wanted = satisfied_sets.get(question_id)
        if wanted is None:
            continue
        result[key].counted += n
        if value in wanted:
            result[key].satisfied += n
    return result


def responses_for_user(*, user, survey: Survey | None = None, date_from: dt.date | None = None,
                       date_to: dt.date | None = None) -> QuerySet[Response]:
    responses = scope_queryset(Response.objects.all(), user)
    if survey is not None:
        responses = responses.filter(survey=survey)
    if date_from:
        responses = responses.filter(answered_on__gte=date_from)
    if date_to:
        responses = responses.filter(answered_on__lte=date_to)
    return responses


def survey_results(*, user, survey: Survey, by: str = "distribution", date_from=None, date_to=None) -> list[ResultRow]:
    """One row per distribution (unit · ward · person) or per unit, with the satisfaction rate."""
    responses = responses_for_user(user=user, survey=survey, date_from=date_from, date_to=date_to)
    distributions = list(distributions_for_user(user=user, survey=survey))
    if by == "unit":
        figures = _satisfaction_by(responses, "unit_id")
        rows: dict[int, ResultRow] = {}
        for distribution in distributions:
            rows.setdefault(distribution.unit_id, ResultRow(distribution.unit_id, str(distribution.unit),
                                                            distribution.unit_id))
        ordered = list(rows.values())
    else:
        figures = _satisfaction_by(responses, "distribution_id")
        ordered = [ResultRow(d.pk, str(d), d.unit_id) for d in distributions]
    for row in ordered:
        row.satisfaction = figures.get(row.key, Satisfaction())
        rate = row.satisfaction.rate
        row.meets_target = None if rate is None else rate >= survey.target_rate
    return ordered


@dataclass
class QuestionBreakdown:
    question: Question
    counts: list[tuple[str, int, bool]]  # (answer label, count, counts as satisfied)
    comments: list[str]
    satisfaction: Satisfaction


def question_breakdown(*, user, survey: Survey, distribution: Distribution | None = None,
                       date_from=None, date_to=None, comment_limit: int = 200) -> list[QuestionBreakdown]:
    responses = responses_for_user(user=user, survey=survey, date_from=date_from, date_to=date_to)
    if distribution is not None:
        responses = responses.filter(distribution=distribution)
    counts: dict[tuple[int, int], int] = {
        (question_id, value): n
        for question_id, value, n in Answer.objects.filter(response__in=responses, value__isnull=False)
        .values_list("question_id", "value").annotate(n=Count("id")).order_by()}
    result = []
    for question in survey.questionnaire.questions.all():
        if question.kind == QuestionKind.TEXT:
            # Comments in a fixed, meaningless order (by random answer id), never by time.
            comments = list(Answer.objects.filter(response__in=responses, question=question).exclude(text="")
                            .order_by("id").values_list("text", flat=True)[:comment_limit])
            result.append(QuestionBreakdown(question, [], comments, Satisfaction()))
            continue
        satisfaction = Satisfaction()
        rows = []
        for value, label in question.answer_values():
            n = counts.get((question.pk, value), 0)
            is_satisfied = value in question.satisfied
            rows.append((label, n, is_satisfied))
            if question.counts_for_satisfaction:
                satisfaction.counted += n
                satisfaction.satisfied += n if is_satisfied else 0
        result.append(QuestionBreakdown(question, rows, [], satisfaction))
    return result


def unit_satisfaction(*, date_from: dt.date, date_to: dt.date) -> dict[int, Satisfaction]:
    """Satisfaction per unit over every survey answered in the dates (for composites and targets)."""
    responses = Response.objects.filter(answered_on__gte=date_from, answered_on__lte=date_to)
    return dict(_satisfaction_by(responses, "unit_id"))


def survey_month_trend(*, user, survey: Survey) -> list[tuple[str, Decimal | None, int]]:
    """(YYYY-MM, satisfaction rate, responses) for each month with answers."""
    by_day = _satisfaction_by(responses_for_user(user=user, survey=survey), "answered_on")
    months: dict[str, Satisfaction] = defaultdict(Satisfaction)
    for day, figures in by_day.items():
        month = months[day.strftime("%Y-%m")]
        month.responses += figures.responses
        month.satisfied += figures.satisfied
        month.counted += figures.counted
    return [(month, months[month].rate, months[month].responses) for month in sorted(months)]
