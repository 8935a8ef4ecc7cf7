"""The unit documents upload form: a unit and one or more files."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .checks import BUSINESS_KINDS, KINDS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files; each one is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple) and data:
            return [single(item, initial) for item in data]
        return [single(data, initial)]


def accept_attribute(kinds: frozenset[str]) -> str:
    return ",".join(sorted(f".{ext}" for code in kinds for ext in KINDS[code].extensions))


class UnitDocumentUploadForm(forms.Form):
    unit = forms.IntegerField(widget=forms.HiddenInput)
    files = MultipleFileField(
        label=_("Files"),
        help_text=_("Word, WPS, Excel, PDF, JPG or PNG; several files may be chosen at once."),
        widget=MultipleFileInput(attrs={"accept": accept_attribute(BUSINESS_KINDS), "class": "form-control"}),
    )
