"""Forms of the calendar screens: one day set by hand, and an official schedule to import."""

from __future__ import annotations

import hashlib

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import DayKind
from .parsing import ScheduleParseError, parse_schedule

MAX_SCHEDULE_BYTES = 256 * 1024  # a notice is a few KB; a year of CSV rows far less than this


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}),
                             help_text=_("A Saturday or Sunday marked as a working day becomes an adjusted working day."))
    name = forms.CharField(label=_("Name"), max_length=100, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control", "placeholder": "春节"}))
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control"}))


class CalendarResetForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput)


def schedule_digest(year: int, text: str) -> str:
    """Ties a confirmation to the exact text and year that were previewed."""
    return hashlib.sha256(f"{settings.SECRET_KEY}\n{year}\n{text}".encode()).hexdigest()


class ScheduleImportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"class": "form-control"}))
    text = forms.CharField(
        label=_("Text of the notice"), required=False, max_length=MAX_SCHEDULE_BYTES,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 10}),
        help_text=_("Paste the State Council notice (国务院办公厅关于部分节假日安排的通知), or lines of "
                    "date,kind,name."),
    )
    file = forms.FileField(label=_("Or a file (.txt or .csv)"), required=False,
                           widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".txt,.csv"}))
    digest = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if not upload.name.lower().endswith((".txt", ".csv")):
            raise forms.ValidationError(_("Choose a .txt or .csv file."))
        if upload.size > MAX_SCHEDULE_BYTES:
            raise forms.ValidationError(_("The file is too large for a holiday schedule."))
        raw = upload.read()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise forms.ValidationError(_("The file is not text in UTF-8 or GB18030."))

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        text = cleaned.get("file") or cleaned.get("text") or ""
        text = text.replace("\r\n", "\n").strip()
        cleaned["text"] = text
        # What the office sees after a preview is what the file contained.
        self.data = self.data.copy()
        self.data["text"] = text
        try:
            cleaned["schedule"] = parse_schedule(text, cleaned["year"])
        except ScheduleParseError as error:
            self.add_error("text", str(error))
            return cleaned
        cleaned["expected_digest"] = schedule_digest(cleaned["year"], text)
        return cleaned
