"""The shell: home page, health check, language, error pages."""

import pytest


@pytest.mark.django_db
def test_office_home_page_shows_unit_in_chinese(client_for, office):
    response = client_for(office).get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "测试市卫生健康委员会" in body
    assert 'lang="zh-hans"' in body


@pytest.mark.django_db
def test_anonymous_user_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


@pytest.mark.django_db
def test_healthz_reports_missing_worker_as_degraded(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "ok", "worker": "missing"}


@pytest.mark.django_db
def test_healthz_is_ok_after_a_worker_heartbeat(client):
    from xiaoneng.core.jobs.services import worker_heartbeat

    worker_heartbeat()
    assert client.get("/healthz").json()["worker"] == "ok"
