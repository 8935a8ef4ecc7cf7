"""Deployment posture (check 27): Django's deploy check, security headers, cookies, the secret key, /healthz."""

from __future__ import annotations

import re
import runpy
import stat
import subprocess
import sys
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

import xiaoneng.settings as settings_module
from tests.conftest import PASSWORD
from tests.ops.instances import Instance, fresh_instance

PRODUCTION_ENV = {
    "XIAONENG_DEBUG": "0",
    "XIAONENG_HTTPS": "1",
    "XIAONENG_SECRET_KEY": "k9Qv7-0fZ2sX_production-grade-secret-LmN4pR8tW1yB6cE3hJ5uA0dG2iK7oT9q",
    "XIAONENG_ALLOWED_HOSTS": "example.org",
}


def _deploy_check(extra_env: dict) -> subprocess.CompletedProcess:
    with fresh_instance("sqlite", extra_env=extra_env) as instance:
        return instance.xiaoneng("manage", "check", "--deploy", "--fail-level", "WARNING", check=False)


@pytest.mark.slow
def test_deploy_check_is_clean_under_production_settings():
    result = _deploy_check(PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_deploy_check_fails_when_debug_is_left_on():
    result = _deploy_check(PRODUCTION_ENV | {"XIAONENG_DEBUG": "1"})
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


@pytest.mark.django_db
def test_pages_carry_a_strict_csp_and_the_other_security_headers(client_for, office, client):
    for response in (client_for(office).get("/no-such-page/"), client.get("/account/login/")):
        csp = response["Content-Security-Policy"]
        directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'"
        assert directives["style-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert "unsafe" not in csp and "*" not in csp and "http" not in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert "no-store" in response["Cache-Control"]
        assert re.fullmatch(r"[0-9a-f]{16}", response["X-Request-ID"])


@pytest.mark.django_db
def test_pages_contain_no_inline_script_or_style_attribute(client_for, office, client):
    body = client_for(office).get("/no-such-page/").content.decode() + client.get("/account/login/").content.decode()
    scripts = re.findall(r"<script\b[^>]*>", body)
    assert scripts and all("src=" in tag for tag in scripts)
    assert not re.search(r"\sstyle\s*=", body)
    assert not re.search(r"\son[a-z]+\s*=", body)


def _https_settings(monkeypatch) -> dict:
    """The security settings the real settings module computes under the production environment."""
    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    computed = runpy.run_path(settings_module.__file__)
    keys = [k for k in computed if k.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_"))]
    return {k: computed[k] for k in keys} | {"ALLOWED_HOSTS": computed["ALLOWED_HOSTS"],
                                               "CSRF_TRUSTED_ORIGINS": computed["CSRF_TRUSTED_ORIGINS"],
                                               "DEBUG": computed["DEBUG"]}


@pytest.mark.django_db
def test_under_https_settings_hsts_lasts_a_year_and_the_session_cookie_is_host_only_secure_httponly(
    monkeypatch, liaison_a, client,
):
    with override_settings(**_https_settings(monkeypatch)):
        response = client.post("/account/login/", {"username": "liaison_a", "password": PASSWORD},
                               secure=True, headers={"host": "example.org"})
        assert response.status_code == 302, response.content.decode()[:500]
        hsts = response["Strict-Transport-Security"]
        assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 365 * 24 * 3600
        assert "includeSubDomains" in hsts
        session = response.cookies["__Host-sessionid"]
        assert session["secure"] and session["httponly"]
        assert session["path"] == "/" and not session["domain"]
        assert "sessionid" not in response.cookies

        plain = client.get("/account/login/", headers={"host": "example.org"})
        assert plain.status_code == 301 and plain["Location"].startswith("https://example.org/")
        # The load balancer's health probe may use plain HTTP.
        assert client.get("/healthz", headers={"host": "example.org"}).status_code in (200, 503)


def _secret_key_of(instance: Instance) -> str:
    code = "import xiaoneng.settings as s; print(s.SECRET_KEY)"
    return subprocess.run([sys.executable, "-c", code], env=instance.env, capture_output=True, text=True,
                          check=True, timeout=60).stdout.strip()


@pytest.mark.slow
def test_generated_secret_key_is_private_to_the_owner_and_stable_across_processes():
    with fresh_instance("sqlite") as instance:
        first, second = _secret_key_of(instance), _secret_key_of(instance)
        key_file = instance.data_dir / "secret_key"
        assert first == second == key_file.read_text().strip()
        assert len(first) >= 50
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600

        instance.env["XIAONENG_SECRET_KEY"] = PRODUCTION_ENV["XIAONENG_SECRET_KEY"]
        assert _secret_key_of(instance) == PRODUCTION_ENV["XIAONENG_SECRET_KEY"]


@pytest.mark.django_db
def test_healthz_reports_a_worker_that_stopped_beating_as_stale(client, settings):
    from xiaoneng.core.jobs.models import WorkerHeartbeat

    WorkerHeartbeat.objects.create(name="host:1", pid=1, beat_at=timezone.now() - timedelta(
        seconds=settings.WORKER_HEARTBEAT_STALE_SECONDS + 5))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "ok", "worker": "stale"}
