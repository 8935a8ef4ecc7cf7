"""The composite weights form: four percentages that must add up to 100."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from . import compute
from .selectors import SOURCE_LABELS


class WeightsForm(forms.Form):
    """Weights of the composite's sources, in percent; a source weighted 0 is left out."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for source in compute.SOURCES:
            self.fields[source] = forms.DecimalField(
                label=SOURCE_LABELS[source], min_value=Decimal("0"), max_value=Decimal("100"), max_digits=5,
                decimal_places=2, required=False, widget=forms.NumberInput(attrs={"step": "0.01", "min": "0",
                                                                                   "max": "100", "class": "form-control",
                                                                                   "inputmode": "decimal"}),
                error_messages={"invalid": _("Enter a number from 0 to 100."),
                                "max_value": _("A weight is at most 100."),
                                "min_value": _("A weight cannot be negative."),
                                "max_decimal_places": _("Use at most two decimal places.")})

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        weights = {source: cleaned.get(source) or Decimal("0") for source in compute.SOURCES}
        total = sum(weights.values(), Decimal("0"))
        if total != 100:
            raise forms.ValidationError(_("The weights add up to %(total)s; they must add up to 100.")
                                        % {"total": f"{total.normalize():f}"})
        cleaned.update(weights)
        return cleaned

    def weights(self) -> dict[str, Decimal]:
        return {source: self.cleaned_data[source] for source in compute.SOURCES}
