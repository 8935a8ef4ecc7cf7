"""The audit log's filter form (GET): validation and field messages only."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AuditResult


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    user = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        help_text=_("Beginning of the action name, e.g. login"),
    )
    object = forms.CharField(label=_("Object"), required=False, max_length=300)
    result = forms.ChoiceField(
        label=_("Result"), required=False, choices=[("", _("Any result")), *AuditResult.choices]
    )
    ip = forms.CharField(label=_("IP address"), required=False, max_length=45)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field, forms.ChoiceField)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict:
        """The filters that were given, for the selector and for the audit record of this view."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}
