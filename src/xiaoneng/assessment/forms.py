"""Assessment forms: validation and field messages only."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.campaigns.forms import StyledMixin
from xiaoneng.campaigns.models import Campaign
from xiaoneng.campaigns.services import NON_REPORTING_KINDS
from xiaoneng.org.models import Role, Unit, User

from .models import Criterion, Round, Scheme, Team


class SchemeForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = Scheme
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class CriterionForm(StyledMixin, forms.ModelForm):
    parent = forms.ModelChoiceField(label=_("Category"), queryset=Criterion.objects.none(), required=False,
                                    empty_label=_("— none: this is a category —"))

    class Meta:
        model = Criterion
        fields = ["parent", "code", "title", "max_points", "step", "guidance", "evidence_required", "note_required",
                  "order"]
        widgets = {"title": forms.Textarea(attrs={"rows": 2}), "guidance": forms.Textarea(attrs={"rows": 3}),
                   "evidence_required": forms.Textarea(attrs={"rows": 2}),
                   "max_points": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
                   "step": forms.NumberInput(attrs={"step": "0.01", "min": "0.01"})}
        help_texts = {"max_points": _("For an item; a category's maximum is the sum of its items.")}

    def __init__(self, *args, scheme: Scheme, **kwargs):
        super().__init__(*args, **kwargs)
        categories = scheme.criteria.filter(parent__isnull=True)
        if self.instance.pk:
            categories = categories.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = categories
        self.fields["order"].required = False
        self.fields["max_points"].required = False
        self.fields["step"].required = False

    def clean(self):
        data = super().clean()
        if data.get("parent") is not None and not data.get("max_points"):
            self.add_error("max_points", _("An item needs maximum points above 0."))
        data["step"] = data.get("step") or Decimal("1")
        data["max_points"] = data.get("max_points") or Decimal("0")
        data["order"] = data.get("order") or 0
        return data


class SchemeImportForm(StyledMixin, forms.Form):
    file = forms.FileField(label=_("Scoring table (.xlsx)"),
                           help_text=_("Columns 序号, 类别, 考核内容, 分值, 评分标准, 佐证材料 (计分步长 and 须说明 "
                                       "optional); the category is written on its first item's row."))
    name = forms.CharField(label=_("Scheme name"), max_length=200, required=False,
                           help_text=_("Leave empty to use the title row of the table."))


class RoundForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = Round
        fields = ["campaign", "scheme", "name", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(is_template=False)
        self.fields["scheme"].queryset = Scheme.objects.order_by("name", "-version")
        self.fields["order"].required = False
        if self.instance.pk:
            self.fields["campaign"].disabled = True
            self.fields["order"].disabled = True


def inspectors() -> forms.models.QuerySet:
    return User.objects.filter(is_active=True, role_assignments__role=Role.INSPECTOR).distinct() \
        .order_by("full_name", "username")


class TeamForm(StyledMixin, forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "leader", "members"]
        widgets = {"members": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = inspectors()
        self.fields["members"].queryset = inspectors()
        self.fields["members"].widget.attrs["class"] = "list-unstyled"
        self.fields["members"].help_text = _("Inspectors only; the leader is in the team anyway.")


class AssignUnitsForm(StyledMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("Inspection team"), queryset=Team.objects.none())
    units = forms.ModelMultipleChoiceField(label=_("Units"), queryset=Unit.objects.none(),
                                           widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = round_.teams.all()
        self.fields["units"].queryset = Unit.objects.filter(is_active=True).exclude(
            kind__in=NON_REPORTING_KINDS).order_by("order", "name")
        self.fields["units"].widget.attrs["class"] = "list-unstyled"


def score_entries(data, item_ids) -> dict[int, tuple[str, str]]:
    """The points and note typed for each item of a sheet form (fields points_<id>, note_<id>)."""
    return {pk: (str(data.get(f"points_{pk}", "")), str(data.get(f"note_{pk}", ""))) for pk in item_ids}
