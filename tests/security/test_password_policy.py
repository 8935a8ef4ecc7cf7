"""SECURITY-CHECKS 1: the 等保 password profile, with common and context words blocked.

The person is liaison_a (user name "liaison_a", name 甲联络) of 甲县卫生健康局 (short name 甲县).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

PASSPHRASE_64 = "river stone lantern orchard violet thunder meadow copper saddles"
assert len(PASSPHRASE_64) == 64

ACCEPT, REJECT = True, False

CANDIDATES = [
    # too short
    ("Ab1!", REJECT),
    ("Xy7#abc", REJECT),
    # fewer than 3 of the 4 character classes
    ("kqzvmtrw", REJECT),
    ("kqzv8trw", REJECT),
    ("KQZV8TRW", REJECT),
    ("kqzvTRWm", REJECT),
    ("8264#%91", REJECT),
    # the user name, a part of it, the person's name, the unit's name
    ("Liaison_a2026", REJECT),
    ("2026#LIAISON_A", REJECT),
    ("Liaison#2026", REJECT),
    ("甲县Health#1", REJECT),
    ("我在甲县卫生健康局Ab1", REJECT),
    ("甲联络Pass#1", REJECT),
    ("correct horse liaison_a battery staple", REJECT),
    # among the 3,000 most common passwords (Django's list), whatever the case
    ("Password1", REJECT),
    ("Qwerty123", REJECT),
    ("Abcd1234", REJECT),
    ("1qaz2WSX", REJECT),
    # common in China
    ("P@ssw0rd", REJECT),
    ("Aa123456", REJECT),
    ("Woaini1314", REJECT),
    ("Admin@123", REJECT),
    ("Qwer1234!", REJECT),
    # good ones
    ("Tz8#kq2Lw", ACCEPT),
    ("mK7pQ2xV", ACCEPT),
    ("vk93-rt8-qp", ACCEPT),
    ("九月的风Ab3x", ACCEPT),
    ("correct horse battery staple fine day", ACCEPT),
    (PASSPHRASE_64, ACCEPT),
    ("Zq9!" * 32, ACCEPT),
]


def test_the_table_has_thirty_candidates():
    assert len(CANDIDATES) == 30


@pytest.mark.django_db
@pytest.mark.parametrize(("password", "accepted"), CANDIDATES, ids=[c[0][:24] for c in CANDIDATES])
def test_password_candidate_is_accepted_or_rejected_as_expected(liaison_a, password, accepted):
    try:
        validate_password(password, liaison_a)
    except ValidationError:
        assert not accepted, f"{password!r} should have been accepted"
    else:
        assert accepted, f"{password!r} should have been rejected"


@pytest.mark.django_db
def test_passphrases_of_64_and_more_characters_are_accepted(liaison_a):
    for length in (64, 100, 200, 1000):
        validate_password(("sunny meadow " * 100)[:length], liaison_a)


@pytest.mark.django_db
def test_the_length_and_classes_are_configurable(settings, liaison_a):
    settings.PASSWORD_MIN_LENGTH = 12
    with pytest.raises(ValidationError):
        validate_password("Tz8#kq2Lw", liaison_a)
    settings.PASSWORD_MIN_CLASSES = 4
    settings.PASSWORD_MIN_LENGTH = 8
    with pytest.raises(ValidationError):
        validate_password("mK7pQ2xV", liaison_a)
    validate_password("mK7pQ2x!", liaison_a)


@pytest.mark.django_db
def test_each_rejection_says_why(liaison_a):
    reasons = {
        "Ab1!": "password_too_short",
        "kqzv8trw": "password_too_simple",
        "Liaison#2026": "password_has_context_word",
        "Admin@123": "password_too_common",
    }
    for password, code in reasons.items():
        with pytest.raises(ValidationError) as caught:
            validate_password(password, liaison_a)
        assert code in [error.code for error in caught.value.error_list], password
