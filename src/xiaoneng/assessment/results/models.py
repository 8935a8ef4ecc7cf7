"""What results must store: the office's composite weights (each change a new version) and publications.

Totals, means, composites and ranks are never stored as typed numbers: they are recomputed
from the settled scores (and the other sources) each time. A publication is the exception the
public relies on: a frozen snapshot of what was published, so a later correction shows as a
new publication instead of silently changing what people read.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

WEIGHT_FIELD = {"max_digits": 5, "decimal_places": 2, "default": Decimal("0"),
                "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]}


class CompositeWeights(models.Model):
    """One version of the weights of a campaign's composite result; the newest version applies."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="composite_weights")
    version = models.PositiveIntegerField(_("version"))
    assessment = models.DecimalField(_("assessment final"), **WEIGHT_FIELD)
    publicity = models.DecimalField(_("publicity points"), **WEIGHT_FIELD)
    on_time = models.DecimalField(_("on-time submission rate"), **WEIGHT_FIELD)
    satisfaction = models.DecimalField(_("satisfaction rate"), **WEIGHT_FIELD)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)

    class Meta:
        ordering = ["campaign", "-version"]
        verbose_name = _("composite weights")
        verbose_name_plural = _("composite weights")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "version"], name="results_weights_version_once"),
            models.CheckConstraint(
                condition=models.Q(assessment__gte=0, publicity__gte=0, on_time__gte=0, satisfaction__gte=0),
                name="results_weights_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} v{self.version}"

    def as_dict(self) -> dict[str, Decimal]:
        return {"assessment": self.assessment, "publicity": self.publicity, "on_time": self.on_time,
                "satisfaction": self.satisfaction}


class PublicationKind(models.TextChoices):
    FINAL = "final", _("Final assessment results")
    COMPOSITE = "composite", _("Composite results")


class Publication(models.Model):
    """Results as published (frozen): unit names, ranks and figures, no personal data."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="result_publications")
    kind = models.CharField(_("kind"), max_length=10, choices=PublicationKind.choices, default=PublicationKind.FINAL)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    title = models.CharField(_("publication title"), max_length=200)
    # {"rounds": [...], "groups": [{"name":..., "rows": [{"rank":..., "unit":..., "final":..., ...}]}],
    #  "tie_break": "...", "weights": {...}}: strings only, exactly as shown when published.
    snapshot = models.JSONField(default=dict)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("published results")
        verbose_name_plural = _("published results")
        constraints = [models.UniqueConstraint(fields=["campaign", "kind", "revision"],
                                               name="results_publication_revision_once")]

    def __str__(self) -> str:
        return self.title
