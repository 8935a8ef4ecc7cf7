"""SECURITY-CHECKS 5: idle timeout, polling, 12-hour cap, key rotation, no-store, logout, disabled users."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client

from xiaoneng.core.audit.models import AuditEvent
from xiaoneng.core.security.models import UserSession
from xiaoneng.core.security.services import user_disable

from .support import LOGIN_URL, PROBE_URL, is_signed_in, sign_in

pytestmark = pytest.mark.django_db

POLL = {"HTTP_X_XIAONENG_POLL": "1", "HTTP_HX_REQUEST": "true"}


def signed_in_client(user) -> tuple[Client, str]:
    client = Client()
    assert sign_in(client, user.username).status_code == 302
    return client, client.cookies["sessionid"].value


def sent_to_login(response) -> bool:
    location = response.get("Location", "") or response.get("HX-Redirect", "")
    return response.status_code in (302, 204) and location.startswith(LOGIN_URL)


def test_a_request_after_29_idle_minutes_is_served_and_after_31_the_session_is_gone(liaison_a, now):
    with time_machine.travel(now, tick=False) as traveller:
        client, key = signed_in_client(liaison_a)
        traveller.shift(timedelta(minutes=29))
        assert client.get(PROBE_URL).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(PROBE_URL)
        assert sent_to_login(response)
        assert "expired=idle" in response["Location"]
        assert not Session.objects.filter(session_key=key).exists()
        assert not UserSession.objects.filter(session_key=key).exists()
        assert sent_to_login(client.get(PROBE_URL))


def test_the_idle_timeout_is_configurable(settings, liaison_a, now):
    settings.SESSION_IDLE_MINUTES = 10
    with time_machine.travel(now, tick=False) as traveller:
        client, _ = signed_in_client(liaison_a)
        traveller.shift(timedelta(minutes=11))
        assert sent_to_login(client.get(PROBE_URL))


def test_background_polling_does_not_keep_an_idle_session_alive(liaison_a, now):
    with time_machine.travel(now, tick=False) as traveller:
        client, key = signed_in_client(liaison_a)
        for minute in (10, 20, 29):
            traveller.move_to(now + timedelta(minutes=minute))
            assert client.get(PROBE_URL, **POLL).status_code == 200
        traveller.move_to(now + timedelta(minutes=31))
        assert sent_to_login(client.get(PROBE_URL))
        assert not Session.objects.filter(session_key=key).exists()


def test_an_expired_htmx_request_moves_the_whole_page_to_login(liaison_a, now):
    with time_machine.travel(now, tick=False) as traveller:
        client, _ = signed_in_client(liaison_a)
        traveller.shift(timedelta(minutes=31))
        response = client.get(PROBE_URL, **POLL)
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(LOGIN_URL)


def test_a_session_ends_after_twelve_hours_even_when_the_person_keeps_working(liaison_a, now):
    with time_machine.travel(now, tick=False) as traveller:
        client, key = signed_in_client(liaison_a)
        for step in range(1, 29):  # every 25 minutes, up to 11 h 40 min
            traveller.move_to(now + timedelta(minutes=25 * step))
            assert client.get(PROBE_URL).status_code == 200, step
        traveller.move_to(now + timedelta(hours=12, minutes=1))
        response = client.get(PROBE_URL)
        assert sent_to_login(response)
        assert "expired=max_age" in response["Location"]
        assert not Session.objects.filter(session_key=key).exists()


def test_the_session_key_changes_at_sign_in(liaison_a):
    client = Client()
    session = client.session
    session["planted"] = "by an attacker"
    session.save()
    planted_key = session.session_key
    client.cookies["sessionid"] = planted_key
    assert sign_in(client, "liaison_a").status_code == 302
    assert client.cookies["sessionid"].value != planted_key
    assert not Session.objects.filter(session_key=planted_key).exists()
    assert is_signed_in(client)


def test_pages_are_never_cached(liaison_a):
    client = Client()
    assert "no-store" in client.get(LOGIN_URL)["Cache-Control"]
    sign_in(client, "liaison_a")
    assert "no-store" in client.get(PROBE_URL)["Cache-Control"]
    assert "no-store" in client.get("/account/password/")["Cache-Control"]


def test_after_signing_out_going_back_shows_the_login_page(liaison_a):
    client, key = signed_in_client(liaison_a)
    assert client.get(PROBE_URL).status_code == 200
    response = client.post("/account/logout/")
    assert response.status_code == 302 and response["Location"] == LOGIN_URL
    assert not Session.objects.filter(session_key=key).exists()
    assert sent_to_login(client.get(PROBE_URL))
    assert AuditEvent.objects.filter(action="logout", actor=liaison_a).count() == 1


def test_signing_out_asks_for_confirmation_on_get(liaison_a):
    client, key = signed_in_client(liaison_a)
    assert client.get("/account/logout/").status_code == 200
    assert Session.objects.filter(session_key=key).exists()


def test_disabling_a_person_deletes_all_their_sessions(liaison_a, leader_a, system_admin):
    office_pc, key_1 = signed_in_client(liaison_a)
    phone, key_2 = signed_in_client(liaison_a)
    colleague, key_3 = signed_in_client(leader_a)
    assert UserSession.objects.filter(user=liaison_a).count() == 2

    user_disable(user=liaison_a, request=None)

    assert not Session.objects.filter(session_key__in=[key_1, key_2]).exists()
    assert not UserSession.objects.filter(user=liaison_a).exists()
    assert sent_to_login(office_pc.get(PROBE_URL))
    assert sent_to_login(phone.get(PROBE_URL))
    assert colleague.get(PROBE_URL).status_code == 200
    assert Session.objects.filter(session_key=key_3).exists()
    event = AuditEvent.objects.get(action="user.disable")
    assert event.detail["sessions_ended"] == 2


def test_sessions_made_without_the_login_form_are_tracked_too(client_for, liaison_a):
    client = client_for(liaison_a)
    assert client.get(PROBE_URL).status_code == 200
    assert UserSession.objects.filter(user=liaison_a).count() == 1
    user_disable(user=liaison_a)
    assert sent_to_login(client.get(PROBE_URL))
