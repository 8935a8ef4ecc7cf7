"""Forms of the supervision screens: validation and field messages only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.org.models import Role, User

from . import targets as evaluator
from .models import Computation, FourCheck, InspectionVisit, Operator, ProblemSource, Target, VisitKind

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
DATE = {"class": "form-control", "type": "date"}
UNIT_CHOICES = ["%", "‰", "1/10000", "1/100000", "个", "次", "篇", "条", "人", "名", "份", "场", "元", "万元"]


def _unit_queryset():
    from .selectors import reporting_units

    return reporting_units()


class VisitForm(forms.ModelForm):
    unit = forms.ModelChoiceField(label=_("Unit visited"), queryset=None, widget=forms.Select(attrs=SELECT))
    team = forms.ModelMultipleChoiceField(label=_("Team"), queryset=None, required=False,
                                          widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 5}))

    class Meta:
        model = InspectionVisit
        fields = ["unit", "visit_date", "kind", "team", "team_note", "campaign", "summary"]
        widgets = {"visit_date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"), "kind": forms.Select(attrs=SELECT),
                   "team_note": forms.TextInput(attrs=TEXT), "campaign": forms.Select(attrs=SELECT),
                   "summary": forms.Textarea(attrs={**TEXT, "rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _unit_queryset()
        self.fields["team"].queryset = User.objects.filter(
            role_assignments__role__in=[Role.OFFICE, Role.INSPECTOR], is_active=True).distinct()
        from xiaoneng.campaigns.models import Campaign

        self.fields["campaign"].queryset = Campaign.objects.filter(is_template=False)
        self.fields["kind"].choices = VisitKind.choices


class FindingForm(forms.Form):
    description = forms.CharField(label=_("What was found"), max_length=5000,
                                  widget=forms.Textarea(attrs={**TEXT, "rows": 3}))


class ProblemForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, widget=forms.Select(attrs=SELECT))
    source = forms.ChoiceField(label=_("Source"), choices=ProblemSource.choices, widget=forms.Select(attrs=SELECT))
    source_ref = forms.CharField(label=_("Reference"), max_length=200, required=False,
                                 widget=forms.TextInput(attrs=TEXT),
                                 help_text=_("e.g. the visit, round or case it came from"))
    description = forms.CharField(label=_("Problem"), max_length=5000, widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    measures = forms.CharField(label=_("Rectification measures"), max_length=5000, required=False,
                               widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    due_date = forms.DateField(label=_("Rectify by"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from xiaoneng.core.scoping import scope_queryset

        self.fields["unit"].queryset = scope_queryset(_unit_queryset(), user)
        if user is not None and not user.sees_all_units:
            # A unit records its own problems, from its self-inspection or the like.
            self.fields["source"].choices = [(ProblemSource.SELF_INSPECTION, ProblemSource.SELF_INSPECTION.label),
                                             (ProblemSource.OTHER, ProblemSource.OTHER.label)]


class ProblemEditForm(forms.Form):
    description = forms.CharField(label=_("Problem"), max_length=5000, widget=forms.Textarea(attrs={**TEXT, "rows": 3}))
    measures = forms.CharField(label=_("Rectification measures"), max_length=5000, required=False,
                               widget=forms.Textarea(attrs={**TEXT, "rows": 4}))
    owner = forms.ModelChoiceField(label=_("Person responsible"), queryset=None, required=False,
                                   widget=forms.Select(attrs=SELECT))
    due_date = forms.DateField(label=_("Rectify by"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))

    def __init__(self, *args, problem=None, can_edit_description=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(unit_id=problem.unit_id, is_active=True)
        if not can_edit_description:
            self.fields["description"].disabled = True


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("What was done"), max_length=5000, required=False,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 3}))


class CheckForm(forms.Form):
    kind = forms.ChoiceField(label=_("Check"), choices=FourCheck.choices, widget=forms.Select(attrs=SELECT))
    note = forms.CharField(label=_("How it was done"), max_length=2000,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 2}))


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["indicator", "operator", "value", "unit_of_measure", "period", "computed_by"]
        widgets = {"indicator": forms.TextInput(attrs=TEXT), "operator": forms.Select(attrs=SELECT),
                   "value": forms.NumberInput(attrs={**TEXT, "step": "any", "inputmode": "decimal"}),
                   "unit_of_measure": forms.TextInput(attrs={**TEXT, "list": "xn-units"}),
                   "period": forms.TextInput(attrs=TEXT), "computed_by": forms.Select(attrs=SELECT)}
        help_texts = {"unit_of_measure": _("A rate (per cent, per mille, 1/100000 for per 10万) or a count such as 个, 次, 篇")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].choices = Operator.choices
        self.fields["computed_by"].choices = Computation.choices

    def clean_unit_of_measure(self):
        return evaluator.normalise_unit(self.cleaned_data.get("unit_of_measure"))


class ValueForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, required=False, widget=forms.Select(attrs=SELECT),
                                  empty_label=_("The whole area"))
    period = forms.CharField(label=_("Period"), max_length=50, required=False, widget=forms.TextInput(attrs=TEXT))
    value = forms.DecimalField(label=_("Value"), required=False, max_digits=18, decimal_places=6,
                               widget=forms.NumberInput(attrs={**TEXT, "step": "any", "inputmode": "decimal"}))
    value_unit = forms.CharField(label=_("Unit of the value"), max_length=20, required=False,
                                 widget=forms.TextInput(attrs={**TEXT, "list": "xn-units"}),
                                 help_text=_("Leave empty when it is the target's own unit."))
    numerator = forms.DecimalField(label=_("Or a count"), required=False, max_digits=18, decimal_places=4,
                                   min_value=0, widget=forms.NumberInput(attrs={**TEXT, "step": "any"}))
    denominator = forms.DecimalField(label=_("out of (population)"), required=False, max_digits=18,
                                     decimal_places=4, widget=forms.NumberInput(attrs={**TEXT, "step": "any"}))
    note = forms.CharField(label=_("Note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={**TEXT, "rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from xiaoneng.core.scoping import scope_queryset
        from xiaoneng.org.selectors import is_office

        self.fields["unit"].queryset = scope_queryset(_unit_queryset(), user)
        if not is_office(user):
            self.fields["unit"].required = True
            self.fields["unit"].empty_label = None
