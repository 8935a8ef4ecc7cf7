"""Public cases (complaints, reports, suggestions, enquiries, praise), their history and requests.

A case's personal data (name, phone, ID number) is stored only encrypted (``crypto.py``);
``phone_hash`` is a keyed hash for rate limits and look-ups; the tracking code and the secret of an
anonymous report are stored only as keyed hashes. Deadlines are working-day dates per stage,
recomputed by ``services.case_deadlines_refresh`` from the stage starts, approved extensions and
approved pauses.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.scoping import ScopedQuerySet

from .crypto import mask_id_number, mask_name, mask_phone, pii_decrypt


class CaseKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    REPORT = "report", _("Report of misconduct")
    SUGGESTION = "suggestion", _("Suggestion")
    ENQUIRY = "enquiry", _("Enquiry")
    PRAISE = "praise", _("Praise")


class CaseChannel(models.TextChoices):
    WEB = "web", _("Website")
    HOTLINE = "hotline", _("12320 hotline")
    BOX = "box", _("Complaint box")
    MAILBOX = "mailbox", _("Director's mailbox")
    LETTER = "letter", _("Letter")
    MEDIA = "media", _("Media")


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Awaiting acceptance")
    ACCEPTED = "accepted", _("Accepted for handling")
    IN_PROGRESS = "in_progress", _("In progress")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Case closed")
    DECLINED = "declined", _("Declined")


OPEN_STATUSES = (CaseStatus.RECEIVED, CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.REPLIED)


class CaseStage(models.TextChoices):
    ACCEPT = "accept", _("Acceptance")
    REPLY = "reply", _("Reply")
    CLOSE = "close", _("Closing")


class CaseRating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    FAIRLY_SATISFIED = "fairly_satisfied", _("Fairly satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class CaseKindDeadline(models.Model):
    """The office's time limits for one kind of case, in working days (defaults 1 / 5 / 15)."""

    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices, unique=True)
    accept_days = models.PositiveSmallIntegerField(_("accept within (working days)"), default=1)
    reply_days = models.PositiveSmallIntegerField(_("reply within (working days)"), default=5)
    close_days = models.PositiveSmallIntegerField(_("close within (working days)"), default=15)

    class Meta:
        ordering = ["kind"]
        verbose_name = _("case time limit")
        verbose_name_plural = _("case time limits")
        constraints = [models.CheckConstraint(
            condition=Q(accept_days__gte=1) & Q(reply_days__gte=1) & Q(close_days__gte=models.F("reply_days")),
            name="feedback_deadline_days_valid")]

    def __str__(self) -> str:
        return self.get_kind_display()


class Case(models.Model):
    """One case from the public, from filing to closing."""

    number = models.CharField(_("case number"), max_length=20, unique=True)
    # Keyed hashes only: the code and the secret are shown once and never stored in clear.
    tracking_code_hash = models.CharField(max_length=64, unique=True)
    secret_hash = models.CharField(max_length=64, blank=True)
    # One case per loaded form: a double click or a network retry finds the first case again.
    submission_key_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)

    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=CaseChannel.choices, default=CaseChannel.WEB)
    # The unit the case is about; null = "not sure which unit".
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit concerned"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="cases_about")
    # The unit handling it (scoping: a unit sees the cases assigned to it).
    assignee_unit = models.ForeignKey("org.Unit", verbose_name=_("handling unit"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="cases_assigned")
    what = models.TextField(_("what happened"))
    happened_on = models.DateField(_("when"), null=True, blank=True)
    where = models.CharField(_("where"), max_length=200, blank=True)

    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    name_encrypted = models.TextField(blank=True)
    phone_encrypted = models.TextField(blank=True)
    id_number_encrypted = models.TextField(blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True)

    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECEIVED,
                              db_index=True)
    first_responder = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("first responder"), null=True,
                                        blank=True, on_delete=models.PROTECT, related_name="+")
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    received_at = models.DateTimeField(_("received at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    declined_at = models.DateTimeField(_("declined at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    reply = models.TextField(_("reply"), blank=True)

    # Time limits: working days of this case's kind at filing, the due dates they give, and what moves them.
    accept_days = models.PositiveSmallIntegerField(default=1)
    reply_days = models.PositiveSmallIntegerField(default=5)
    close_days = models.PositiveSmallIntegerField(default=15)
    accept_due = models.DateField(_("accept by"), null=True, blank=True)
    reply_due = models.DateField(_("reply by"), null=True, blank=True)
    close_due = models.DateField(_("close by"), null=True, blank=True)
    reply_extension_days = models.PositiveSmallIntegerField(default=0)
    close_extension_days = models.PositiveSmallIntegerField(default=0)
    # An approved pause (waiting for the complainant): working days already paused, and the open pause.
    paused_working_days = models.PositiveSmallIntegerField(default=0)
    paused_since = models.DateTimeField(_("paused since"), null=True, blank=True)
    pause_reason = models.CharField(_("reason for the pause"), max_length=300, blank=True)

    reopened = models.BooleanField(_("reopened"), default=False)
    reopened_at = models.DateTimeField(_("reopened at"), null=True, blank=True)
    rating = models.CharField(_("rating"), max_length=20, choices=CaseRating.choices, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_field = "assignee_unit"

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["status", "received_at"]), models.Index(fields=["kind", "received_at"])]
        constraints = [models.CheckConstraint(condition=Q(is_anonymous=False) | Q(kind="report"),
                                              name="feedback_only_reports_anonymous")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    # Masked personal data: what every page, list, export and log line shows.
    @property
    def phone_masked(self) -> str:
        return mask_phone(pii_decrypt(self.phone_encrypted)) if self.phone_encrypted else ""

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(pii_decrypt(self.id_number_encrypted)) if self.id_number_encrypted else ""

    @property
    def name_masked(self) -> str:
        return mask_name(pii_decrypt(self.name_encrypted)) if self.name_encrypted else ""


class CaseEvent(models.Model):
    """One line of a case's history; ``is_public`` lines are shown on the tracking page."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(blank=True)
    is_public = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_field = "case__assignee_unit"

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class CaseRequestKind(models.TextChoices):
    EXTENSION = "extension", _("Extension")
    PAUSE = "pause", _("Pause (waiting for the complainant)")


class CaseRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CaseRequest(models.Model):
    """A unit's request to extend a stage's deadline or to pause the clock; the office decides."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="requests")
    kind = models.CharField(_("request"), max_length=20, choices=CaseRequestKind.choices)
    stage = models.CharField(_("stage"), max_length=10, choices=CaseStage.choices)
    days = models.PositiveSmallIntegerField(_("extra working days"), default=0)
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=CaseRequestStatus.choices,
                              default=CaseRequestStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    scope_unit_field = "case__assignee_unit"

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("case request")
        verbose_name_plural = _("case requests")
        constraints = [models.UniqueConstraint(fields=["case", "kind"], condition=Q(status="pending"),
                                               name="feedback_one_pending_request_per_kind")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"
