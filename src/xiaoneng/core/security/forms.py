"""Sign-in, second factor and password forms: validation and field messages only."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("User name"), max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"), strip=False,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "current-password"}),
    )


class OtpTokenForm(forms.Form):
    token = forms.RegexField(
        label=_("6-digit code"), regex=r"^\d{6}$", max_length=6, strip=True,
        error_messages={"invalid": _("Enter the 6 digits shown in your authenticator app.")},
        widget=forms.TextInput(attrs={
            "class": "form-control", "autocomplete": "one-time-code", "inputmode": "numeric",
            "pattern": "[0-9]{6}", "autofocus": True,
        }),
    )

    def clean_token(self) -> str:
        return self.cleaned_data["token"].replace(" ", "")


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with the policy errors shown next to the new password and no re-use of the old one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean(self):
        self.validate_passwords("new_password1", "new_password2")
        self.validate_password_for_user(self.user, "new_password1")
        old, new = self.cleaned_data.get("old_password"), self.cleaned_data.get("new_password1")
        if old and new and old == new:
            self.add_error("new_password1", _("The new password must differ from the current one."))
        return forms.Form.clean(self)
