"""Inspection visits and their findings, problems and their rectification, targets and indicator values."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scoping import ScopedQuerySet


class VisitKind(models.TextChoices):
    OPEN = "open", _("Open inspection")
    COVERT = "covert", _("Covert inspection")


class InspectionVisit(models.Model):
    """明察暗访: a visit to one unit, by a team, that records findings."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit visited"), on_delete=models.PROTECT,
                             related_name="+")
    visit_date = models.DateField(_("date of the visit"))
    kind = models.CharField(_("kind"), max_length=10, choices=VisitKind.choices, default=VisitKind.OPEN)
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("team"), blank=True, related_name="+")
    team_note = models.CharField(_("others in the team"), max_length=200, blank=True,
                                 help_text=_("e.g. a third-party agency engaged for covert visits"))
    summary = models.TextField(_("summary"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        ordering = ["-visit_date", "-pk"]
        verbose_name = _("inspection visit")
        verbose_name_plural = _("inspection visits")

    def __str__(self) -> str:
        return f"{self.visit_date:%Y-%m-%d} {self.get_kind_display()} · {self.unit}"


class Finding(models.Model):
    """Something a visit found; photos are stored files linked to it."""

    visit = models.ForeignKey(InspectionVisit, on_delete=models.CASCADE, related_name="findings")
    description = models.TextField(_("finding"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "visit__unit"

    class Meta:
        ordering = ["pk"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")

    def __str__(self) -> str:
        return self.description[:50]


class ProblemSource(models.TextChoices):
    SELF_INSPECTION = "self_inspection", _("Self-inspection")
    VISIT = "visit", _("Inspection visit")
    ROUND = "round", _("Assessment round")
    PUBLIC_CASE = "public_case", _("Public case")
    SURVEY = "survey", _("Satisfaction survey")
    OTHER = "other", _("Other")


class ProblemStatus(models.TextChoices):
    OPEN = "open", _("Being rectified")
    SUBMITTED = "submitted", _("Awaiting verification")
    CLOSED = "closed", _("Rectified and closed")


class FourCheck(models.TextChoices):
    """四个不放过: closing a problem needs all four recorded."""

    FACTS = "facts", _("Facts established")
    RESPONSIBILITY = "responsibility", _("Responsibility assigned")
    HANDLED = "handled", _("Handled")
    RECTIFIED = "rectified", _("Rectified")


class Problem(models.Model):
    """A problem found (查摆问题) and its rectification (整改), owned by one unit."""

    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    source = models.CharField(_("source"), max_length=20, choices=ProblemSource.choices,
                              default=ProblemSource.SELF_INSPECTION)
    source_ref = models.CharField(_("reference"), max_length=200, blank=True,
                                  help_text=_("e.g. the visit, round or case it came from"))
    finding = models.OneToOneField(Finding, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="problem")
    description = models.TextField(_("problem"))
    measures = models.TextField(_("rectification measures"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("person responsible"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    due_date = models.DateField(_("rectify by"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ProblemStatus.choices,
                              default=ProblemStatus.OPEN, db_index=True)
    is_public = models.BooleanField(_("shown on the public wall"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("problem")
        verbose_name_plural = _("problems")

    def __str__(self) -> str:
        return self.description[:50]


class ProblemCheck(models.Model):
    """One of the four checks recorded for a problem, with what establishes it."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(_("check"), max_length=20, choices=FourCheck.choices)
    note = models.TextField(_("how it was done"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "problem__unit"

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["problem", "kind"], name="supervision_check_once")]

    def __str__(self) -> str:
        return self.get_kind_display()


class UpdateKind(models.TextChoices):
    CREATED = "created", _("Problem recorded")
    PROGRESS = "progress", _("Progress")
    CHECK = "check", _("Check recorded")
    SUBMITTED = "submitted", _("Sent for verification")
    RETURNED = "returned", _("Returned by the office")
    VERIFIED = "verified", _("Verified and closed")
    PUBLISHED = "published", _("Put on the public wall")
    UNPUBLISHED = "unpublished", _("Taken off the public wall")
    CHANGED = "changed", _("Details changed")


class ProblemUpdate(models.Model):
    """The problem's history: progress reports (with evidence files linked) and each change of state."""

    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=12, choices=UpdateKind.choices, default=UpdateKind.PROGRESS)
    text = models.TextField(_("progress"), blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "problem__unit"

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.text[:30]}"


class Operator(models.TextChoices):
    GE = ">=", _("at least (以上, inclusive)")
    GT = ">", _("more than (超过, exclusive)")
    LE = "<=", _("at most (以下/以内, inclusive)")
    LT = "<", _("less than (低于/不满, exclusive)")
    EQ = "=", _("exactly")


class Computation(models.TextChoices):
    REPORTED = "", _("Reported by the units")
    ON_TIME_RATE = "on_time_rate", _("On-time submission rate (computed)")
    PUBLICITY_ITEMS = "publicity_items", _("News items submitted (computed)")
    PUBLICITY_ADOPTIONS = "publicity_adoptions", _("News items adopted (computed)")
    PUBLICITY_POINTS = "publicity_points", _("Publicity points (computed)")


class Target(models.Model):
    """A campaign's quantitative goal: indicator, comparison, value and unit of measure, for a period."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="targets")
    indicator = models.CharField(_("indicator"), max_length=200)
    operator = models.CharField(_("comparison"), max_length=2, choices=Operator.choices, default=Operator.GE)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=20, blank=True)
    period = models.CharField(_("period"), max_length=50, blank=True)
    computed_by = models.CharField(_("measured by"), max_length=30, choices=Computation.choices, blank=True,
                                   default=Computation.REPORTED)
    source_span = models.TextField(_("text of the plan"), blank=True)
    order = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.indicator} {self.operator} {self.value.normalize():f}{self.unit_of_measure}"


class IndicatorValue(models.Model):
    """A measured value of a target for one unit (or the whole area when unit is empty) and period.

    A rate may be given as a count over a population (3 maternal deaths in 12,000 births): the
    numerator and denominator are kept and the rate computed, never typed twice.
    """

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    period = models.CharField(_("period"), max_length=50, blank=True)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=6, null=True, blank=True)
    value_unit = models.CharField(_("unit of the value"), max_length=20, blank=True)
    numerator = models.DecimalField(_("count"), max_digits=18, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("out of"), max_digits=18, decimal_places=4, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reported_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        ordering = ["target", "unit__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["target", "unit", "period"], name="supervision_value_once"),
            models.UniqueConstraint(fields=["target", "period"], condition=Q(unit__isnull=True),
                                    name="supervision_area_value_once"),
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.unit or '-'}"
