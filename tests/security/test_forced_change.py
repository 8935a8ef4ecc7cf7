"""SECURITY-CHECKS 2: a first login, an admin reset and an expired password force a password change."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests.conftest import PASSWORD
from xiaoneng.core.audit.models import AuditEvent
from xiaoneng.core.security.services import password_reset_by_admin

from .support import PROBE_URL, is_signed_in, sign_in

pytestmark = pytest.mark.django_db

CHANGE_URL = "/account/password/"
NEW_PASSWORD = "Fresh#Start2026"
# Reachable during a forced change: the change page, signing out, and the language switch and
# health check, which show no data.
STILL_REACHABLE = {"/account/password/", "/account/logout/", "/i18n/setlang/", "/healthz"}
SAMPLES = {"int": "1", "str": "x", "slug": "x", "uuid": str(uuid.UUID(int=1)), "path": "x"}


def every_url(resolver=None, prefix="") -> list[str]:
    """One concrete path per URL pattern of the project, with sample values for its parameters."""
    resolver = resolver or get_resolver()
    paths = []
    for entry in resolver.url_patterns:
        route = str(entry.pattern).lstrip("^").rstrip("$").replace("\\Z", "")
        route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "x"), route)
        if isinstance(entry, URLResolver):
            paths += every_url(entry, prefix + route)
        elif isinstance(entry, URLPattern) and not re.search(r"[()\[\]?*+\\]", route):
            paths.append("/" + prefix + route)
    return sorted(set(paths))


def change_forced(response) -> bool:
    return response.status_code == 302 and response["Location"] == CHANGE_URL


def test_the_first_login_sends_the_person_to_change_their_password(make_person, unit_a):
    make_person("newcomer", unit=unit_a, roles=["liaison"], must_change_password=True)
    client = Client()
    assert sign_in(client, "newcomer").status_code == 302
    assert change_forced(client.get(PROBE_URL))
    page = client.get(CHANGE_URL)
    assert page.status_code == 200
    assert "请先设置您自己的密码" in page.content.decode() or "choose your own password" in page.content.decode()


def test_after_91_days_every_url_but_change_password_and_logout_goes_to_the_change_page(settings, liaison_a):
    settings.PASSWORD_EXPIRY_DAYS = 90  # the 等保 profile
    urls = every_url()
    assert len(urls) > 8, urls
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        client = Client()
        assert sign_in(client, "liaison_a").status_code == 302
        not_forced = [url for url in urls if not change_forced(client.get(url))]
        # POST too (signing out last, as it ends the session).
        not_forced_post = [url for url in urls if url != "/account/logout/" and not change_forced(client.post(url, {}))]
        assert client.post("/account/logout/").status_code == 302
        assert not is_signed_in(client)
    assert set(not_forced) == STILL_REACHABLE & set(urls)
    assert set(not_forced_post) <= STILL_REACHABLE


def test_a_password_changed_89_days_ago_is_not_forced(settings, liaison_a):
    settings.PASSWORD_EXPIRY_DAYS = 90
    with time_machine.travel(timezone.now() + timedelta(days=89), tick=False):
        client = Client()
        sign_in(client, "liaison_a")
        assert client.get(PROBE_URL).status_code == 200


def test_with_expiry_off_no_change_is_forced_even_ten_years_later(settings, liaison_a):
    settings.PASSWORD_EXPIRY_DAYS = 0
    with time_machine.travel(timezone.now() + timedelta(days=3653), tick=False):
        client = Client()
        assert sign_in(client, "liaison_a").status_code == 302
        assert client.get(PROBE_URL).status_code == 200


def test_changing_the_password_lifts_the_forced_change_and_rotates_the_session(make_person, unit_a):
    person = make_person("newcomer", unit=unit_a, roles=["liaison"], must_change_password=True)
    client, other_device = Client(), Client()
    sign_in(client, "newcomer")
    sign_in(other_device, "newcomer")
    old_key, other_key = client.cookies["sessionid"].value, other_device.cookies["sessionid"].value

    response = client.post(CHANGE_URL, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                        "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.must_change_password
    assert timezone.now() - person.password_changed_at < timedelta(minutes=1)
    assert person.check_password(NEW_PASSWORD)
    assert client.cookies["sessionid"].value != old_key
    assert is_signed_in(client)
    assert client.get(PROBE_URL).status_code == 200
    assert not Session.objects.filter(session_key__in=[old_key, other_key]).exists()
    assert AuditEvent.objects.filter(action="password.change", actor=person).count() == 1


def test_a_weak_new_password_is_refused_with_the_reason_next_to_the_field(client_for, liaison_a):
    client = client_for(liaison_a)
    response = client.post(CHANGE_URL, {"old_password": PASSWORD, "new_password1": "Liaison#2026",
                                        "new_password2": "Liaison#2026"})
    body = response.content.decode()
    assert response.status_code == 200
    field_block = body.split('name="new_password1"')[1].split('name="new_password2"')[0]
    assert "invalid-feedback" in field_block
    assert "用户名" in field_block or "user name" in field_block
    liaison_a.refresh_from_db()
    assert liaison_a.check_password(PASSWORD)


def test_the_new_password_must_differ_from_the_current_one(client_for, liaison_a):
    response = client_for(liaison_a).post(CHANGE_URL, {"old_password": PASSWORD, "new_password1": PASSWORD,
                                                       "new_password2": PASSWORD})
    body = response.content.decode()
    assert response.status_code == 200
    assert "invalid-feedback" in body.split('name="new_password1"')[1].split('name="new_password2"')[0]


def test_a_wrong_current_password_is_refused_next_to_its_field(client_for, liaison_a):
    response = client_for(liaison_a).post(CHANGE_URL, {"old_password": "Not#Mine123", "new_password1": NEW_PASSWORD,
                                                       "new_password2": NEW_PASSWORD})
    body = response.content.decode()
    assert "invalid-feedback" in body.split('name="old_password"')[1].split('name="new_password1"')[0]


def test_an_admin_reset_forces_a_change_again_and_ends_the_persons_sessions(liaison_a, security_admin):
    client = Client()
    sign_in(client, "liaison_a")
    key = client.cookies["sessionid"].value

    password_reset_by_admin(user=liaison_a, password="Temp#Reset2026")

    assert not Session.objects.filter(session_key=key).exists()
    fresh = Client()
    assert sign_in(fresh, "liaison_a", "Temp#Reset2026").status_code == 302
    assert change_forced(fresh.get(PROBE_URL))
    assert AuditEvent.objects.filter(action="password.reset").count() == 1
