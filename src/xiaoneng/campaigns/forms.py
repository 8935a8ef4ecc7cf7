"""Campaign forms: validation and field messages only."""

from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.org.models import RankingGroup, Unit

from .builtin import BUILTIN_TEMPLATES
from .models import Campaign, Obligation, Phase, Task


class DateInput(forms.DateInput):
    input_type = "date"


class DateRangeMixin:
    """start_date and end_date: the end must not come before the start (message at the end date)."""

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must not be before the start date."))
        return data


class StyledMixin:
    """Bootstrap classes on every widget, so templates stay plain."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select | forms.SelectMultiple):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class CampaignForm(DateRangeMixin, StyledMixin, forms.ModelForm):
    template = forms.ChoiceField(label=_("Start from"), required=False)
    plan_document = forms.FileField(label=_("Plan document"), required=False,
                                    help_text=_("The work plan as issued: doc, docx, wps or pdf."))

    class Meta:
        model = Campaign
        fields = ["title", "kind", "year", "start_date", "end_date", "description"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, templates=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("An empty campaign"))]
        choices += [(f"builtin:{key}", title) for key, (title, _kind) in BUILTIN_TEMPLATES.items()]
        choices += [(f"campaign:{t.pk}", t.title) for t in templates if not t.template_key]
        self.fields["template"].choices = choices



class PhaseForm(DateRangeMixin, StyledMixin, forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "start_date", "end_date", "order"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}



class AssignmentFields(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ranking_group"].queryset = RankingGroup.objects.all()
        self.fields["units"].queryset = Unit.objects.filter(is_active=True).exclude(kind__in=("bureau", "office"))
        self.fields["units"].required = False

    def clean(self):
        data = super().clean()
        if data.get("assign_to") == "group" and not data.get("ranking_group"):
            self.add_error("ranking_group", _("Choose the ranking group."))
        if data.get("assign_to") == "list" and not data.get("units"):
            self.add_error("units", _("Choose at least one unit."))
        return data


class TaskForm(StyledMixin, AssignmentFields):
    class Meta:
        model = Task
        fields = ["title", "description", "phase", "assign_to", "ranking_group", "units", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = campaign.phases.all()


class ObligationForm(StyledMixin, AssignmentFields):
    months = forms.TypedMultipleChoiceField(
        label=_("Months"), required=False, coerce=int, choices=[(m, str(m)) for m in range(1, 13)],
        widget=forms.SelectMultiple(attrs={"size": 4}))

    class Meta:
        model = Obligation
        fields = ["title", "description", "task", "form_name", "is_contact_form", "requires_leader_approval",
                  "frequency", "due_date", "day", "months", "offset", "working_days", "anchor", "anchor_phase",
                  "anchor_obligation", "shift_holidays", "assign_to", "ranking_group", "units", "order"]
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = campaign.tasks.all()
        self.fields["anchor_phase"].queryset = campaign.phases.all()
        others = campaign.obligations.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["anchor_obligation"].queryset = others

    def clean(self):
        data = super().clean()
        freq = data.get("frequency")
        if freq == "once" and not data.get("due_date"):
            self.add_error("due_date", _("Give the date it is due by."))
        if freq == "yearly" and not data.get("months"):
            self.add_error("months", _("Name the months it is due in."))
        if freq == "weekly" and data.get("day") and not 1 <= data["day"] <= 7:
            self.add_error("day", _("For a weekly report the day is a weekday from 1 (Monday) to 7 (Sunday)."))
        if freq in ("monthly", "quarterly", "half_yearly", "yearly") and data.get("day") and data["day"] > 31:
            self.add_error("day", _("A day of the month is between 1 and 31."))
        if freq == "relative":
            anchor = data.get("anchor")
            if not anchor:
                self.add_error("anchor", _("Say what the deadline is counted from."))
            elif anchor == "obligation" and not data.get("anchor_obligation"):
                self.add_error("anchor_obligation", _("Choose the obligation it follows."))
        return data


class SubmissionForm(forms.Form):
    text = forms.CharField(label=_("Report"), required=False, widget=forms.Textarea(attrs={"rows": 6, "class": "form-control"}))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["idempotency_key"] = secrets.token_hex(16)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("return", _("Return"))], widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Say why the report is returned."))
        return data


class ContactForm(StyledMixin, forms.Form):
    leader_name = forms.CharField(label=_("Leader in charge"), max_length=50)
    leader_title = forms.CharField(label=_("Leader's title"), max_length=100, required=False)
    leader_phone = forms.RegexField(label=_("Leader's phone"), regex=r"^[0-9\-+ ]{7,20}$", required=False,
                                    error_messages={"invalid": _("Enter a phone number of digits.")})
    liaison_name = forms.CharField(label=_("Liaison"), max_length=50)
    liaison_title = forms.CharField(label=_("Liaison's title"), max_length=100, required=False)
    liaison_phone = forms.RegexField(label=_("Liaison's phone"), regex=r"^[0-9\-+ ]{7,20}$", required=False,
                                     error_messages={"invalid": _("Enter a phone number of digits.")})
    liaison_email = forms.EmailField(label=_("Liaison's e-mail"), required=False)


class CampaignEditForm(DateRangeMixin, StyledMixin, forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "kind", "year", "start_date", "end_date", "status", "description"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

