"""Published monthly rankings: a frozen snapshot per revision, and the bulletin (.docx) made from it.

A month of a campaign is published once (one ``Publication`` per campaign and month, enforced
by the database). Each ``Revision`` keeps the ranking exactly as it was published, as JSON,
and the bulletin's bytes: later corrections in publicity change the live ranking, never a
revision. A correction is published as a new, numbered revision that says what changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Publication(models.Model):
    """A month of a campaign whose ranking the office has published."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="+")
    year = models.PositiveIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200)
    number = models.CharField(_("document number"), max_length=100, blank=True)
    recipients = models.CharField(_("recipients"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-month", "-pk"]
        verbose_name = _("published ranking")
        verbose_name_plural = _("published rankings")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "year", "month"], name="bulletin_publication_once_per_month"),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="bulletin_publication_month_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} {self.year}-{self.month:02d}"

    @property
    def latest_revision(self) -> Revision | None:
        return self.revisions.order_by("-number").first()


class Revision(models.Model):
    """One published version of a month's ranking: frozen snapshot, bulletin bytes, what changed."""

    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    issued_on = models.DateField(_("date of the bulletin"))
    note = models.TextField(_("what changed"), blank=True)
    # The MonthRanking as published (see snapshot.py); never rewritten.
    snapshot = models.JSONField()
    # Per unit: what differs from the previous revision (empty for the first).
    changes = models.JSONField(default=list, blank=True)
    docx = models.BinaryField()
    docx_sha256 = models.CharField(max_length=64)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        ordering = ["publication", "-number"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [models.UniqueConstraint(fields=["publication", "number"], name="bulletin_revision_number_once")]

    def __str__(self) -> str:
        return f"{self.publication} r{self.number}"
