"""Outlets, scoring rule sets, news items, adoptions (and claims) and the points ledger.

Points are never typed: every verified adoption is scored by ``publicity.scoring`` with the
rule set in force on its adoption date, and the result is written to the adoption (its own
points and the rule version) and to ``PointEntry`` rows — one per unit that shares the item,
with the month key — so a month's ranking is one aggregate over the ledger.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scoping import ScopedQuerySet


class OutletLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County/district")
    INTERNAL = "internal", _("Internal (within the system)")


# Highest first: the order of the by-level columns and of the "higher-level adoptions" tie-break.
LEVEL_ORDER = [OutletLevel.CENTRAL, OutletLevel.PROVINCE, OutletLevel.CITY, OutletLevel.COUNTY, OutletLevel.INTERNAL]


class OutletKind(models.TextChoices):
    WEBSITE = "website", _("Website")
    NEWSPAPER = "newspaper", _("Newspaper or magazine")
    BULLETIN = "bulletin", _("Internal bulletin")
    TV = "tv", _("Television")
    RADIO = "radio", _("Radio")
    NEW_MEDIA = "new_media", _("New media account")


class PagePosition(models.TextChoices):
    HEADLINE = "headline", _("Front-page headline")
    FRONT = "front", _("Front page / home page")
    INNER = "inner", _("Inner page / other column")


class Outlet(models.Model):
    """Where an item can be adopted: a website, a newspaper, 《卫生信息》, a TV station..."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=OutletLevel.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=OutletKind.choices)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("outlet")
        verbose_name_plural = _("outlets")

    def __str__(self) -> str:
        return self.name


class PublicitySettings(models.Model):
    """Per-campaign switches of the publicity work."""

    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.CASCADE, related_name="publicity_settings")
    requires_leader_approval = models.BooleanField(_("items go through the unit leader first"), default=False)
    duplicate_threshold = models.DecimalField(_("near-duplicate warning threshold"), max_digits=3, decimal_places=2,
                                              default=Decimal("0.60"))

    class Meta:
        verbose_name = _("publicity settings")

    def __str__(self) -> str:
        return str(self.campaign)


class ScoringRuleSet(models.Model):
    """One version of a campaign's scoring rules, in force from ``effective_from``.

    ``rules`` is the JSON form of ``publicity.scoring.Rules`` (validated by ``Rules.from_dict``).
    """

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="scoring_rule_sets")
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    effective_from = models.DateField(_("effective from"))
    rules = models.JSONField(_("rules"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["campaign", "effective_from", "version"]
        verbose_name = _("scoring rule set")
        verbose_name_plural = _("scoring rule sets")
        constraints = [models.UniqueConstraint(fields=["campaign", "version"], name="publicity_ruleset_version_once")]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class NewsItemStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting the unit leader")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned by the unit leader")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class NewsItem(models.Model):
    """An article or brief a unit submits for publicity (新闻信息 / 政务信息 / 稿件)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="news_items")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="news_items")
    title = models.CharField(_("title"), max_length=300)
    body_html = models.TextField(_("text"), blank=True)
    author = models.CharField(_("author"), max_length=200)
    status = models.CharField(_("status"), max_length=20, choices=NewsItemStatus.choices,
                              default=NewsItemStatus.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    month_key = models.PositiveIntegerField(null=True, blank=True)  # yyyymm of submission, for quotas
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("reason"), blank=True)
    # Near-duplicate warning for the office: the most similar item another unit sent first.
    similar_item = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    similarity = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    text_signature = models.TextField(blank=True)  # shingle hashes of the plain text (space separated)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("news item")
        verbose_name_plural = _("news items")
        # Covers the monthly item count (campaign, status, month, unit): an index-only scan.
        indexes = [models.Index(fields=["campaign", "status", "month_key", "unit"], name="publicity_item_month")]

    def __str__(self) -> str:
        return self.title


class NewsItemShare(models.Model):
    """A co-authored item: the share of its points each unit receives (shares sum to 1)."""

    news_item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="shares")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    share = models.DecimalField(_("share"), max_digits=5, decimal_places=4)

    scope_unit_field = "news_item__unit"

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["news_item", "unit"], name="publicity_share_once_per_unit"),
            models.CheckConstraint(condition=Q(share__gt=0) & Q(share__lte=1), name="publicity_share_in_range"),
        ]

    def __str__(self) -> str:
        return f"{self.news_item} · {self.unit} · {self.share}"


class LeaderInstruction(models.Model):
    """A leader's written instruction (领导批示) on an item; bonus counted once per level per item."""

    news_item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="instructions")
    level = models.CharField(_("level"), max_length=10, choices=OutletLevel.choices)
    leader = models.CharField(_("leader"), max_length=200)
    instructed_on = models.DateField(_("date"))
    month_key = models.PositiveIntegerField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "news_item__unit"

    class Meta:
        ordering = ["instructed_on", "pk"]
        verbose_name = _("leader's instruction")

    def __str__(self) -> str:
        return f"{self.news_item} · {self.leader}"


