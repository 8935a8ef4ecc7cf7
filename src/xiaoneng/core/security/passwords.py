"""The 等保 password profile: length, character classes, and context words."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters the password uses."""
    return sum(
        bool(re.search(pattern, password))
        for pattern in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")
    )


class LengthAndClassesValidator:
    """At least N characters using 3 of 4 classes; a long passphrase (≥ 20) needs no classes."""

    passphrase_length = 20

    def validate(self, password: str, user=None) -> None:
        minimum = settings.PASSWORD_MIN_LENGTH
        if len(password) < minimum:
            raise ValidationError(
                ngettext("The password must have at least %(n)d character.",
                         "The password must have at least %(n)d characters.", minimum) % {"n": minimum},
                code="password_too_short",
            )
        if len(password) < self.passphrase_length and character_classes(password) < settings.PASSWORD_MIN_CLASSES:
            raise ValidationError(
                _("The password must use at least %(n)d of: lower-case letters, upper-case letters, digits, "
                  "symbols.") % {"n": settings.PASSWORD_MIN_CLASSES},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _("At least %(n)d characters, using 3 of: lower case, upper case, digits, symbols.") % {
            "n": settings.PASSWORD_MIN_LENGTH}


class ContextWordsValidator:
    """The password must not contain the username, the person's name, or their unit's name."""

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        lowered = password.lower()
        words = [getattr(user, "username", ""), getattr(user, "full_name", ""), getattr(user, "email", "").split("@")[0]]
        unit = getattr(user, "unit", None) if getattr(user, "unit_id", None) else None
        if unit is not None:
            words += [unit.name, unit.short_name]
        for word in words:
            word = (word or "").strip().lower()
            if len(word) >= 3 and word in lowered or (len(word) >= 2 and not word.isascii() and word in lowered):
                raise ValidationError(
                    _("The password must not contain your user name, your name or your unit's name."),
                    code="password_has_context_word",
                )

    def get_help_text(self) -> str:
        return _("It must not contain your user name, your name or your unit's name.")
