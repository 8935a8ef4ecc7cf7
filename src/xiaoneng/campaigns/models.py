"""Campaigns, phases, tasks, obligations, due items, submissions and reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scoping import ScopedQuerySet

from .schedule import Frequency


class CampaignKind(models.TextChoices):
    EFFICIENCY_YEAR = "efficiency_year", _("Efficiency year")
    CIVILISATION = "civilisation", _("Civilisation campaign")
    QUALITY_SERVICE = "quality_service", _("Quality service year")
    PUBLICITY = "publicity", _("Publicity plan")
    OTHER = "other", _("Other campaign")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Running")
    CLOSED = "closed", _("Closed")


class Campaign(models.Model):
    """A campaign and the plan that defines it; a template is a campaign others are copied from."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CampaignKind.choices, default=CampaignKind.OTHER)
    year = models.PositiveIntegerField(_("year"))
    description = models.TextField(_("description"), blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices,
                              default=CampaignStatus.ACTIVE)
    plan_file = models.ForeignKey("core.StoredFile", verbose_name=_("plan document"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    is_template = models.BooleanField(_("template"), default=False)
    # Set on the built-in templates, so they are created once and found again.
    template_key = models.CharField(max_length=50, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                              name="campaign_end_after_start")]

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    """A named date range of a campaign (宣传发动, 组织实施, 查摆整改, 总结验收)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "start_date", "pk"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                              name="phase_end_after_start")]

    def __str__(self) -> str:
        return self.name


class AssignTo(models.TextChoices):
    ALL = "all", _("All units")
    GROUP = "group", _("A ranking group")
    LIST = "list", _("Chosen units")


class Assignable(models.Model):
    """Which units something applies to: all reporting units, one ranking group, or a list."""

    assign_to = models.CharField(_("assigned to"), max_length=10, choices=AssignTo.choices, default=AssignTo.ALL)
    ranking_group = models.ForeignKey("org.RankingGroup", verbose_name=_("ranking group"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    units = models.ManyToManyField("org.Unit", verbose_name=_("units"), blank=True, related_name="+")

    class Meta:
        abstract = True


class Task(Assignable):
    """Something a set of units must do."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    phase = models.ForeignKey(Phase, verbose_name=_("phase"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="tasks")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")

    def __str__(self) -> str:
        return self.title


class FrequencyChoice(models.TextChoices):
    ONCE = Frequency.ONCE, _("Once, by a date")
    WEEKLY = Frequency.WEEKLY, _("Every week")
    MONTHLY = Frequency.MONTHLY, _("Every month, for the previous month")
    QUARTERLY = Frequency.QUARTERLY, _("Every quarter")
    HALF_YEARLY = Frequency.HALF_YEARLY, _("Every half year")
    YEARLY = Frequency.YEARLY, _("Yearly, in the months named")
    RELATIVE = Frequency.RELATIVE, _("Relative to a phase or another obligation")


class AnchorChoice(models.TextChoices):
    PHASE_START = "phase_start", _("after a phase starts")
    PHASE_END = "phase_end", _("after a phase ends")
    OBLIGATION = "obligation", _("after another obligation is due")


class Obligation(Assignable):
    """A report due from units, with the form to use and the schedule it is due on."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="obligations")
    task = models.ForeignKey(Task, verbose_name=_("task"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="obligations")
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    form_name = models.CharField(_("form"), max_length=100, blank=True, help_text=_("e.g. 附表1"))
    is_contact_form = models.BooleanField(_("contact form (附表1)"), default=False)
    requires_leader_approval = models.BooleanField(_("unit leader approves first"), default=False)
    frequency = models.CharField(_("schedule"), max_length=12, choices=FrequencyChoice.choices,
                                 default=FrequencyChoice.ONCE)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    months = models.JSONField(_("months"), default=list, blank=True)
    offset = models.PositiveIntegerField(_("after how many days"), default=0)
    working_days = models.BooleanField(_("count working days"), default=False)
    anchor = models.CharField(_("counted from"), max_length=12, choices=AnchorChoice.choices, blank=True)
    anchor_phase = models.ForeignKey(Phase, verbose_name=_("phase"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     help_text=_("Leave empty for every phase."))
    anchor_obligation = models.ForeignKey("self", verbose_name=_("obligation"), null=True, blank=True,
                                          on_delete=models.SET_NULL, related_name="dependents")
    shift_holidays = models.BooleanField(_("move to the next working day when due on a day off"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")

    def __str__(self) -> str:
        return self.title


class DueItemState(models.TextChoices):
    OPEN = "open", _("Due")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DueItem(models.Model):
    """One unit's one report for one period: e.g. January's report, due 5 February."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="due_items")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="due_items")
    period_key = models.CharField(max_length=40)
    label = models.CharField(_("period"), max_length=100, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    due_date = models.DateField(_("due date"), db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=DueItemState.choices, default=DueItemState.OPEN)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("due item")
        verbose_name_plural = _("due items")
        constraints = [models.UniqueConstraint(fields=["obligation", "unit", "period_key"],
                                               name="due_item_once_per_period")]

    def __str__(self) -> str:
        return f"{self.obligation} {self.label}".strip()


class SubmissionStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting the unit leader")
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Submission(models.Model):
    """What a unit sent for a due item. A resubmission is a new row; the earlier ones are its history."""

    due_item = models.ForeignKey(DueItem, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="submissions")
    text = models.TextField(_("text"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=SubmissionStatus.choices)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("comment"), blank=True)
    is_on_time = models.BooleanField(_("on time"), default=True)
    late_working_days = models.PositiveIntegerField(_("working days late"), default=0)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")

    def __str__(self) -> str:
        return f"{self.due_item} · {self.get_status_display()}"


class ReminderStage(models.TextChoices):
    BEFORE = "before", _("Due soon")
    ON_DAY = "on_day", _("Due today")
    OVERDUE = "overdue", _("Overdue")


class Reminder(models.Model):
    """A reminder sent for a due item at one stage; the unique key makes sending twice impossible."""

    due_item = models.ForeignKey(DueItem, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=10, choices=ReminderStage.choices)
    sent_at = models.DateTimeField()
    recipients = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["due_item", "stage"], name="reminder_once_per_stage")]

    def __str__(self) -> str:
        return f"{self.due_item} · {self.stage}"


class UnitContact(models.Model):
    """附表1: the unit's leader in charge and liaison for a campaign, as the unit filled it in."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="contacts")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    leader_name = models.CharField(_("leader in charge"), max_length=50)
    leader_title = models.CharField(_("leader's title"), max_length=100, blank=True)
    leader_phone = models.CharField(_("leader's phone"), max_length=30, blank=True)
    liaison_name = models.CharField(_("liaison"), max_length=50)
    liaison_title = models.CharField(_("liaison's title"), max_length=100, blank=True)
    liaison_phone = models.CharField(_("liaison's phone"), max_length=30, blank=True)
    liaison_email = models.EmailField(_("liaison's e-mail"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        verbose_name = _("contact form")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="contact_once_per_unit")]

    def __str__(self) -> str:
        return f"{self.campaign} · {self.unit}"
