"""Forms for units, ranking groups, people and accounts: validation and field messages only."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import ADMIN_ROLES, BUSINESS_ROLES, RankingGroup, Role, Unit, User
from .phones import is_valid_phone
from .services import unit_would_loop, validate_business_roles, validate_role_set


class StyledForm:
    """Bootstrap classes on every widget, and aria-invalid on fields with errors."""

    def style(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if self.is_bound and name in self.errors:
                widget.attrs["aria-invalid"] = "true"
                widget.attrs["class"] += " is-invalid"


class UnitForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "parent", "ranking_group", "order", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parents = Unit.objects.filter(is_active=True)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.style()

    def clean_name(self) -> str:
        return self.cleaned_data["name"].strip()

    def clean_parent(self) -> Unit | None:
        parent = self.cleaned_data.get("parent")
        if self.instance.pk and unit_would_loop(self.instance, parent):
            raise ValidationError(_("A unit cannot be placed under itself or one of its sub-units."))
        return parent


class RankingGroupForm(StyledForm, forms.ModelForm):
    class Meta:
        model = RankingGroup
        fields = ["name", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style()


def _role_choices(roles) -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in Role if role in roles]


class PersonForm(StyledForm, forms.ModelForm):
    """The office's form for a business person: only business roles are offered."""

    roles = forms.MultipleChoiceField(label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = User
        fields = ["username", "full_name", "unit", "phone", "title", "email", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = _role_choices(BUSINESS_ROLES)
        self.fields["full_name"].required = True
        self.fields["unit"].required = True
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True) | Unit.objects.filter(
            pk=self.instance.unit_id or 0)
        if self.instance.pk and not self.is_bound:
            self.initial["roles"] = sorted(self.instance.role_set)
        self.style()

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not is_valid_phone(phone):
            raise ValidationError(_("Enter a mobile number (13800138000) or a landline with area code."))
        return phone

    def clean(self):
        cleaned = super().clean()
        if "roles" in cleaned:
            try:
                validate_business_roles(cleaned["roles"], unit=cleaned.get("unit"))
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field_name, errors in exc.error_dict.items():
                        if field_name not in self.errors:
                            self.add_error(field_name, errors)
                else:
                    self.add_error("roles", exc)
        return cleaned


class AccountCreateForm(StyledForm, forms.ModelForm):
    """The system administrator's new account: a name and optionally a unit; roles come later."""

    class Meta:
        model = User
        fields = ["username", "full_name", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["full_name"].required = True
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)
        self.style()


class AdminRolesForm(StyledForm, forms.Form):
    """The security administrator grants administrator roles; 三员分立 refuses two of them."""

    roles = forms.MultipleChoiceField(
        label=_("Administrator roles"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=_role_choices(ADMIN_ROLES),
    )

    def __init__(self, *args, account: User, **kwargs):
        self.account = account
        kwargs.setdefault("initial", {"roles": sorted(account.role_set & ADMIN_ROLES)})
        super().__init__(*args, **kwargs)
        self.style()

    def clean_roles(self) -> list[str]:
        roles = set(self.cleaned_data["roles"])
        business = self.account.role_set - ADMIN_ROLES
        validate_role_set(business | roles)
        return sorted(roles)


class ImportForm(StyledForm, forms.Form):
    file = forms.FileField(label=_("Spreadsheet (.xlsx)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx"
        self.style()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(_("The file is larger than %(mb)d MB.") % {
                "mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024)})
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Choose an Excel workbook ending in .xlsx."))
        return upload
