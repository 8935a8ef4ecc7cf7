"""Helpers shared by the security checks: signing in through the form, reading the form's message."""

from __future__ import annotations

import html
import re

from tests.conftest import PASSWORD

LOGIN_URL = "/account/login/"
PROBE_URL = "/account/two-factor/"  # a page every signed-in person may open

WRONG_CREDENTIALS = ("用户名或密码错误", "Wrong user name or password")
ACCOUNT_LOCKED = ("账户已锁定", "This account is locked")
NETWORK_THROTTLED = ("此网络", "from this network")


def sign_in(client, username, password=PASSWORD, *, ip="10.1.1.1", **extra):
    """POST the login form as a browser would, from the given address."""
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def form_error(response) -> str:
    """The text of the form-wide error box (what the person reads above the fields)."""
    match = re.search(r'class="alert alert-danger" role="alert"><div>(.*?)</div>', response.content.decode(), re.S)
    assert match, "the page shows no error"
    return html.unescape(match.group(1)).strip()


def says(text: str, variants: tuple[str, ...]) -> bool:
    """The Chinese wording, or the English source string until the catalogue is compiled."""
    return any(variant in text for variant in variants)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session
