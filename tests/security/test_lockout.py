"""SECURITY-CHECKS 3: five wrong passwords lock an account for fifteen minutes, and say nothing more."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client

from xiaoneng.core.audit.models import AuditEvent

from .support import (
    ACCOUNT_LOCKED,
    LOGIN_URL,
    WRONG_CREDENTIALS,
    form_error,
    is_signed_in,
    says,
    sign_in,
)

pytestmark = pytest.mark.django_db


def login_events():
    return list(AuditEvent.objects.filter(action__startswith="login").order_by("id").values_list("action", "result"))


def test_five_wrong_passwords_lock_the_account_until_fifteen_minutes_have_passed(client, liaison_a, now):
    with time_machine.travel(now, tick=False) as traveller:
        for attempt in range(1, 6):
            response = sign_in(client, "liaison_a", "Wrong#Pass1")
            expected = ACCOUNT_LOCKED if attempt == 5 else WRONG_CREDENTIALS
            assert says(form_error(response), expected), attempt

        traveller.shift(timedelta(minutes=14, seconds=59))
        response = sign_in(client, "liaison_a")
        assert response.status_code == 200
        assert says(form_error(response), ACCOUNT_LOCKED)
        assert not is_signed_in(client)

        traveller.shift(timedelta(seconds=2))  # 15:01 after the fifth failure
        response = sign_in(client, "liaison_a")
        assert response.status_code == 302
        assert is_signed_in(client)


def test_the_lock_message_says_in_chinese_when_to_try_again(client, liaison_a):
    for _ in range(5):
        response = sign_in(client, "liaison_a", "Wrong#Pass1")
    message = form_error(response)
    assert says(message, ACCOUNT_LOCKED)
    assert "15" in message


def test_an_unknown_user_name_gets_the_same_message_and_status_as_a_wrong_password(liaison_a):
    wrong_password = sign_in(Client(), "liaison_a", "Wrong#Pass1")
    unknown_user = sign_in(Client(), "no_such_person", "Wrong#Pass1")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert form_error(wrong_password) == form_error(unknown_user)
    assert says(form_error(unknown_user), WRONG_CREDENTIALS)


def test_a_locked_account_and_a_locked_unknown_user_name_answer_alike(liaison_a):
    for username in ("liaison_a", "no_such_person"):
        for _ in range(5):
            sign_in(Client(), username, "Wrong#Pass1")
    right_password_on_locked_account = sign_in(Client(), "liaison_a")
    unknown_locked = sign_in(Client(), "no_such_person", "Anything#1")
    assert right_password_on_locked_account.status_code == unknown_locked.status_code
    assert form_error(right_password_on_locked_account) == form_error(unknown_locked)


def test_a_disabled_account_answers_like_a_wrong_password(client, liaison_a):
    liaison_a.is_active = False
    liaison_a.save(update_fields=["is_active"])
    response = sign_in(client, "liaison_a")
    assert says(form_error(response), WRONG_CREDENTIALS)
    assert not is_signed_in(client)


def test_each_attempt_writes_exactly_one_audit_row(client, liaison_a, now):
    with time_machine.travel(now, tick=False) as traveller:
        for _ in range(5):
            sign_in(Client(), "liaison_a", "Wrong#Pass1")
        sign_in(Client(), "liaison_a")  # refused: locked
        traveller.shift(timedelta(minutes=16))
        sign_in(client, "liaison_a")
        client.post("/account/logout/", REMOTE_ADDR="10.1.1.1")
    assert login_events() == [("login.failure", "failed")] * 5 + [("login.locked", "denied"), ("login.success", "ok")]
    assert AuditEvent.objects.filter(action="logout").count() == 1
    failure = AuditEvent.objects.filter(action="login.failure").first()
    assert failure.ip == "10.1.1.1"
    assert failure.detail["username"] == "liaison_a"


def test_a_successful_sign_in_starts_the_count_again(liaison_a, now):
    with time_machine.travel(now, tick=False) as traveller:
        for _ in range(4):
            sign_in(Client(), "liaison_a", "Wrong#Pass1")
        traveller.shift(timedelta(seconds=5))
        assert sign_in(Client(), "liaison_a").status_code == 302
        traveller.shift(timedelta(seconds=5))
        response = sign_in(Client(), "liaison_a", "Wrong#Pass1")
    assert says(form_error(response), WRONG_CREDENTIALS)


def test_attempts_while_locked_do_not_extend_the_lock(client, liaison_a, now):
    with time_machine.travel(now, tick=False) as traveller:
        for _ in range(5):
            sign_in(client, "liaison_a", "Wrong#Pass1")
        for _ in range(10):
            traveller.shift(timedelta(minutes=1))
            sign_in(client, "liaison_a", "Wrong#Pass1")
        traveller.shift(timedelta(minutes=5, seconds=1))
        assert sign_in(client, "liaison_a").status_code == 302


def test_the_login_form_keeps_the_typed_user_name_and_marks_missing_fields(client, liaison_a):
    response = sign_in(client, "liaison_a", "Wrong#Pass1")
    assert 'value="liaison_a"' in response.content.decode()
    assert "Wrong#Pass1" not in response.content.decode()
    empty = client.post(LOGIN_URL, {"username": "liaison_a", "password": ""})
    body = empty.content.decode()
    assert 'class="invalid-feedback d-block"' in body
    assert "这个字段是必填项" in body or "This field is required" in body
