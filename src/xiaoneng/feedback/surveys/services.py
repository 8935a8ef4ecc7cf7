"""Every write of the surveys: questionnaires, surveys, distributions, codes, and answering."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xiaoneng.core.audit.services import audit_record

from . import tokens
from .builtin import BUILTIN_QUESTIONNAIRES
from .models import (
    Answer,
    DeviceToken,
    Distribution,
    DistributionMethod,
    PaperCode,
    PeriodSecret,
    Question,
    QuestionKind,
    Questionnaire,
    Response,
    SubmissionKey,
    Survey,
    SurveyStatus,
)

MAX_CODES_PER_BATCH = 2000


# --- questionnaires ---------------------------------------------------------------------------
def questionnaire_create(*, title: str, description: str = "", user, request=None) -> Questionnaire:
    questionnaire = Questionnaire.objects.create(title=title, description=description, created_by=user)
    audit_record("surveys.questionnaire_create", request=request, actor=user, obj=questionnaire)
    return questionnaire


@transaction.atomic
def questionnaire_from_builtin(*, key: str, user, request=None) -> Questionnaire:
    builtin = BUILTIN_QUESTIONNAIRES.get(key)
    if builtin is None:
        raise ValidationError(_("There is no built-in questionnaire of that name."))
    questionnaire = Questionnaire.objects.create(title=builtin.title, description=builtin.description,
                                                 template_key=key, created_by=user)
    Question.objects.bulk_create(
        Question(questionnaire=questionnaire, order=index, kind=q.kind, text=q.text, required=q.required,
                 choices=list(q.choices), scale_max=q.scale_max, satisfied=list(q.satisfied))
        for index, q in enumerate(builtin.questions, start=1))
    audit_record("surveys.questionnaire_create", request=request, actor=user, obj=questionnaire,
                 detail={"template": key})
    return questionnaire


@transaction.atomic
def questionnaire_copy(*, questionnaire: Questionnaire, user, request=None) -> Questionnaire:
    copy = Questionnaire.objects.create(title=_("%(title)s (copy)") % {"title": questionnaire.title},
                                        description=questionnaire.description,
                                        template_key=questionnaire.template_key, created_by=user)
    Question.objects.bulk_create(
        Question(questionnaire=copy, order=q.order, kind=q.kind, text=q.text, required=q.required,
                 choices=q.choices, scale_max=q.scale_max, satisfied=q.satisfied)
        for q in questionnaire.questions.all())
    audit_record("surveys.questionnaire_copy", request=request, actor=user, obj=copy,
                 detail={"from": questionnaire.pk})
    return copy


def _refuse_if_locked(questionnaire: Questionnaire) -> None:
    if questionnaire.is_locked:
        raise ValidationError(_("This questionnaire already has answers, so its questions can no longer change. "
                                "Make a copy and change the copy."))


def question_add(*, questionnaire: Questionnaire, kind: str, text: str, required: bool = True,
                 choices: list[str] | None = None, scale_max: int = 5, satisfied: list[int] | None = None,
                 user, request=None) -> Question:
    _refuse_if_locked(questionnaire)
    choices = [c.strip() for c in (choices or []) if c.strip()]
    satisfied = sorted(set(satisfied or []))
    if kind == QuestionKind.SINGLE:
        if len(choices) < 2:
            raise ValidationError({"choices": _("A single-choice question needs at least two options, one per line.")})
        if any(not 0 <= value < len(choices) for value in satisfied):
            raise ValidationError({"satisfied": _("Mark satisfied answers by their option numbers (1 to %(n)s).")
                                   % {"n": len(choices)}})
    elif kind == QuestionKind.RATING:
        if not 2 <= scale_max <= 10:
            raise ValidationError({"scale_max": _("A rating scale runs from 1 to between 2 and 10.")})
        if any(not 1 <= value <= scale_max for value in satisfied):
            raise ValidationError({"satisfied": _("Satisfied ratings must lie between 1 and %(n)s.")
                                   % {"n": scale_max}})
        choices = []
    else:
        choices, satisfied = [], []
    order = (questionnaire.questions.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    question = Question.objects.create(questionnaire=questionnaire, order=order, kind=kind, text=text.strip(),
                                       required=required, choices=choices, scale_max=scale_max,
                                       satisfied=satisfied)
    audit_record("surveys.question_add", request=request, actor=user, obj=questionnaire,
                 detail={"question": question.pk})
    return question


def question_delete(*, question: Question, user, request=None) -> None:
    _refuse_if_locked(question.questionnaire)
    audit_record("surveys.question_delete", request=request, actor=user, obj=question.questionnaire,
                 detail={"question": question.pk, "text": question.text})
    question.delete()


# --- surveys and distributions ----------------------------------------------------------------
def survey_create(*, questionnaire: Questionnaire, title: str, starts_on: dt.date, ends_on: dt.date,
                  target_rate: Decimal = Decimal(90), period_days: int = 30, user, request=None) -> Survey:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day must not be before the first day.")})
    if not questionnaire.questions.exists():
        raise ValidationError(_("The questionnaire has no questions yet."))
    survey = Survey.objects.create(questionnaire=questionnaire, title=title, starts_on=starts_on, ends_on=ends_on,
                                   target_rate=target_rate, period_days=period_days, created_by=user)
    audit_record("surveys.survey_create", request=request, actor=user, obj=survey)
    return survey


def survey_set_status(*, survey: Survey, status: str, user, request=None) -> Survey:
    if status not in SurveyStatus.values:
        raise ValidationError(_("Unknown status."))
    Survey.objects.filter(pk=survey.pk).update(status=status)
    survey.status = status
    audit_record("surveys.survey_status", request=request, actor=user, obj=survey, detail={"status": status})
    return survey


def distribution_add(*, survey: Survey, unit, ward: str = "", subject: str = "",
                     method: str = DistributionMethod.LINK, user, request=None) -> Distribution:
    distribution = Distribution.objects.create(survey=survey, unit=unit, ward=ward.strip(), subject=subject.strip(),
                                               method=method, token=tokens.new_distribution_token())
    audit_record("surveys.distribution_add", request=request, actor=user, obj=distribution)
    return distribution


@transaction.atomic
def paper_codes_issue(*, distribution: Distribution, count: int, user, request=None) -> list[str]:
    """Make ``count`` one-time codes; the plain codes are returned once and never stored."""
    if distribution.method != DistributionMethod.CODES:
        raise ValidationError(_("This distribution uses an open link, not one-time codes."))
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise ValidationError({"count": _("Issue between 1 and %(n)s codes at a time.") % {"n": MAX_CODES_PER_BATCH}})
    codes: list[str] = []
    hashes: set[str] = set()
    while len(codes) < count:
        code = tokens.new_paper_code()
        digest = tokens.paper_code_hash(code)
        if digest not in hashes:
            hashes.add(digest)
            codes.append(code)
    PaperCode.objects.bulk_create(PaperCode(distribution=distribution, code_hash=h) for h in hashes)
    audit_record("surveys.codes_issue", request=request, actor=user, obj=distribution, detail={"count": count})
    return codes


# --- answering ----------------------------------------------------------------------------------
class Outcome:
    RECORDED = "recorded"
    ALREADY_RECORDED = "already_recorded"  # the same form sent again (retry, double tap)
    DEVICE_ALREADY = "device_already"      # this browser answered here in this period
    CODE_INVALID = "code_invalid"          # unknown or used one-time code
    CLOSED = "closed"


@dataclass(frozen=True)
class AnswerResult:
    outcome: str
    new_device_cookie: str = ""


def distribution_accepts(distribution: Distribution, today: dt.date) -> bool:
    survey = distribution.survey
    return (distribution.active and survey.status == SurveyStatus.OPEN
            and survey.starts_on <= today <= survey.ends_on)


# Period secrets never change while their period lasts, so each process keeps the ones it has
# read (at most a few per open survey); the nightly purge only deletes secrets of past periods.
_SECRETS: dict[tuple[int, int], str] = {}


def _period_secret(survey: Survey, period_index: int) -> str:
    cached = _SECRETS.get((survey.pk, period_index))
    if cached:
        return cached
    secret = PeriodSecret.objects.filter(survey=survey, period_index=period_index).values_list(
        "secret", flat=True).first()
    if not secret:
        try:
            with transaction.atomic():
                secret = PeriodSecret.objects.create(survey=survey, period_index=period_index,
                                                     secret=tokens.new_period_secret()).secret
        except IntegrityError:  # another request made it first
            secret = PeriodSecret.objects.get(survey=survey, period_index=period_index).secret
    if len(_SECRETS) > 1000:
        _SECRETS.clear()
    _SECRETS[(survey.pk, period_index)] = secret
    return secret


def response_submit(*, distribution: Distribution, answers: dict[int, object], form_key: str,
                    device_cookie: str = "", code: str = "", today: dt.date | None = None) -> AnswerResult:
    """Store one anonymous response, at most once per form load, browser/period or paper code.

    ``answers`` maps question ids to an int (choice index or rating) or a str (text), already
    validated by the form. Nothing identifying the person is passed in, so nothing can be stored.
    One transaction; a unique key refuses a repeat (no check-then-insert), and a refusal is told
    apart only on that rare path.
    """
    today = today or timezone.localdate()
    survey = distribution.survey
    if not distribution_accepts(distribution, today):
        return AnswerResult(Outcome.CLOSED)
    key_digest = tokens.form_key_digest(form_key)
    cookie = device_cookie or tokens.new_device_cookie()
    new_cookie = "" if device_cookie else cookie
    period = survey.period_index(today)
    by_link = distribution.method == DistributionMethod.LINK
    secret = _period_secret(survey, period) if by_link else ""
    try:
        with transaction.atomic():
            # The form key first: of twenty identical concurrent posts, nineteen stop here.
            SubmissionKey.objects.create(key=key_digest, created_on=today)
            if by_link:
                DeviceToken.objects.create(survey=survey, period_index=period,
                                           token=tokens.device_token(secret, cookie, distribution.pk))
            else:
                used = PaperCode.objects.filter(distribution=distribution, code_hash=tokens.paper_code_hash(code),
                                                used=False).update(used=True)
                if used != 1:
                    raise _Refused(Outcome.CODE_INVALID)
            response = Response.objects.create(distribution=distribution, survey=survey,
                                               unit_id=distribution.unit_id, answered_on=today)
            Answer.objects.bulk_create(
                Answer(response=response, question_id=question_id,
                       value=value if isinstance(value, int) else None,
                       text=value if isinstance(value, str) else "")
                for question_id, value in answers.items() if value not in (None, ""))
    except _Refused as refused:
        return AnswerResult(refused.outcome, new_cookie)
    except IntegrityError:
        if SubmissionKey.objects.filter(key=key_digest).exists():
            return AnswerResult(Outcome.ALREADY_RECORDED)
        return AnswerResult(Outcome.DEVICE_ALREADY, new_cookie)
    return AnswerResult(Outcome.RECORDED, new_cookie)


class _Refused(Exception):
    def __init__(self, outcome: str):
        super().__init__(outcome)
        self.outcome = outcome


def period_secrets_purge(*, today: dt.date | None = None) -> int:
    """Forget the secrets and tokens of periods that are over, and form keys older than two days.

    After this, a browser cookie of an old period cannot be matched to anything: the
    "one per browser per period" guarantee is kept only while it is needed.
    """
    today = today or timezone.localdate()
    removed = 0
    for survey in Survey.objects.all().only("pk", "starts_on", "period_days"):
        current = survey.period_index(today)
        removed += PeriodSecret.objects.filter(survey=survey, period_index__lt=current).delete()[0]
        removed += DeviceToken.objects.filter(survey=survey, period_index__lt=current).delete()[0]
    removed += SubmissionKey.objects.filter(created_on__lt=today - dt.timedelta(days=2)).delete()[0]
    return removed
