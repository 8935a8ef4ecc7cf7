"""Forms of the escalation app: validation and field messages only."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.feedback.models import Case
from xiaoneng.org.models import Unit, User

from .models import AccountabilityRecord, CallBackOutcome, LadderConfig


class LadderConfigForm(forms.ModelForm):
    class Meta:
        model = LadderConfig
        fields = ["reminder_enabled", "reminder_offset", "urge_enabled", "urge_offset", "blue_enabled", "blue_offset",
                  "orange_enabled", "orange_offset", "orange_reply_days", "red_enabled", "red_offset",
                  "report_enabled", "report_offset"]
        widgets = {name: forms.NumberInput(attrs={"min": -10, "max": 60})
                   for name in ["reminder_offset", "urge_offset", "blue_offset", "orange_offset", "red_offset",
                                "report_offset"]}


class CallBackForm(forms.Form):
    outcome = forms.ChoiceField(label=_("outcome"), choices=CallBackOutcome.choices)
    note = forms.CharField(label=_("note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AccountabilityForm(forms.ModelForm):
    case_number = forms.CharField(label=_("case number"), max_length=20)

    class Meta:
        model = AccountabilityRecord
        fields = ["unit", "person", "person_name", "measure", "measure_other", "decided_on", "reason"]
        widgets = {"decided_on": forms.DateInput(attrs={"type": "date"}),
                   "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)
        self.fields["person"].queryset = User.objects.filter(is_active=True, unit__isnull=False).select_related("unit")
        self.fields["person"].required = False
        if not self.is_bound and not self.initial.get("decided_on"):
            self.initial["decided_on"] = dt.date.today()
        order = ["case_number", "unit", "person", "person_name", "measure", "measure_other", "decided_on", "reason"]
        self.order_fields(order)

    def clean_case_number(self):
        number = self.cleaned_data["case_number"].strip()
        case = Case.objects.filter(number=number).first()
        if case is None:
            raise forms.ValidationError(_("No case has this number."))
        self.cleaned_data["case"] = case
        return number


class PeriodForm(forms.Form):
    date_from = forms.DateField(label=_("from"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("to"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The end date is before the start date."))
            if (end - start).days > 3 * 366:
                raise forms.ValidationError(_("Choose at most three years."))
        return data
