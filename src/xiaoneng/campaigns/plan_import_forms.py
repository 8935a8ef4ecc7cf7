"""Forms of the plan import screens: the upload, and the review of what was read from the plan."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from .plan_import import SCHEDULE_KINDS, item_title, parse_day, task_headings

KIND_LABELS = {
    "phase": _("Phase"), "deadline": _("Deadline"), "recurring": _("Recurring"),
    "relative": _("Relative"), "event": _("Event"),
}
KIND_CHOICES = [("", "—"), *((kind, KIND_LABELS[kind]) for kind in SCHEDULE_KINDS)]
FREQ_CHOICES = [("", "—"), ("weekly", _("Every week")), ("monthly", _("Every month")),
                ("quarterly", _("Every quarter")), ("half-yearly", _("Every half year")), ("yearly", _("Yearly"))]
ANCHOR_CHOICES = [("", "—"), ("phase_end", _("after a phase ends")), ("phase_start", _("after a phase starts")),
                  ("event", _("after an event")), ("receipt", _("after receipt"))]
SMALL = {"class": "form-control form-control-sm"}
SELECT = {"class": "form-select form-select-sm"}
CHECK = forms.CheckboxInput(attrs={"class": "form-check-input"})


class PlanUploadForm(forms.Form):
    file = forms.FileField(label=_("Work plan (.txt, .docx or .pdf)"),
                           widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".txt,.docx,.pdf"}))


class PlanMetaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, widget=forms.TextInput(attrs=SMALL))
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100,
                              widget=forms.NumberInput(attrs=SMALL))


class ScheduleItemForm(forms.Form):
    source = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, required=False,
                             widget=forms.Select(attrs=SELECT))
    text = forms.CharField(label=_("Text"), required=False, max_length=500, widget=forms.TextInput(attrs=SMALL))
    name = forms.CharField(label=_("Name"), required=False, max_length=300, widget=forms.TextInput(attrs=SMALL))
    start = forms.CharField(label=_("Start"), required=False, max_length=10, widget=forms.TextInput(attrs=SMALL))
    end = forms.CharField(label=_("End"), required=False, max_length=10, widget=forms.TextInput(attrs=SMALL))
    freq = forms.ChoiceField(label=_("Frequency"), choices=FREQ_CHOICES, required=False,
                             widget=forms.Select(attrs=SELECT))
    day = forms.IntegerField(label=_("Day"), required=False, min_value=1, max_value=31,
                             widget=forms.NumberInput(attrs=SMALL))
    months = forms.CharField(label=_("Months"), required=False, max_length=40, widget=forms.TextInput(attrs=SMALL))
    anchor = forms.ChoiceField(label=_("Counted from"), choices=ANCHOR_CHOICES, required=False,
                               widget=forms.Select(attrs=SELECT))
    days = forms.IntegerField(label=_("Days"), required=False, min_value=0, max_value=366,
                              widget=forms.NumberInput(attrs=SMALL))
    workdays = forms.BooleanField(label=_("Working days"), required=False, widget=CHECK)
    delete = forms.BooleanField(label=_("Delete"), required=False, widget=CHECK)

    def _date(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if value:
            try:
                parse_day(value, 2000)
            except ValueError:
                raise forms.ValidationError(_("Enter a date as YYYY-MM-DD (or --MM-DD when the year is unknown)."),
                                            code="invalid_date") from None
        return value

    def clean_start(self) -> str:
        return self._date("start")

    def clean_end(self) -> str:
        return self._date("end")

    def clean_months(self) -> list[int]:
        raw = (self.cleaned_data.get("months") or "").replace("，", ",").replace("、", ",")
        months = []
        for part in filter(None, (p.strip() for p in raw.split(","))):
            if not part.isdigit() or not 1 <= int(part) <= 12:
                raise forms.ValidationError(_("Months are numbers from 1 to 12, separated by commas."),
                                            code="invalid_months")
            months.append(int(part))
        return months

    def clean(self):
        data = super().clean()
        if data.get("delete") or not self.has_changed() and self.empty_permitted:
            return data
        kind = data.get("kind")
        if not kind:
            self.add_error("kind", _("Choose the kind of this item."))
            return data
        required = {"phase": ("name", "start", "end"), "deadline": ("end",), "recurring": ("freq",),
                    "relative": ("anchor", "days"), "event": ("start",)}[kind]
        for name in required:
            if name not in self.errors and data.get(name) in (None, ""):
                self.add_error(name, _("This kind of item needs this field."))
        if kind == "phase" and data.get("start") and data.get("end") and "start" not in self.errors:
            year = dt.date.today().year
            if parse_day(data["end"], year) < parse_day(data["start"], year):
                self.add_error("end", _("The end is before the start."))
        return data

    def item(self) -> dict:
        """This row as a SCHEMA schedule item (fields the kind does not use left out)."""
        data = self.cleaned_data
        item = {"kind": data["kind"], "text": data.get("text") or ""}
        for name in ("name", "start", "end", "freq", "anchor"):
            if data.get(name):
                item[name] = data[name]
        for name in ("day", "days"):
            if data.get(name) is not None:
                item[name] = data[name]
        if data.get("months"):
            item["months"] = data["months"]
        if data.get("workdays"):
            item["workdays"] = True
        return item


TARGET_OPERATORS = [(">=", "≥ (以上)"), (">", "> (超过)"), ("<=", "≤ (以下/以内)"), ("<", "< (低于/不满)"), ("=", "=")]


class TargetItemForm(forms.Form):
    """A quantitative target read from the plan: becomes a Target row of the campaign on confirm."""

    source = forms.IntegerField(required=False, widget=forms.HiddenInput)
    indicator = forms.CharField(label=_("Indicator"), required=False, max_length=200,
                                widget=forms.TextInput(attrs=SMALL))
    op = forms.ChoiceField(label=_("Comparison"), choices=[("", "—"), *TARGET_OPERATORS], required=False,
                           widget=forms.Select(attrs=SELECT))
    value = forms.DecimalField(label=_("Value"), required=False, max_digits=16, decimal_places=4,
                               widget=forms.NumberInput(attrs={**SMALL, "step": "any"}))
    unit = forms.CharField(label=_("Unit of measure"), required=False, max_length=20,
                           widget=forms.TextInput(attrs=SMALL))
    delete = forms.BooleanField(label=_("Delete"), required=False, widget=CHECK)

    def clean(self):
        data = super().clean()
        if data.get("delete") or not self.has_changed() and self.empty_permitted:
            return data
        for name in ("indicator", "op", "value"):
            if name not in self.errors and data.get(name) in (None, ""):
                self.add_error(name, _("A target needs an indicator, a comparison and a value."))
        return data

    def item(self) -> dict:
        data = self.cleaned_data
        return {"indicator": data["indicator"].strip(), "op": data["op"], "value": str(data["value"]),
                "unit": (data.get("unit") or "").strip()}


class HeadingForm(forms.Form):
    source = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Heading"), max_length=300, widget=forms.TextInput(attrs=SMALL))
    task = forms.BooleanField(label=_("Make a task"), required=False, widget=CHECK)


ScheduleFormSet = forms.formset_factory(ScheduleItemForm, extra=3, max_num=200, absolute_max=250)
HeadingFormSet = forms.formset_factory(HeadingForm, extra=0, max_num=500, absolute_max=600)
TargetFormSet = forms.formset_factory(TargetItemForm, extra=1, max_num=300, absolute_max=350)


def target_initial_from_draft(draft: dict) -> list[dict]:
    """Initial rows of the targets' review form, one per target read from the plan."""
    return [{"source": index, "indicator": target.get("indicator") or "", "op": target.get("op") or "",
             "value": target.get("value"), "unit": target.get("unit") or ""}
            for index, target in enumerate(draft.get("targets") or ())]


