"""Helpers shared by every app's forms and views."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def form_errors_from(exc: ValidationError, form) -> None:
    """Show a service's ValidationError on the form: at its field when the form has that field,
    else above the form (so a rule enforced in a service reads like a field message)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
