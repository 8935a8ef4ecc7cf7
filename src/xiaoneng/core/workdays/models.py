"""The office's additions to China's official working-day calendar.

The ``chinese_calendar`` package supplies the years it knows; a ``CalendarDay`` row overrides
it for one date (an imported State Council schedule, or a day the office set by hand).
``CalendarVersion`` is a single row whose token changes with every write, so each process
knows when its cached copy of the rows is stale.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    WORKDAY = "workday", _("Working day")
    HOLIDAY = "holiday", _("Holiday")
    ADJUSTED_WORKDAY = "adjusted_workday", _("Adjusted working day")


class DaySource(models.TextChoices):
    PACKAGE = "package", _("Built-in calendar")
    IMPORT = "import", _("Imported schedule")
    MANUAL = "manual", _("Set by the office")


class CalendarDay(models.Model):
    """One date whose status differs from (or confirms) the built-in calendar."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("e.g. 春节, 国庆节"))
    source = models.CharField(_("source"), max_length=10, choices=DaySource.choices, default=DaySource.MANUAL)
    # The year of the official schedule an imported row came from (a notice may set a day of
    # the year before, e.g. a Saturday in late December worked for New Year's Day).
    import_year = models.PositiveSmallIntegerField(_("schedule year"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        indexes = [models.Index(fields=["import_year"], name="workdays_day_import_year")]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()}{' ' + self.name if self.name else ''}"

    @property
    def is_working(self) -> bool:
        return self.kind != DayKind.HOLIDAY


class CalendarVersion(models.Model):
    """A single row: its token changes whenever a calendar day changes (cache invalidation)."""

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar version")

    def __str__(self) -> str:
        return self.token
