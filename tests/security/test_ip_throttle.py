"""SECURITY-CHECKS 4: one address is throttled after 20 failures in 10 minutes, never for successes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client, RequestFactory, override_settings

from xiaoneng.core.audit.models import AuditEvent
from xiaoneng.core.security.ip import client_ip
from xiaoneng.core.security.models import LoginFailure

from .support import NETWORK_THROTTLED, WRONG_CREDENTIALS, form_error, is_signed_in, says, sign_in

pytestmark = pytest.mark.django_db

HOSPITAL_NAT = "203.0.113.7"


def test_thirty_user_names_from_one_address_are_throttled_after_twenty_failures(liaison_a, now):
    with time_machine.travel(now, tick=False):
        statuses = [sign_in(Client(), f"guess{i}", "Wrong#Pass1", ip=HOSPITAL_NAT).status_code for i in range(30)]
        throttled = sign_in(Client(), "guess99", "Wrong#Pass1", ip=HOSPITAL_NAT)
        elsewhere = sign_in(Client(), "liaison_a", ip="198.51.100.1")
    assert statuses == [200] * 19 + [429] * 11
    assert says(form_error(throttled), NETWORK_THROTTLED)
    assert LoginFailure.objects.filter(ip=HOSPITAL_NAT).count() == 20  # refused attempts check no password
    assert elsewhere.status_code == 302


def test_a_throttled_address_may_sign_in_again_when_the_window_has_passed(liaison_a, now):
    with time_machine.travel(now, tick=False) as traveller:
        for i in range(20):
            sign_in(Client(), f"guess{i}", "Wrong#Pass1", ip=HOSPITAL_NAT)
        refused = sign_in(Client(), "liaison_a", ip=HOSPITAL_NAT)
        traveller.shift(timedelta(minutes=10, seconds=1))
        client = Client()
        allowed = sign_in(client, "liaison_a", ip=HOSPITAL_NAT)
        assert is_signed_in(client)
    assert refused.status_code == 429
    assert allowed.status_code == 302


def test_two_hundred_good_sign_ins_from_one_address_are_never_blocked(liaison_a, leader_a, now):
    with time_machine.travel(now, tick=False) as traveller:
        for i in range(19):  # a bad morning: 19 typos behind the NAT
            sign_in(Client(), f"typo{i}", "Wrong#Pass1", ip=HOSPITAL_NAT)
        outcomes = []
        for i in range(200):
            traveller.shift(timedelta(seconds=1))
            client = Client()
            response = sign_in(client, "liaison_a" if i % 2 else "leader_a", ip=HOSPITAL_NAT)
            outcomes.append((response.status_code, is_signed_in(client)))
    assert outcomes == [(302, True)] * 200


def test_a_spoofed_x_forwarded_for_is_ignored(liaison_a, now):
    with time_machine.travel(now, tick=False):
        statuses = [
            sign_in(Client(), f"guess{i}", "Wrong#Pass1", ip=HOSPITAL_NAT,
                    HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").status_code
            for i in range(21)
        ]
    assert statuses[-1] == 429
    assert set(AuditEvent.objects.filter(action="login.failure").values_list("ip", flat=True)) == {HOSPITAL_NAT}


def test_the_address_comes_from_x_forwarded_for_only_behind_configured_proxies():
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.9")
    assert client_ip(request) == "10.0.0.2"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "198.51.100.9"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_ip(request) == "1.2.3.4"


def test_failures_below_the_limit_answer_as_a_wrong_password(liaison_a):
    response = sign_in(Client(), "guess", "Wrong#Pass1", ip=HOSPITAL_NAT)
    assert response.status_code == 200
    assert says(form_error(response), WRONG_CREDENTIALS)
