"""Satisfaction surveys: questionnaires, survey runs, distributions, anonymous responses.

Anonymity is a property of the schema (SECURITY-CHECKS 23): a ``Response`` has a random UUID
key, the distribution it answers (unit, ward or person being rated) and the day it was given;
no user, name, phone, IP address, user agent, device identifier, time of day or paper code.
De-duplication lives in tables with no link to responses: ``SubmissionKey`` (one per form
load: a retry or double tap never makes a second response), ``DeviceToken`` (an HMAC of the
browser's random cookie under a per-period secret that is destroyed when the period ends, so
old tokens cannot be joined to anything) and ``PaperCode`` (a keyed hash and a used flag, no
time of use).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scoping import ScopedQuerySet


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    RATING = "rating", _("Rating scale")
    TEXT = "text", _("Text")


class Questionnaire(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("introduction"), blank=True)
    # Set on copies of the built-in templates (住院患者评议医生护士 …).
    template_key = models.CharField(max_length=50, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return self.title

    @property
    def is_locked(self) -> bool:
        """Questions cannot change once answers exist: they would no longer mean what was asked."""
        return Response.objects.filter(survey__questionnaire=self).exists()


class Question(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveIntegerField(_("order"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    required = models.BooleanField(_("required"), default=True)
    # Single choice: the options, in order; an answer stores the option's index (0-based).
    choices = models.JSONField(_("options"), default=list, blank=True)
    # Rating scale: 1..scale_max; an answer stores the rating.
    scale_max = models.PositiveSmallIntegerField(_("highest rating"), default=5)
    # The answers that count as satisfied (option indexes or ratings); empty = not a satisfaction question.
    satisfied = models.JSONField(_("answers counted as satisfied"), default=list, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    @property
    def counts_for_satisfaction(self) -> bool:
        return self.kind != QuestionKind.TEXT and bool(self.satisfied)

    def answer_values(self) -> list[tuple[int, str]]:
        """(stored value, label) of every possible answer of a choice or rating question."""
        if self.kind == QuestionKind.SINGLE:
            return list(enumerate(self.choices))
        if self.kind == QuestionKind.RATING:
            return [(value, str(value)) for value in range(1, self.scale_max + 1)]
        return []


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Taking answers")
    CLOSED = "closed", _("Closed")


class Survey(models.Model):
    """One run of a questionnaire, e.g. 2026年第四季度住院患者满意度调查."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="surveys")
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    status = models.CharField(_("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT)
    target_rate = models.DecimalField(_("target satisfaction rate (%)"), max_digits=5, decimal_places=2,
                                      default=90)
    # An open link accepts one response per browser per distribution in each period of this many days.
    period_days = models.PositiveIntegerField(_("days per answering period"), default=30)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="survey_end_after_start"),
            models.CheckConstraint(condition=Q(period_days__gte=1), name="survey_period_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def period_index(self, day) -> int:
        return max(0, (day - self.starts_on).days // self.period_days)


class DistributionMethod(models.TextChoices):
    LINK = "link", _("Open link / QR code")
    CODES = "codes", _("One-time paper codes")


class Distribution(models.Model):
    """Where a survey is asked: a unit, optionally a ward or a person being rated, by one method."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="distributions")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    ward = models.CharField(_("ward or department"), max_length=100, blank=True)
    subject = models.CharField(_("person or team rated"), max_length=100, blank=True)
    method = models.CharField(_("method"), max_length=10, choices=DistributionMethod.choices,
                              default=DistributionMethod.LINK)
    token = models.CharField(max_length=40, unique=True)
    active = models.BooleanField(_("accepting answers"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_unit_field = "unit"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__order", "unit__name", "ward", "subject", "pk"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")

    def __str__(self) -> str:
        return " · ".join(part for part in (str(self.unit), self.ward, self.subject) if part)


class PaperCode(models.Model):
    """A one-time code handed out on paper: a keyed hash and a used flag, deliberately no time of use."""

    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("one-time code")

    def __str__(self) -> str:
        return f"code {self.pk}"


class Response(models.Model):
    """One anonymous answer sheet: no person, address, device, code or time of day."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    distribution = models.ForeignKey(Distribution, on_delete=models.PROTECT, related_name="responses")
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    answered_on = models.DateField()

    scope_unit_field = "unit"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("response")
        indexes = [models.Index(fields=["survey", "answered_on"]), models.Index(fields=["unit", "answered_on"])]

    def __str__(self) -> str:
        return f"response {self.pk}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")

    def __str__(self) -> str:
        return f"answer {self.pk}"


class SubmissionKey(models.Model):
    """The idempotency key of one form load; no link to the response it produced."""

    key = models.CharField(max_length=64, unique=True)
    created_on = models.DateField()

    def __str__(self) -> str:
        return f"form key {self.pk}"


class PeriodSecret(models.Model):
    """The HMAC key of one answering period; deleted (with its tokens) once the period is over."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    period_index = models.PositiveIntegerField()
    secret = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "period_index"], name="survey_period_secret_once")]

    def __str__(self) -> str:
        return f"period secret {self.survey_id}/{self.period_index}"


class DeviceToken(models.Model):
    """HMAC(period secret, browser cookie, distribution): "this browser answered here this period"."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    period_index = models.PositiveIntegerField()
    token = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "period_index", "token"],
                                               name="survey_device_token_once")]

    def __str__(self) -> str:
        return f"device token {self.pk}"
