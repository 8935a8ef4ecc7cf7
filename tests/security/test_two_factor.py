"""SECURITY-CHECKS 6: administrators sign in with a TOTP code; a code works once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from xiaoneng.core.audit.models import AuditEvent

from .support import ACCOUNT_LOCKED, LOGIN_URL, PROBE_URL, is_signed_in, says, sign_in

pytestmark = pytest.mark.django_db

ENROL_URL = "/account/two-factor/"
VERIFY_URL = "/account/login/code/"
WRONG_CODE = ("验证码错误", "The code is wrong")


def code_for(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code_for(device) -> str:
    return f"{(int(code_for(device)) + 1) % 1_000_000:06d}"


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def field_error(response, field) -> str:
    body = response.content.decode()
    block = body.split(f'name="{field}"')[1]
    match = re.search(r'class="invalid-feedback d-block">(.*?)</div>', block)
    return match.group(1) if match else ""


def test_an_admin_without_a_device_must_enrol_before_being_signed_in(system_admin):
    client = Client()
    response = sign_in(client, "sys_admin")
    assert response.status_code == 302 and response["Location"] == ENROL_URL
    assert not is_signed_in(client)
    assert client.get("/account/password/")["Location"].startswith(LOGIN_URL)  # nothing else is reachable

    page = client.get(ENROL_URL)
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body and "<path" in body
    assert not re.search(r"<script(?![^>]*\bsrc=)", body), "no inline script"
    assert "style=" not in body
    device = TOTPDevice.objects.get(user=system_admin, confirmed=False)
    secret = re.search(r'class="xn-otp-secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    assert len(secret) == 32

    response = client.post(ENROL_URL, {"token": code_for(device)})
    assert response.status_code == 302
    assert is_signed_in(client)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(PROBE_URL).status_code == 200


def test_the_enrolment_page_keeps_the_same_secret_when_reloaded(system_admin):
    client = Client()
    sign_in(client, "sys_admin")
    first = client.get(ENROL_URL).content.decode()
    second = client.get(ENROL_URL).content.decode()
    pattern = r'class="xn-otp-secret">([A-Z2-7 ]+)<'
    assert re.search(pattern, first).group(1) == re.search(pattern, second).group(1)
    assert TOTPDevice.objects.filter(user=system_admin).count() == 1


def test_a_wrong_enrolment_code_is_answered_next_to_the_field(system_admin):
    client = Client()
    sign_in(client, "sys_admin")
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=system_admin)
    response = client.post(ENROL_URL, {"token": wrong_code_for(device)})
    assert response.status_code == 200
    assert field_error(response, "token")
    assert not is_signed_in(client)
    response = client.post(ENROL_URL, {"token": "12ab"})
    assert "6" in field_error(response, "token")
    assert 'value="12ab"' in response.content.decode()


def test_a_signed_in_admin_session_without_a_second_factor_is_sent_to_enrol(audit_admin):
    client = Client()
    client.force_login(audit_admin)
    for url in ("/", "/account/password/", "/audit/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == ENROL_URL, url
    assert client.get(ENROL_URL).status_code == 200


def test_an_admin_session_that_skipped_an_existing_device_is_signed_out(security_admin):
    confirmed_device(security_admin)
    client = Client()
    client.force_login(security_admin)
    response = client.get(PROBE_URL)
    assert response["Location"] == LOGIN_URL
    assert not is_signed_in(client)


def test_the_personas_admin_client_has_passed_two_factor(client_for, system_admin):
    assert client_for(system_admin).get(PROBE_URL).status_code == 200


def test_a_person_with_a_device_enters_the_code_before_being_signed_in(liaison_a, now):
    device = confirmed_device(liaison_a)
    with time_machine.travel(now, tick=False) as traveller:
        client = Client()
        response = sign_in(client, "liaison_a")
        assert response["Location"] == VERIFY_URL
        assert not is_signed_in(client)
        assert client.get(PROBE_URL)["Location"].startswith(LOGIN_URL)

        response = client.post(VERIFY_URL, {"token": wrong_code_for(device)})
        assert response.status_code == 200
        assert says(field_error(response, "token"), WRONG_CODE)
        assert not is_signed_in(client)

        traveller.shift(timedelta(seconds=3))  # django-otp backs off one second after a failure
        response = client.post(VERIFY_URL, {"token": code_for(device)})
        assert response.status_code == 302
        assert is_signed_in(client)
        assert client.get(PROBE_URL).status_code == 200
    actions = list(AuditEvent.objects.filter(action__startswith="login").order_by("id").values_list("action", flat=True))
    assert actions == ["login.password", "login.failure", "login.success"]


def test_the_same_code_is_refused_the_second_time(liaison_a, now):
    device = confirmed_device(liaison_a)
    with time_machine.travel(now, tick=False) as traveller:
        code = code_for(device)
        first = Client()
        sign_in(first, "liaison_a")
        assert first.post(VERIFY_URL, {"token": code}).status_code == 302

        traveller.shift(timedelta(seconds=5))  # still inside the same 30-second step
        assert code_for(device) == code
        second = Client()
        sign_in(second, "liaison_a")
        response = second.post(VERIFY_URL, {"token": code})
        assert response.status_code == 200
        assert says(field_error(response, "token"), WRONG_CODE)
        assert not is_signed_in(second)


def test_wrong_codes_count_towards_the_account_lock(liaison_a, now):
    device = confirmed_device(liaison_a)
    with time_machine.travel(now, tick=False) as traveller:
        client = Client()
        sign_in(client, "liaison_a")
        for _ in range(5):
            traveller.shift(timedelta(seconds=20))
            response = client.post(VERIFY_URL, {"token": wrong_code_for(device)})
        assert response["Location"] == LOGIN_URL
        page = client.get(LOGIN_URL).content.decode()
        assert says(page, ACCOUNT_LOCKED)
        traveller.shift(timedelta(seconds=40))
        assert says(sign_in(Client(), "liaison_a").content.decode(), ACCOUNT_LOCKED)


def test_the_code_step_expires_after_five_minutes(liaison_a, now):
    device = confirmed_device(liaison_a)
    with time_machine.travel(now, tick=False) as traveller:
        client = Client()
        sign_in(client, "liaison_a")
        traveller.shift(timedelta(minutes=5, seconds=1))
        response = client.post(VERIFY_URL, {"token": code_for(device)})
        assert response["Location"] == LOGIN_URL
        assert not is_signed_in(client)


def test_a_code_without_the_password_step_signs_no_one_in(liaison_a):
    device = confirmed_device(liaison_a)
    client = Client()
    response = client.post(VERIFY_URL, {"token": code_for(device)})
    assert response["Location"] == LOGIN_URL
    assert not is_signed_in(client)


def test_anyone_may_turn_on_two_factor_from_their_account_page(client_for, liaison_a):
    client = client_for(liaison_a)
    client.get(ENROL_URL)
    device = TOTPDevice.objects.get(user=liaison_a)
    assert client.post(ENROL_URL, {"token": code_for(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert AuditEvent.objects.filter(action="otp.enrol", result="ok").count() == 1


def test_a_person_who_is_not_an_admin_may_turn_two_factor_off_with_a_current_code(liaison_a, now):
    device = confirmed_device(liaison_a)
    with time_machine.travel(now, tick=False) as traveller:
        client = Client()
        sign_in(client, "liaison_a")
        client.post(VERIFY_URL, {"token": code_for(device)})
        traveller.shift(timedelta(seconds=30))
        response = client.post("/account/two-factor/remove/", {"token": code_for(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=liaison_a).exists()


def test_an_admin_cannot_turn_two_factor_off(client_for, system_admin):
    client = client_for(system_admin)
    device = TOTPDevice.objects.get(user=system_admin)
    page = client.get(ENROL_URL).content.decode()
    assert "/account/two-factor/remove/" not in page
    response = client.post("/account/two-factor/remove/", {"token": code_for(device)})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(user=system_admin, confirmed=True).exists()
