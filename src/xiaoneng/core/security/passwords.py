"""The 等保 password profile: length, character classes, common passwords and context words.

The profile is configured in settings (XIAONENG_PASSWORD_MIN_LENGTH, _MIN_CLASSES,
_EXPIRY_DAYS); the validators are listed in AUTH_PASSWORD_VALIDATORS, so Django's
``validate_password(password, user)`` applies all of them wherever a password is set.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CHINESE_COMMON_PASSWORDS = Path(__file__).resolve().parent / "common_passwords_zh.txt"


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and other characters the password uses."""
    return sum(
        bool(re.search(pattern, password))
        for pattern in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")
    )


class LengthAndClassesValidator:
    """At least N characters using 3 of 4 classes; a long passphrase (≥ 20) needs no classes.

    There is deliberately no upper limit below Django's own (4096): passphrases of 64 and more
    characters are welcome.
    """

    @property
    def passphrase_length(self) -> int:
        return getattr(settings, "PASSWORD_PASSPHRASE_LENGTH", 20)

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


@lru_cache(maxsize=1)
def _chinese_common_passwords() -> frozenset[str]:
    lines = CHINESE_COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    """Django's list of 20,000 common passwords plus passwords common in China (Aa123456, Admin@123…)."""

    def __init__(self, password_list_path=password_validation.CommonPasswordValidator.DEFAULT_PASSWORD_LIST_PATH):
        super().__init__(password_list_path)
        self.passwords = set(self.passwords) | _chinese_common_passwords()


def _context_words(user) -> list[str]:
    username = getattr(user, "username", "") or ""
    words = [username, getattr(user, "full_name", ""), (getattr(user, "email", "") or "").split("@")[0]]
    # "office_wang" also yields "office" and "wang": the parts of a user name are as guessable.
    words += [part for part in re.split(r"[^0-9A-Za-z]+", username) if len(part) >= 4]
    unit = getattr(user, "unit", None) if getattr(user, "unit_id", None) else None
    if unit is not None:
        words += [unit.name, unit.short_name]
    return [word.strip().lower() for word in words if word and word.strip()]


class ContextWordsValidator:
    """The password must not contain the username, the person's name, or their unit's name."""

    def validate(self, password: str, user=None) -> None:
        if user is None:
            return
        lowered = password.lower()
        for word in _context_words(user):
            # Latin words shorter than 3 letters match too much; two Chinese characters are a name.
            long_enough = len(word) >= 3 or (len(word) >= 2 and not word.isascii())
            if long_enough and word in lowered:
                raise ValidationError(
                    _("The password must not contain your user name, your name or your unit's name."),
                    code="password_has_context_word",
                )

    def get_help_text(self) -> str:
        return _("It must not contain your user name, your name or your unit's name.")
