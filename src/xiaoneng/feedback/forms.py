"""Forms of the cases screens: field validation and messages only."""

from __future__ import annotations

import re
import secrets

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xiaoneng.core.files.checks import PUBLIC_KINDS
from xiaoneng.core.files.forms import MultipleFileField, MultipleFileInput, accept_attribute
from xiaoneng.org.models import Unit

from .crypto import normalise_phone
from .models import CaseChannel, CaseKind, CaseRating, CaseRequestKind

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{9,11}$")
ID_NUMBER = re.compile(r"^\d{17}[\dX]$")
RENDER_SALT = "feedback.public_file.rendered"
MIN_FILL_SECONDS = 3
MAX_ATTACHMENTS = 5


def _units():
    return Unit.objects.filter(is_active=True).order_by("order", "name")


def _clean_phone(value: str, *, required: bool) -> str:
    phone = normalise_phone(value)
    if not phone:
        if required:
            raise forms.ValidationError(_("Enter a phone number so that we can reply to you."))
        return ""
    if not (MOBILE.match(phone) or LANDLINE.match(phone)):
        raise forms.ValidationError(_("Enter an 11-digit mobile number or a landline with its area code."))
    return phone


class CaseContentForm(forms.Form):
    """What every case has, from the public form or the office's entry form."""

    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices, widget=forms.RadioSelect,
                             initial=CaseKind.COMPLAINT)
    unit = forms.ModelChoiceField(label=_("Which unit is it about?"), queryset=Unit.objects.none(), required=False,
                                  empty_label=_("Not sure which unit"),
                                  widget=forms.Select(attrs={"class": "form-select"}))
    what = forms.CharField(label=_("What happened"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}))
    happened_on = forms.DateField(label=_("When"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    where = forms.CharField(label=_("Where"), max_length=200, required=False,
                            widget=forms.TextInput(attrs={"class": "form-control"}))
    attachments = MultipleFileField(
        label=_("Attachments"), required=False,
        help_text=_("Photos (JPG, PNG) or PDF, at most 5 files."),
        widget=MultipleFileInput(attrs={"accept": accept_attribute(PUBLIC_KINDS), "class": "form-control"}))
    name = forms.CharField(label=_("Your name"), max_length=50, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "name"}))
    phone = forms.CharField(label=_("Your phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "tel",
                                                          "autocomplete": "tel"}))
    is_anonymous = forms.BooleanField(
        label=_("File this report anonymously"), required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text=_("Only reports (举报) can be anonymous. Without a name and phone no one can reply to you "
                    "personally; you follow the case with the code and a secret shown once."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()

    def clean_happened_on(self):
        value = self.cleaned_data.get("happened_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean_attachments(self):
        files = [item for item in (self.cleaned_data.get("attachments") or []) if item]
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(_("Attach at most 5 files."))
        return files

    def phone_required(self) -> bool:
        return True

    def clean(self):
        data = super().clean()
        anonymous = data.get("is_anonymous")
        if anonymous and data.get("kind") != CaseKind.REPORT:
            self.add_error("is_anonymous", _("Only a report can be filed anonymously."))
        elif not anonymous:
            try:
                data["phone"] = _clean_phone(data.get("phone", ""), required=self.phone_required())
            except forms.ValidationError as exc:
                self.add_error("phone", exc)
        else:
            data["phone"] = data["name"] = ""
        return data


class PublicCaseForm(CaseContentForm):
    """The public form: a honeypot, the time it was rendered (signed) and a key per form load."""

    website = forms.CharField(label="Website", required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    rendered = forms.CharField(widget=forms.HiddenInput, required=False)
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["rendered"] = signing.dumps(timezone.now().timestamp(), salt=RENDER_SALT)
            self.initial["submission_key"] = secrets.token_urlsafe(24)

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get("website"))

    def seconds_since_render(self) -> float | None:
        try:
            rendered = signing.loads(self.data.get("rendered", ""), salt=RENDER_SALT, max_age=86400)
        except (signing.BadSignature, TypeError, ValueError):
            return None
        return timezone.now().timestamp() - float(rendered)

    def clean(self):
        data = super().clean()
        seconds = self.seconds_since_render()
        if seconds is None or seconds < MIN_FILL_SECONDS:
            # Too fast for a person, or a form not rendered by us: a fresh form, nothing lost.
            self.data = self.data.copy()
            self.data["rendered"] = signing.dumps(timezone.now().timestamp(), salt=RENDER_SALT)
            raise forms.ValidationError(_("Please check your entries and submit the form again."), code="too_fast")
        return data


class OfficeCaseForm(CaseContentForm):
    """The office enters a case received by hotline, box, mailbox, letter or media."""

    channel = forms.ChoiceField(label=_("Channel"),
                                choices=[c for c in CaseChannel.choices if c[0] != CaseChannel.WEB],
                                widget=forms.Select(attrs={"class": "form-select"}))
    received_on = forms.DateField(label=_("Received on"), required=False,
                                  help_text=_("Leave empty for today."),
                                  widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False,
                                widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}))
    field_order = ["channel", "received_on", "kind", "unit", "what", "happened_on", "where", "attachments",
                   "name", "phone", "id_number", "is_anonymous"]

    def phone_required(self) -> bool:
        return False  # a letter may come without one; the case then gets a secret

    def clean_id_number(self):
        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        if value and not ID_NUMBER.match(value):
            raise forms.ValidationError(_("An ID number has 18 characters: 17 digits and a digit or X."))
        return value

    def clean_received_on(self):
        value = self.cleaned_data.get("received_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Tracking code"), max_length=20,
                           widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off",
                                                         "autocapitalize": "characters"}))
    proof = forms.CharField(label=_("Last 4 digits of your phone, or your secret"), max_length=20,
                            widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "off"}))


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("How satisfied are you with the reply?"), choices=CaseRating.choices,
                               widget=forms.RadioSelect)


class AcceptForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Assign to unit"), queryset=Unit.objects.none(), required=False,
                                  widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()


class AssignForm(AcceptForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].required = True


class TransferForm(AssignForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].label = _("Transfer to unit")

    reason = forms.CharField(label=_("Reason"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), max_length=8000,
                           widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}))


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=1000, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control"}))


class CaseRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Request"), choices=CaseRequestKind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    days = forms.IntegerField(label=_("Extra working days"), min_value=1, max_value=30, required=False,
                              widget=forms.NumberInput(attrs={"class": "form-control"}))
    reason = forms.CharField(label=_("Reason"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))

    def clean(self):
        data = super().clean()
        if data.get("kind") == CaseRequestKind.EXTENSION and not data.get("days"):
            self.add_error("days", _("How many working days?"))
        return data


class DecideForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control"}))


class DeadlineForm(forms.Form):
    accept_days = forms.IntegerField(label=_("Accept within"), min_value=1, max_value=60)
    reply_days = forms.IntegerField(label=_("Reply within"), min_value=1, max_value=120)
    close_days = forms.IntegerField(label=_("Close within"), min_value=1, max_value=240)

    def clean(self):
        data = super().clean()
        if data.get("close_days") and data.get("reply_days") and data["close_days"] < data["reply_days"]:
            raise forms.ValidationError(_("Closing cannot come before replying."))
        return data
