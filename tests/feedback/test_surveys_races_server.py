"""SECURITY-CHECKS 22 against the real server: gunicorn with several workers on a file database.

The in-process race tests need PostgreSQL (SQLite's test database lives in memory); here the
same races run through HTTP against a fresh installation, on SQLite always and on PostgreSQL
when the suite runs on it: twenty identical posts of one form load make one response, and fifty
phones using one paper code at once get one answer accepted.
"""

from __future__ import annotations

import http.client
import re
import threading
from urllib.parse import urlencode

import pytest

from tests.ops.instances import backends, free_port, fresh_instance, wait_for

SETUP = """
import datetime as dt, json
from django.utils import timezone
from xiaoneng.org.models import RoleAssignment, Unit, User
from xiaoneng.feedback.surveys import services
office = User.objects.create(username="office")
RoleAssignment.objects.create(user=office, role="office")
unit = Unit.objects.create(name="示范市第一人民医院", kind="hospital")
q = services.questionnaire_from_builtin(key="cadres_rate_leadership", user=office)
today = timezone.localdate()
s = services.survey_create(questionnaire=q, title="并发测试", starts_on=today - dt.timedelta(days=1),
                           ends_on=today + dt.timedelta(days=5), user=office)
services.survey_set_status(survey=s, status="open", user=office)
link = services.distribution_add(survey=s, unit=unit, ward="心内科", user=office)
coded = services.distribution_add(survey=s, unit=unit, subject="领导班子", method="codes", user=office)
code = services.paper_codes_issue(distribution=coded, count=1, user=office)[0]
print(json.dumps({"link": link.token, "coded": coded.token, "code": code}))
"""
COUNT = """
import json
from xiaoneng.feedback.surveys.models import PaperCode, Response
print(json.dumps({"link": Response.objects.filter(distribution__method="link").count(),
                  "coded": Response.objects.filter(distribution__method="codes").count(),
                  "used": PaperCode.objects.filter(used=True).count()}))
"""
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CHOICE = re.compile(r'name="(q\d+)" value="(\d+)"')


class Phone:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers.update({"Content-Type": "application/x-www-form-urlencoded",
                            "Referer": f"http://127.0.0.1:{self.port}{path}"})
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, text

    def form(self, path: str, **extra: str) -> bytes:
        status, page = self.request("GET", path)
        assert status == 200, page[:500]
        data = {"form_key": FORM_KEY.search(page).group(1), "csrfmiddlewaretoken": CSRF.search(page).group(1)}
        for name, value in CHOICE.findall(page):
            data.setdefault(name, value)
        data.update(extra)
        return urlencode(data).encode()


def _all_at_once(jobs) -> list:
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        barrier.wait()
        results[index] = job()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.slow
@pytest.mark.parametrize("backend", backends())
def test_concurrent_posts_through_the_server_make_one_response_each(backend):
    port = free_port()
    with fresh_instance(backend) as instance:
        instance.xiaoneng("manage", "migrate", "--no-input", timeout=180)
        made = instance.python(SETUP)
        instance.start("serve", "--port", str(port), "--workers", "4", log_name="serve.log")
        wait_for(lambda: _status(port) == 200, timeout=90, what=f"the server\n{instance.log('serve.log')}")

        # One form load sent twenty times at once (a retry storm): one response.
        phone = Phone(port)
        body = phone.form(f"/surveys/a/{made['link']}/")
        statuses = _all_at_once([lambda: phone.request("POST", f"/surveys/a/{made['link']}/", body)[0]] * 20)
        assert statuses == [200] * 20, instance.log("serve.log")[-2000:]

        # Fifty phones type the same paper code at once: one answer is taken.
        phones = [Phone(port) for _ in range(50)]
        path = f"/surveys/a/{made['coded']}/"
        bodies = [p.form(path, code=made["code"]) for p in phones]
        results = _all_at_once([lambda p=p, b=b: p.request("POST", path, b) for p, b in zip(phones, bodies, strict=True)])
        accepted = [text for status, text in results if status == 200]
        assert len(accepted) == 1 and all(status in (400, 429) for status, _ in results if status != 200)

        counts = instance.python(COUNT)
        assert counts == {"link": 1, "coded": 1, "used": 1}


def _status(port: int) -> int | None:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/account/login/")
        return conn.getresponse().status
    except OSError:
        return None
