"""Escalation of overdue cases, call-backs after closing, and accountability records."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scoping import ScopedQuerySet

from .ladder import LadderStep


class Step(models.TextChoices):
    """The rungs of the ladder, lowest first (the order is the escalation order)."""

    REMINDER = "reminder", _("Reminder to the handler")
    URGE = "urge", _("Urging notice")
    BLUE = "blue", _("Blue notice (reminder)")
    ORANGE = "orange", _("Orange notice (warning)")
    RED = "red", _("Red notice (final warning)")
    REPORT = "report", _("Proposal to circulate a criticism")


STEP_ORDER = [Step.REMINDER, Step.URGE, Step.BLUE, Step.ORANGE, Step.RED, Step.REPORT]
# Steps that produce a printable notice addressed to the unit.
# The issuing office's abbreviation on notice numbers (data, not a UI string).
NUMBER_PREFIX = "效督"
NOTICE_STEPS = frozenset({Step.URGE, Step.BLUE, Step.ORANGE, Step.RED, Step.REPORT})


class LadderConfig(models.Model):
    """The office's settings of the ladder (one row): each step's offset in working days from the
    due date (negative: before it), whether it is used, and the orange notice's reply deadline."""

    reminder_offset = models.SmallIntegerField(_("reminder to the handler"), default=-1)
    urge_offset = models.SmallIntegerField(_("urging notice"), default=1)
    blue_offset = models.SmallIntegerField(_("blue notice"), default=2)
    orange_offset = models.SmallIntegerField(_("orange notice"), default=4)
    red_offset = models.SmallIntegerField(_("red notice"), default=6)
    report_offset = models.SmallIntegerField(_("proposal to circulate a criticism"), default=8)
    reminder_enabled = models.BooleanField(_("send the reminder"), default=True)
    urge_enabled = models.BooleanField(_("send the urging notice"), default=True)
    blue_enabled = models.BooleanField(_("send the blue notice"), default=True)
    orange_enabled = models.BooleanField(_("send the orange notice"), default=True)
    red_enabled = models.BooleanField(_("send the red notice"), default=True)
    report_enabled = models.BooleanField(_("propose a circulated criticism"), default=True)
    orange_reply_days = models.PositiveSmallIntegerField(
        _("working days the unit has to answer an orange notice"), default=2)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("escalation settings")

    def __str__(self) -> str:
        return str(_("escalation settings"))

    def steps(self) -> list[LadderStep]:
        """The enabled steps in ladder order, with their offsets."""
        return [LadderStep(str(step), getattr(self, f"{step}_offset")) for step in STEP_ORDER
                if getattr(self, f"{step}_enabled")]

    def clean(self) -> None:
        steps = self.steps()
        for lower, higher in zip(steps, steps[1:], strict=False):
            if higher.offset <= lower.offset:
                raise ValidationError(_("Each step must come at least one working day after the one before it "
                                        "(%(higher)s after %(lower)s).")
                                      % {"higher": Step(higher.code).label, "lower": Step(lower.code).label})
        if self.reminder_enabled and self.reminder_offset > 0:
            raise ValidationError({"reminder_offset": _("The reminder comes before the deadline (0 or less).")})
        for step in steps:
            if step.code != Step.REMINDER and step.offset < 1:
                raise ValidationError(_("The notices come after the deadline (1 or more)."))
        if not 1 <= self.orange_reply_days <= 30:
            raise ValidationError({"orange_reply_days": _("Between 1 and 30 working days.")})


class AlertStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    SKIPPED = "skipped", _("Skipped (a later step was due)")


class Alert(models.Model):
    """One step of the ladder for one deadline of one case: sent or skipped, never twice."""

    case = models.ForeignKey("feedback.Case", on_delete=models.CASCADE, related_name="escalation_alerts")
    stage = models.CharField(_("stage"), max_length=20)
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    status = models.CharField(_("status"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.SENT)
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    due_at = models.DateTimeField(_("deadline"))
    sent_at = models.DateTimeField(_("sent at"))
    reply_due_on = models.DateField(_("answer due on"), null=True, blank=True)
    recipients = models.JSONField(default=list)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("escalation alert")
        verbose_name_plural = _("escalation alerts")
        constraints = [
            models.UniqueConstraint(fields=["case", "stage", "step"], name="escalation_alert_once_per_step"),
        ]
        indexes = [models.Index(fields=["sent_at"])]

    def __str__(self) -> str:
        return f"{self.notice_number} · {self.get_step_display()}"

    @property
    def notice_number(self) -> str:
        """The notice's reference, e.g. 效督〔2026〕12号 (the row's id keeps it unique)."""
        return f"{NUMBER_PREFIX}〔{timezone.localtime(self.sent_at).year}〕{self.pk}号"

    @property
    def is_notice(self) -> bool:
        return self.step in NOTICE_STEPS and self.status == AlertStatus.SENT


class CallBackOutcome(models.TextChoices):
    SATISFIED = "satisfied", _("Reached: satisfied")
    PARTLY = "partly", _("Reached: partly satisfied")
    UNSATISFIED = "unsatisfied", _("Reached: not satisfied")
    UNREACHABLE = "unreachable", _("Could not be reached")


class CallBack(models.Model):
    """A call-back to the complainant after a case was closed, ticked off by the office."""

    case = models.ForeignKey("feedback.Case", on_delete=models.CASCADE, related_name="callbacks")
    closed_on = models.DateField(_("closed on"))
    due_on = models.DateField(_("call back on"))
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey("org.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=12, choices=CallBackOutcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        ordering = ["done_at", "due_on", "pk"]
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")
        constraints = [
            models.UniqueConstraint(fields=["case", "closed_on"], name="escalation_callback_once_per_closing"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} · {self.due_on}"


class Measure(models.TextChoices):
    TALK = "talk", _("Interview with the unit")
    ADMONITION = "admonition", _("Admonition talk")
    CIRCULATED = "circulated", _("Circulated criticism")
    ORGANISATIONAL = "organisational", _("Organisational measure")
    OTHER = "other", _("Other")


class AccountabilityRecord(models.Model):
    """Who was responsible for an overdue or mishandled case, and what followed (责任追究)."""

    case = models.ForeignKey("feedback.Case", on_delete=models.PROTECT, related_name="accountability_records")
    unit = models.ForeignKey("org.Unit", verbose_name=_("responsible unit"), on_delete=models.PROTECT,
                             related_name="+")
    person = models.ForeignKey("org.User", verbose_name=_("responsible person"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("responsible person (if not a user)"), max_length=100, blank=True)
    measure = models.CharField(_("measure"), max_length=16, choices=Measure.choices)
    measure_other = models.CharField(_("other measure"), max_length=100, blank=True)
    decided_on = models.DateField(_("decided on"))
    reason = models.TextField(_("what went wrong"), max_length=2000)
    created_by = models.ForeignKey("org.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_unit_field = "unit"

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("accountability record")
        verbose_name_plural = _("accountability records")

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_measure_display()}"

    @property
    def measure_label(self) -> str:
        if self.measure == Measure.OTHER and self.measure_other:
            return self.measure_other
        return str(self.get_measure_display())
