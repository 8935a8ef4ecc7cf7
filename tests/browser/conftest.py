"""Playwright fixtures: Debian's Chromium (never a downloaded browser) against pytest-django's live server.

Chromium is found at $XIAONENG_CHROMIUM or /usr/bin/chromium. Locally a missing Chromium skips
the browser tests with the reason; in CI (CI=true) it fails them, so CI can never pass without
having run them.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Playwright's sync API keeps an asyncio loop running in this thread; Django's ORM refuses to
# run inside a running loop unless told it is safe (it is: Playwright does not share the thread).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def chromium_path() -> str:
    return os.environ.get("XIAONENG_CHROMIUM") or "/usr/bin/chromium"


def running_in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test process; Playwright gives it a new, empty user data dir."""
    path = chromium_path()
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        reason = f"Chromium not found at {path}: apt-get install chromium, or set XIAONENG_CHROMIUM"
        if running_in_ci():
            pytest.fail(f"{reason} (CI=true: browser tests must run)", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """PBKDF2 costs a second or more per sign-in on a busy CI machine; these tests are about the
    pages, not the hash (the live server thread sees the same settings)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class PageLog:
    """Every request the page made and every console message it printed."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.console: list[str] = []

    def foreign_requests(self, origin: str) -> list[str]:
        """Requests to any origin but ``origin`` (data: and blob: URLs are not requests to an origin)."""
        return [
            url
            for url in self.requests
            if urlsplit(url).scheme not in {"data", "blob"} and origin_of(url) != origin
        ]

    def csp_violations(self) -> list[str]:
        return [text for text in self.console if "Content Security Policy" in text]


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture
def page_log() -> PageLog:
    return PageLog()


@pytest.fixture
def new_page(browser, page_log, live_server):
    """Open a page in a fresh context (own cookies) that a Chinese user's browser would show.

    ``new_page(viewport=PHONE)`` for a phone; every page reports into ``page_log``.
    """
    contexts = []

    def open_page(viewport=DESKTOP):
        context = browser.new_context(locale="zh-CN", viewport=viewport, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on("request", lambda request: page_log.requests.append(request.url))
        page.on("console", lambda message: page_log.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: page_log.console.append(f"pageerror: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def sign_in():
    """Sign a persona in through the login form, as a person would."""
    from tests.conftest import PASSWORD

    def submit(page, username, password=PASSWORD):
        page.goto("/account/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        with page.expect_navigation():
            page.click("form button[type=submit]")
        return page

    return submit
