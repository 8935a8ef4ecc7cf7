"""SECURITY-CHECKS 9: every audited action leaves exactly one row with time+tz, user, type, object, result, IP.

The check is a table: each row names an action, the callable that performs it the way a user
would (through the HTTP client where a screen exists), and the event it must leave. When you
add an audited feature, append its row to ACTIONS; rows are only for features that exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import timezone

from tests.conftest import PASSWORD
from xiaoneng.core.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

LOGIN_URL = "/account/login/"


@dataclass
class Cast:
    """The personas of tests/conftest.py plus a signed-in client per persona."""

    request: Any  # pytest's request, to fetch persona fixtures by name

    def person(self, name: str):
        return self.request.getfixturevalue(name)

    def client(self, name: str) -> Client:
        return self.request.getfixturevalue("client_for")(self.person(name))

    def http_request(self, name: str, ip: str = "10.20.30.40"):
        """A request object for calling a service the way its view would."""
        request = RequestFactory().post("/", REMOTE_ADDR=ip)
        request.user = self.person(name)
        request.request_id = "completeness"
        return request


def _login(username: str, password: str) -> Callable[[Cast], Any]:
    return lambda cast: Client().post(LOGIN_URL, {"username": username, "password": password})


def _lock_out(cast: Cast) -> None:
    cast.person("liaison_a")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        Client().post(LOGIN_URL, {"username": "liaison_a", "password": "wrong-password-1"})


def _set_roles(cast: Cast) -> None:
    from xiaoneng.org.services import person_set_roles

    person_set_roles(
        person=cast.person("liaison_a"),
        roles=["liaison", "unit_leader"],
        request=cast.http_request("system_admin"),
    )


@dataclass(frozen=True)
class Scripted:
    name: str
    perform: Callable[[Cast], Any]
    action: str
    result: str
    actor: str  # username, or "" when nobody is signed in
    prepare: Callable[[Cast], Any] | None = None  # steps before, whose own events are not counted
    needs_object: bool = True
    fixtures: tuple[str, ...] = field(default=())


ACTIONS = [
    Scripted(
        "login with a good password",
        _login("liaison_a", PASSWORD),
        "login.success",
        "ok",
        "liaison_a",
        fixtures=("liaison_a",),
    ),
    Scripted(
        "login with a wrong password",
        _login("liaison_a", "wrong-password-1"),
        "login.failure",
        "failed",
        "",
        fixtures=("liaison_a",),
    ),
    Scripted(
        "login with an unknown username",
        _login("nobody_here", "wrong-password-1"),
        "login.failure",
        "failed",
        "",
    ),
    Scripted(
        "login to a locked account",
        _login("liaison_a", PASSWORD),
        "login.locked",
        "denied",
        "",
        prepare=_lock_out,
    ),
    Scripted(
        "logout",
        lambda cast: cast.client("liaison_a").post("/account/logout/"),
        "logout",
        "ok",
        "liaison_a",
        needs_object=False,
    ),
    Scripted("role change", _set_roles, "role.change", "ok", "sys_admin"),
    Scripted(
        "audit log viewed",
        lambda cast: cast.client("audit_admin").get("/audit/"),
        "audit.view",
        "ok",
        "audit_admin",
    ),
    Scripted(
        "audit log viewed by the system admin",
        lambda cast: cast.client("system_admin").get("/audit/"),
        "audit.view",
        "denied",
        "sys_admin",
    ),
    Scripted(
        "audit log exported",
        lambda cast: cast.client("audit_admin").get("/audit/export/"),
        "audit.export",
        "ok",
        "audit_admin",
    ),
]


@pytest.mark.parametrize("scripted", ACTIONS, ids=[s.name for s in ACTIONS])
def test_action_leaves_exactly_one_complete_audit_row(request, scripted):
    cast = Cast(request)
    for name in scripted.fixtures:
        cast.person(name)
    if scripted.prepare:
        scripted.prepare(cast)
    last_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    started = timezone.now()

    scripted.perform(cast)

    rows = list(AuditEvent.objects.filter(id__gt=last_id, action=scripted.action))
    assert len(rows) == 1, f"{scripted.name}: expected one {scripted.action} row, got {len(rows)}"
    row = rows[0]
    assert timezone.is_aware(row.at) and started <= row.at <= timezone.now()
    assert row.actor_name == scripted.actor
    assert row.result == scripted.result
    assert row.ip, f"{scripted.name}: no IP recorded"
    if scripted.needs_object:
        assert row.object_type and (row.object_id or row.object_repr), f"{scripted.name}: no object recorded"


def test_every_scripted_action_is_named_once():
    names = [s.name for s in ACTIONS]
    assert len(names) == len(set(names))