def initial_from_draft(draft: dict) -> tuple[dict, list[dict], list[dict]]:
    """Initial values of the review forms for a freshly read draft."""
    meta = {"title": draft.get("title") or "", "year": draft.get("reference_year") or dt.date.today().year}
    text = draft.get("text") or ""
    schedule = []
    for index, item in enumerate(draft.get("schedule") or ()):
        row = {"source": index, "kind": item.get("kind", ""), "text": item.get("text", ""),
               "name": item.get("name") or ("" if item.get("kind") == "phase" else item_title(item, text)),
               "start": item.get("start") or "", "end": item.get("end") or "", "freq": item.get("freq") or "",
               "day": item.get("day"), "months": ",".join(str(m) for m in item.get("months") or ()),
               "anchor": item.get("anchor") or "", "days": item.get("days"),
               "workdays": bool(item.get("workdays"))}
        schedule.append(row)
    chosen = set(task_headings(draft.get("headings") or []))
    headings = [{"source": index, "title": heading.get("title", ""), "task": index in chosen}
                for index, heading in enumerate(draft.get("headings") or ())]
    return meta, schedule, headings


def draft_from_forms(draft: dict, meta: PlanMetaForm, schedule: forms.BaseFormSet,
                     headings: forms.BaseFormSet, targets: forms.BaseFormSet | None = None) -> dict:
    """The stored draft with the reviewed title, year, schedule, task choices and targets applied."""
    original = draft.get("schedule") or []
    items = []
    for form in schedule:
        if not form.cleaned_data or form.cleaned_data.get("delete") or not form.cleaned_data.get("kind"):
            continue
        item = form.item()
        source = form.cleaned_data.get("source")
        if source is not None and 0 <= source < len(original) and "span" in original[source]:
            item["span"] = original[source]["span"]
        items.append(item)
    original_headings = draft.get("headings") or []
    new_headings = []
    for form in headings:
        source = form.cleaned_data["source"]
        base = dict(original_headings[source]) if 0 <= source < len(original_headings) else {"level": 2}
        base["title"] = form.cleaned_data["title"]
        base["task"] = bool(form.cleaned_data.get("task"))
        new_headings.append(base)
    reviewed = {**draft, "title": meta.cleaned_data["title"], "reference_year": meta.cleaned_data["year"],
                "schedule": items, "headings": new_headings}
    if targets is not None:
        original_targets = draft.get("targets") or []
        kept = []
        for form in targets:
            if not form.cleaned_data or form.cleaned_data.get("delete") or form.cleaned_data.get("value") is None:
                continue
            item = form.item()
            source = form.cleaned_data.get("source")
            if source is not None and 0 <= source < len(original_targets):
                for key in ("text", "span"):
                    if key in original_targets[source]:
                        item[key] = original_targets[source][key]
            kept.append(item)
        reviewed["targets"] = kept
    return reviewed