class AdoptionStatus(models.TextChoices):
    CLAIMED = "claimed", _("Claimed, awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")


class Adoption(models.Model):
    """An outlet published an item (采用): recorded by the office, or claimed by the unit and verified."""

    news_item = models.ForeignKey(NewsItem, on_delete=models.PROTECT, related_name="adoptions")
    outlet = models.ForeignKey(Outlet, verbose_name=_("outlet"), on_delete=models.PROTECT, related_name="adoptions")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")  # the item's unit (scoping)
    adopted_on = models.DateField(_("adopted on"))
    month_key = models.PositiveIntegerField()
    position = models.CharField(_("page position"), max_length=10, choices=PagePosition.choices,
                                default=PagePosition.INNER)
    page_or_url = models.CharField(_("page or URL"), max_length=500, blank=True)
    is_headline = models.BooleanField(_("headline"), default=False)
    is_feature_page = models.BooleanField(_("feature page"), default=False)
    has_photo = models.BooleanField(_("with photo"), default=False)
    evidence_file = models.ForeignKey("core.StoredFile", verbose_name=_("evidence"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    evidence_link = models.URLField(_("evidence link"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AdoptionStatus.choices,
                              default=AdoptionStatus.VERIFIED)
    reject_reason = models.TextField(_("reason"), blank=True)
    points = models.DecimalField(_("points"), max_digits=9, decimal_places=2, default=Decimal("0"))
    rule_set = models.ForeignKey(ScoringRuleSet, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    rule_version = models.PositiveIntegerField(_("rule version"), null=True, blank=True)
    breakdown = models.JSONField(default=list, blank=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        ordering = ["-adopted_on", "-pk"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        constraints = [
            # One item counts once per outlet; a rejected claim does not block a correct one.
            models.UniqueConstraint(fields=["news_item", "outlet"], condition=~Q(status="rejected"),
                                    name="publicity_adoption_once_per_outlet"),
        ]

    def __str__(self) -> str:
        return f"{self.news_item} · {self.outlet}"


class EntryKind(models.TextChoices):
    ADOPTION = "adoption", _("Adoption")
    INSTRUCTION = "instruction", _("Leader's instruction")


class PointEntry(models.Model):
    """The points ledger: one unit's share of one adoption or instruction bonus, in one month.

    Written only by ``services.campaign_rescore``/``item_rescore`` from the scoring engine; the
    monthly ranking is one GROUP BY over these rows.
    """

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    news_item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="+")
    adoption = models.ForeignKey(Adoption, null=True, blank=True, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    month_key = models.PositiveIntegerField()
    level = models.CharField(max_length=10, choices=OutletLevel.choices)
    # Hundredths of a point, as an integer: sums are exact and fast on every database.
    points_cents = models.BigIntegerField()
    # 1 on the entry of the item's first counted adoption for this unit (counts "adopted items").
    first_of_item = models.BooleanField(default=False)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        indexes = [models.Index(fields=["campaign", "month_key", "unit"], name="publicity_entry_month")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month_key} {self.points_cents}"


class CommissionKind(models.TextChoices):
    COMMISSIONED = "commissioned", _("Commissioned piece (约稿)")
    URGENT = "urgent", _("Urgent report (紧急信息)")


class Commission(models.Model):
    """A piece the office asked one unit for by a date: late or missing answers cost points."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=CommissionKind.choices)
    title = models.CharField(_("title"), max_length=300)
    due_on = models.DateField(_("due on"))
    month_key = models.PositiveIntegerField()
    answer = models.ForeignKey(NewsItem, verbose_name=_("answered with"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("commissioned piece")

    def __str__(self) -> str:
        return self.title


class Veto(models.Model):
    """一票否决: the unit's month scores zero (e.g. a false report or a serious publicity incident)."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    month_key = models.PositiveIntegerField()
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        verbose_name = _("veto")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "month_key"],
                                               name="publicity_veto_once_per_month")]

    def __str__(self) -> str:
        return f"{self.unit} {self.month_key}"
