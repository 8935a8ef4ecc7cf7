"""Forms of the bulletin screens: publish a month, issue a revision, send 附表2."""

from __future__ import annotations

import secrets

from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """A browser date picker: its value must be ISO (2026-11-05), whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class _Styled(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")


class _OnceForm(_Styled):
    """A hidden key per rendered form: the second post of a double click returns the first result."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["idempotency_key"] = secrets.token_hex(16)


class PublishForm(_Styled):
    title = forms.CharField(label=_("Title of the bulletin"), max_length=200)
    issuer = forms.CharField(label=_("Issuer"), max_length=200)
    number = forms.CharField(label=_("Document number"), max_length=100, required=False,
                             help_text=_("The file number of the bulletin, if it has one."))
    recipients = forms.CharField(label=_("Recipients"), max_length=300, required=False)
    issued_on = forms.DateField(label=_("Date of the bulletin"), widget=DateInput())


class RevisionForm(_OnceForm):
    note = forms.CharField(label=_("What this revision corrects"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    issued_on = forms.DateField(label=_("Date of the revision"), widget=DateInput())


class SendReportForm(_OnceForm):
    """Only the key: the report itself is generated."""
