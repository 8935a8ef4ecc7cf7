"""Forms of the publicity screens: validation and field messages only."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.files.checks import BUSINESS_KINDS
from xiaoneng.core.files.forms import MultipleFileField, MultipleFileInput, accept_attribute
from xiaoneng.org.models import Unit, UnitKind

from . import scoring
from .models import CommissionKind, Outlet, OutletKind, OutletLevel, PagePosition

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


def _control(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")


class NewsItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    author = forms.CharField(label=_("Author"), max_length=200)
    body_html = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 12}),
                                help_text=_("Paragraphs, bold, lists and links are kept; other formatting is removed."))
    images = MultipleFileField(label=_("Photos"), required=False,
                               widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png"}),
                               help_text=_("JPG or PNG; several may be chosen."))
    attachments = MultipleFileField(label=_("Attachments"), required=False,
                                    widget=MultipleFileInput(attrs={"accept": accept_attribute(BUSINESS_KINDS)}),
                                    help_text=_("Word, WPS, PDF, Excel or images."))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["idempotency_key"] = secrets.token_hex(16)
        _control(self)


class AdoptionForm(forms.Form):
    outlet = forms.ModelChoiceField(label=_("Outlet"), queryset=Outlet.objects.none())
    adopted_on = forms.DateField(label=_("Adopted on"), widget=DATE)
    position = forms.ChoiceField(label=_("Page position"), choices=PagePosition.choices, initial=PagePosition.INNER)
    page_or_url = forms.CharField(label=_("Page or URL"), max_length=500, required=False,
                                  help_text=_("e.g. 第3版, or the address of the published page"))
    is_headline = forms.BooleanField(label=_("Headline"), required=False)
    is_feature_page = forms.BooleanField(label=_("Feature page"), required=False)
    has_photo = forms.BooleanField(label=_("With photo"), required=False)
    evidence_file = forms.FileField(label=_("Evidence file"), required=False,
                                    widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
                                    help_text=_("A scan of the printed page with its masthead, or a screenshot "
                                                "(JPG, PNG or PDF)."))
    evidence_link = forms.URLField(label=_("Evidence link"), max_length=500, required=False,
                                   assume_scheme="https")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outlet"].queryset = Outlet.objects.filter(active=True)
        _control(self)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class InstructionForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=[c for c in OutletLevel.choices if c[0] != "internal"])
    leader = forms.CharField(label=_("Leader"), max_length=200)
    instructed_on = forms.DateField(label=_("Date"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _control(self)


class SharesForm(forms.Form):
    shares = forms.CharField(
        label=_("Shares"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
        help_text=_("One unit per line: the unit's name, a space, and its share (e.g. 0.5). Leave empty when the "
                    "item is not co-authored."))

    def clean_shares(self) -> list[tuple[Unit, Decimal]]:
        result = []
        for number, line in enumerate(self.cleaned_data["shares"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, value = line.strip().rpartition(" ")
            unit = Unit.objects.filter(name=name.strip()).first() or Unit.objects.filter(
                short_name=name.strip()).first()
            if unit is None:
                raise forms.ValidationError(_("Line %(n)s: no unit is called %(name)s.") % {"n": number, "name": name})
            try:
                share = Decimal(value)
            except Exception as exc:  # noqa: BLE001 - any parse failure is the user's typo
                raise forms.ValidationError(_("Line %(n)s: %(value)s is not a number.") % {
                    "n": number, "value": value}) from exc
            result.append((unit, share))
        return result


class OutletForm(forms.ModelForm):
    class Meta:
        model = Outlet
        fields = ["name", "level", "kind", "active", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _control(self)


class SettingsForm(forms.Form):
    requires_leader_approval = forms.BooleanField(label=_("Items go through the unit leader first"), required=False)
    duplicate_threshold = forms.DecimalField(label=_("Near-duplicate warning threshold"), min_value=Decimal("0.2"),
                                             max_value=Decimal("1"), decimal_places=2,
                                             help_text=_("Share of common 3-character pieces (0.2–1.0) from which "
                                                         "the office is warned."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _control(self)


class CommissionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=CommissionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    due_on = forms.DateField(label=_("Due on"), widget=DATE)
    units = forms.ModelMultipleChoiceField(label=_("Units"), queryset=Unit.objects.none(),
                                           widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units if units is not None else Unit.objects.none()
        _control(self)


class VetoForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    month = forms.CharField(label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        _control(self)

    def clean_month(self) -> tuple[int, int]:
        try:
            year, month = (int(p) for p in self.cleaned_data["month"].split("-"))
            dt.date(year, month, 1)
        except (ValueError, TypeError) as exc:
            raise forms.ValidationError(_("Choose a month.")) from exc
        return year, month


# ---- the rules editor --------------------------------------------------------------------------

LEVEL_CHOICES = OutletLevel.choices
KIND_CHOICES = [("*", _("any kind")), *OutletKind.choices]
POSITION_CHOICES = [("*", _("any position")), *PagePosition.choices]
TIE_CHOICES = [
    ("higher_level_adoptions", _("adoptions at higher levels")),
    ("adopted_items", _("number of items adopted")),
    ("submitted_items", _("number of items submitted")),
    ("adoptions", _("number of adoptions")),
]
QUOTA_KINDS = [*[(k, label) for k, label in UnitKind.choices if k not in ("bureau", "office")], ("*", _("any other"))]
POINTS = {"max_digits": 8, "decimal_places": 2, "min_value": Decimal("0")}


class TierForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *LEVEL_CHOICES], required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, required=False)
    position = forms.ChoiceField(label=_("Page position"), choices=POSITION_CHOICES, required=False)
    points = forms.DecimalField(label=_("Points"), required=False, **POINTS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _control(self)
        for field in self.fields.values():
            field.widget.attrs["class"] += " form-control-sm" if "form-control" in field.widget.attrs["class"] else \
                " form-select-sm"

    def clean(self):
        data = super().clean()
        if data.get("level") and data.get("points") is None:
            self.add_error("points", _("Give the points of this row."))
        return data


TierFormSet = forms.formset_factory(TierForm, extra=4, max_num=200)


class RulesForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    score_every_outlet = forms.BooleanField(
        label=_("An item scores at every outlet that adopts it"), required=False,
        help_text=_("Unticked: only the best adoption of each item counts."))
    headline_bonus = forms.DecimalField(label=_("Headline bonus"), **POINTS)
    feature_page_bonus = forms.DecimalField(label=_("Feature page bonus"), **POINTS)
    photo_bonus = forms.DecimalField(label=_("Photo bonus"), **POINTS)
    item_cap = forms.DecimalField(label=_("Cap per item"), required=False, **POINTS,
                                  help_text=_("Empty: no cap."))
    unit_month_cap = forms.DecimalField(label=_("Cap per unit and month (adoptions and instructions)"),
                                        required=False, **POINTS, help_text=_("Empty: no cap."))
    quota_counts = forms.ChoiceField(label=_("The monthly quota counts"), choices=[
        ("submitted", _("items submitted")), ("adopted", _("items adopted"))])
    commissioned_late = forms.DecimalField(label=_("Commissioned piece sent late: deduction"), **POINTS)
    commissioned_missing = forms.DecimalField(label=_("Commissioned piece not sent: deduction"), **POINTS)
    urgent_late = forms.DecimalField(label=_("Urgent report sent late: deduction"), **POINTS)
    urgent_missing = forms.DecimalField(label=_("Urgent report not sent: deduction"), **POINTS)
    floor_at_zero = forms.BooleanField(label=_("A month never scores below zero"), required=False)
    tie_break_1 = forms.ChoiceField(label=_("On equal points, first compare"), choices=TIE_CHOICES)
    tie_break_2 = forms.ChoiceField(label=_("then"), choices=[("", "—"), *TIE_CHOICES], required=False)
    tie_break_3 = forms.ChoiceField(label=_("then"), choices=[("", "—"), *TIE_CHOICES], required=False)
    preview_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for level, label in LEVEL_CHOICES:
            if level == "internal":
                continue
            self.fields[f"instruction_{level}"] = forms.DecimalField(
                label=_("Leader's instruction, %(level)s level") % {"level": label}, required=False, **POINTS)
        for kind, label in QUOTA_KINDS:
            self.fields[f"quota_{kind}_items"] = forms.IntegerField(label=label, required=False, min_value=0,
                                                                    max_value=1000)
            self.fields[f"quota_{kind}_base"] = forms.DecimalField(label=_("base score"), required=False, **POINTS)
            self.fields[f"quota_{kind}_deduction"] = forms.DecimalField(label=_("per missing item"), required=False,
                                                                        **POINTS)
        _control(self)

    def quota_rows(self):
        return [(label, self[f"quota_{kind}_items"], self[f"quota_{kind}_base"], self[f"quota_{kind}_deduction"])
                for kind, label in QUOTA_KINDS]

    def instruction_fields(self):
        return [self[f"instruction_{level}"] for level, _l in LEVEL_CHOICES if level != "internal"]

    def to_rules_dict(self, tiers: list[dict]) -> dict:
        d = self.cleaned_data

        def s(value):
            return None if value is None else str(value)

        tie_break = ["points"]
        for key in ("tie_break_1", "tie_break_2", "tie_break_3"):
            if d.get(key) and d[key] not in tie_break:
                tie_break.append(d[key])
        quotas = {}
        for kind, _label in QUOTA_KINDS:
            items = d.get(f"quota_{kind}_items")
            if items:
                quotas[kind] = {"items": items, "base": s(d.get(f"quota_{kind}_base") or Decimal("0")),
                                "deduction_per_missing": s(d.get(f"quota_{kind}_deduction") or Decimal("0"))}
        return {
            "tiers": tiers,
            "score_every_outlet": d["score_every_outlet"],
            "headline_bonus": s(d["headline_bonus"]), "feature_page_bonus": s(d["feature_page_bonus"]),
            "photo_bonus": s(d["photo_bonus"]),
            "instruction_points": {level: s(d[f"instruction_{level}"]) for level, _l in LEVEL_CHOICES
                                   if level != "internal" and d.get(f"instruction_{level}") is not None},
            "item_cap": s(d.get("item_cap")), "unit_month_cap": s(d.get("unit_month_cap")),
            "quotas": quotas, "quota_counts": d["quota_counts"],
            "commissioned_late": s(d["commissioned_late"]), "commissioned_missing": s(d["commissioned_missing"]),
            "urgent_late": s(d["urgent_late"]), "urgent_missing": s(d["urgent_missing"]),
            "floor_at_zero": d["floor_at_zero"], "tie_break": tie_break,
        }

    @staticmethod
    def initial_from(rules: scoring.Rules, *, name: str, effective_from: dt.date, note: str = "") -> dict:
        initial = {
            "name": name, "effective_from": effective_from, "note": note,
            "score_every_outlet": rules.score_every_outlet, "headline_bonus": rules.headline_bonus,
            "feature_page_bonus": rules.feature_page_bonus, "photo_bonus": rules.photo_bonus,
            "item_cap": rules.item_cap, "unit_month_cap": rules.unit_month_cap, "quota_counts": rules.quota_counts,
            "commissioned_late": rules.commissioned_late, "commissioned_missing": rules.commissioned_missing,
            "urgent_late": rules.urgent_late, "urgent_missing": rules.urgent_missing,
            "floor_at_zero": rules.floor_at_zero,
        }
        for index, entry in enumerate(rules.tie_break[1:4], start=1):
            initial[f"tie_break_{index}"] = entry
        for level, points in rules.instruction_points.items():
            initial[f"instruction_{level}"] = points
        for kind, quota in rules.quotas.items():
            initial[f"quota_{kind}_items"] = quota.items
            initial[f"quota_{kind}_base"] = quota.base
            initial[f"quota_{kind}_deduction"] = quota.deduction_per_missing
        return initial
