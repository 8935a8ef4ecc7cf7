"""Assessment schemes (trees of criteria), rounds, inspection teams, score sheets and settled scores.

A scheme is a tree of two levels: categories (``parent`` is null) and the items under them; only
items are scored. A scheme used by a started round is frozen: editing it makes a new version (a
copy in the same family) and the round keeps the version it started with.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scoping import ScopedQuerySet


class Scheme(models.Model):
    """An assessment scheme (考核细则 / 督查考核标准): one version of a family of schemes."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Every version of "the same" scheme shares a family; versions count 1, 2, 3...
    family = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    parent_scheme = models.ForeignKey("self", verbose_name=_("copied from"), null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="copies")
    frozen = models.BooleanField(_("frozen"), default=False,
                                 help_text=_("Used by a started round: editing makes a new version."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "-version", "pk"]
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        constraints = [models.UniqueConstraint(fields=["family", "version"], name="assessment_scheme_version_once")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Criterion(models.Model):
    """A category (no parent) or an item of a scheme, with its maximum points and scoring rules."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey("self", verbose_name=_("category"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="children")
    order = models.PositiveIntegerField(_("order"), default=0)
    code = models.CharField(_("number"), max_length=20, blank=True)
    title = models.CharField(_("assessment content"), max_length=500)
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2, default=Decimal("0"),
                                     validators=[MinValueValidator(Decimal("0"))])
    step = models.DecimalField(_("scoring step"), max_digits=6, decimal_places=2, default=Decimal("1"),
                               validators=[MinValueValidator(Decimal("0.01"))],
                               help_text=_("Points are given in multiples of the step, e.g. 0.5."))
    guidance = models.TextField(_("scoring guidance"), blank=True)
    evidence_required = models.TextField(_("evidence required"), blank=True)
    note_required = models.BooleanField(_("note required"), default=False,
                                        help_text=_("An inspector who gives less than the maximum must say why."))

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gte=0), name="assessment_criterion_max_not_negative"),
            models.CheckConstraint(condition=Q(step__gt=0), name="assessment_criterion_step_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()

    @property
    def is_category(self) -> bool:
        return self.parent_id is None


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for scoring")
    CLOSED = "closed", _("Closed for scoring")
    LOCKED = "locked", _("Locked")


class Round(models.Model):
    """One assessment pass (轮次) of a campaign with one scheme version."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.CASCADE,
                                 related_name="assessment_rounds")
    scheme = models.ForeignKey(Scheme, verbose_name=_("assessment scheme"), on_delete=models.PROTECT,
                               related_name="rounds")
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("scoring closed at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "order", "pk"]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        constraints = [models.UniqueConstraint(fields=["campaign", "order"], name="assessment_round_order_once")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.status == RoundStatus.LOCKED

    @property
    def is_started(self) -> bool:
        return self.status != RoundStatus.DRAFT


class Team(models.Model):
    """An inspection team (督查组) of a round: a leader and members, all inspectors."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=100)
    leader = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("team leader"), on_delete=models.PROTECT,
                               related_name="led_assessment_teams")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("members"), blank=True,
                                     related_name="assessment_teams")

    class Meta:
        ordering = ["round", "name", "pk"]
        verbose_name = _("inspection team")
        verbose_name_plural = _("inspection teams")
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="assessment_team_name_once")]

    def __str__(self) -> str:
        return self.name


class RoundUnit(models.Model):
    """A unit that takes part in a round, and the team that inspects it."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_units")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="assessment_round_units")
    team = models.ForeignKey(Team, verbose_name=_("inspection team"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="round_units")
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        ordering = ["round", "unit__order", "unit__name"]
        verbose_name = _("unit in a round")
        verbose_name_plural = _("units in a round")
        constraints = [models.UniqueConstraint(fields=["round", "unit"], name="assessment_round_unit_once")]

    def __str__(self) -> str:
        return f"{self.round} · {self.unit}"


class ScoreSheet(models.Model):
    """One inspector's scores for one unit in one round."""

    round_unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="sheets")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT,
                                  related_name="assessment_sheets")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "round_unit__unit"

    class Meta:
        ordering = ["round_unit", "pk"]
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [models.UniqueConstraint(fields=["round_unit", "inspector"],
                                               name="assessment_sheet_once_per_inspector")]

    def __str__(self) -> str:
        return f"{self.round_unit} · {self.inspector}"


class Score(models.Model):
    """The points (and note) an inspector gives for one item."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2, null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "sheet__round_unit__unit"

    class Meta:
        ordering = ["criterion__parent__order", "criterion__order", "pk"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["sheet", "criterion"], name="assessment_score_once")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.points}"


class ScorePhoto(models.Model):
    """A photo taken as evidence for a score (the bytes are a checked StoredFile of the inspected unit)."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="photos")
    file = models.ForeignKey("core.StoredFile", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "score__sheet__round_unit__unit"

    class Meta:
        ordering = ["pk"]
        verbose_name = _("score photo")
        verbose_name_plural = _("score photos")

    def __str__(self) -> str:
        return str(self.file_id)


class ScoreChange(models.Model):
    """One change sent by a phone, by its client-made idempotency key: a retry never applies twice."""

    key = models.UUIDField(unique=True)
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="changes")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    # The criterion's whole state as the phone had it (points as typed, note): a later change
    # carries everything, so an earlier one refused or lost leaves nothing behind.
    points_text = models.CharField(max_length=50, blank=True)
    note = models.TextField(blank=True)
    ok = models.BooleanField(default=True)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.key)


class SettledScore(models.Model):
    """The one result per item for a unit in a round (the team leader's, or the only inspector's)."""

    round_unit = models.ForeignKey(RoundUnit, on_delete=models.CASCADE, related_name="settled_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="settled_scores")
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    settled_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "round_unit__unit"

    class Meta:
        ordering = ["round_unit", "criterion__parent__order", "criterion__order"]
        verbose_name = _("settled score")
        verbose_name_plural = _("settled scores")
        constraints = [models.UniqueConstraint(fields=["round_unit", "criterion"], name="assessment_settled_once")]

    def __str__(self) -> str:
        return f"{self.round_unit} {self.criterion}: {self.points}"
