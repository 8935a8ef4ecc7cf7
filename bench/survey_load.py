"""Load benchmark: anonymous survey answers against the server as run in production.

Starts gunicorn (the same flags as `xiaoneng serve`, sync workers) on loopback against a fresh
PostgreSQL database, then 50 concurrent clients:
  1. load the answering page (GET: the form key and the CSRF cookie), as a phone does;
  2. send the answers (POST): the figure the issue names, responses per second and p99;
then counts the responses in the database, which must equal the count sent, and, in the same
run, the throughput of a bare Django view (/bench/bare/) with the same clients.

The per-address ceiling (XIAONENG_SURVEY_RESPONSES_PER_IP_HOUR) is switched off: every client
here shares 127.0.0.1, which is what the ceiling exists to stop. Loopback only; bounded by
--responses and --max-seconds.

usage: python bench/survey_load.py [--clients 50] [--responses 3000] [--workers 5]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

BENCH_DIR = Path(__file__).resolve().parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
TARGET_PER_SECOND = 200


def sh_env(db_url: str, data_dir: str) -> dict:
    env = dict(os.environ)
    env.update({
        "XIAONENG_DATABASE_URL": db_url, "XIAONENG_DATA_DIR": data_dir, "XIAONENG_DEBUG": "0",
        "XIAONENG_SURVEY_RESPONSES_PER_IP_HOUR": "0", "XIAONENG_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "_survey_site", "PYTHONPATH": f"{BENCH_DIR}{os.pathsep}{env.get('PYTHONPATH', '')}",
    })
    return env


def recreate_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


SETUP = r"""
import datetime as dt, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.utils import timezone
from xiaoneng.org.models import RoleAssignment, Unit, User
from xiaoneng.feedback.surveys import services
office = User.objects.create(username="office")
RoleAssignment.objects.create(user=office, role="office")
unit = Unit.objects.create(name="示范市第一人民医院", kind="hospital")
q = services.questionnaire_from_builtin(key="inpatient_doctors_nurses", user=office)
today = timezone.localdate()
s = services.survey_create(questionnaire=q, title="负载测试", starts_on=today - dt.timedelta(days=1),
                           ends_on=today + dt.timedelta(days=30), user=office)
services.survey_set_status(survey=s, status="open", user=office)
d = services.distribution_add(survey=s, unit=unit, ward="心内科", subject="张医生", user=office)
print(d.token)
"""

COUNT = r"""
import django
django.setup()
from xiaoneng.feedback.surveys.models import Answer, Response
print(Response.objects.count(), Answer.objects.count())
"""


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/bare/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


class Client:
    """One phone: its own connection and cookies."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # gunicorn's sync workers close idle keep-alive connections
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data


def run_clients(clients: int, per_client: int, work) -> tuple[list[float], list[int], float]:
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)

    def run(index: int) -> None:
        state = work.setup(index)
        barrier.wait()
        mine_lat, mine_status = [], []
        for n in range(per_client):
            start = time.perf_counter()
            mine_status.append(work.step(state, n))
            mine_lat.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine_lat)
            statuses.extend(mine_status)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return latencies, statuses, time.perf_counter() - began


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 100 else max(values)


FORM_KEY = re.compile(rb'name="form_key" value="([^"]+)"')
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
QUESTION = re.compile(rb'name="(q\d+)" value="(\d+)"')
TEXTAREA = re.compile(rb'<textarea name="(q\d+)"')


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--responses", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="xn_survey_bench")
    args = parser.parse_args()
    per_client = max(1, args.responses // args.clients)
    sent_total = per_client * args.clients

    recreate_database(args.database)
    data_dir = tempfile.mkdtemp(prefix="xiaoneng-survey-bench-")
    env = sh_env(f"postgres://postgres@127.0.0.1:5432/{args.database}", data_dir)
    token = subprocess.run([sys.executable, "-c", SETUP], env=env, check=True, capture_output=True,
                           text=True).stdout.strip().splitlines()[-1]
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "xiaoneng.wsgi", "--bind", f"127.0.0.1:{args.port}",
         "--workers", str(args.workers), "--graceful-timeout", "10", "--log-level", "warning",
         "--worker-tmp-dir", data_dir],
        env={**env, "DJANGO_SETTINGS_MODULE": "_survey_site"}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(args.port)
        page = f"/surveys/a/{token}/"

        class Bare:
            def setup(self, index):
                return Client(args.port)

            def step(self, client, n):
                return client.request("GET", "/bench/bare/")[0]

        class Load:  # phase 1: each client loads its forms, as phones open the page
            def setup(self, index):
                return {"client": Client(args.port), "forms": []}

            def step(self, state, n):
                status, body = state["client"].request("GET", page)
                state["forms"].append(body)
                return status

        forms_by_client: dict[int, tuple[Client, list[bytes]]] = {}

        class Answer:  # phase 2: each client sends the answers of the forms it loaded
            def setup(self, index):
                return forms_by_client[index]

            def step(self, state, n):
                client, forms = state
                body = forms[n]
                fields = {"form_key": FORM_KEY.search(body).group(1).decode(),
                          "csrfmiddlewaretoken": CSRF.search(body).group(1).decode()}
                for name, value in QUESTION.findall(body):
                    fields.setdefault(name.decode(), value.decode())
                for name in TEXTAREA.findall(body):
                    fields[name.decode()] = "医生讲解很耐心"
                client.cookies.pop("xn_survey_device", None)  # each answer from another phone
                status, data = client.request(
                    "POST", page, urlencode(fields).encode(),
                    {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{args.port}{page}"})
                return status

        bare_lat, bare_status, bare_time = run_clients(args.clients, per_client, Bare())

        load_states: list = []

        class RecordingLoad(Load):
            def setup(self, index):
                state = super().setup(index)
                load_states.append((index, state))
                return state

        get_lat, get_status, get_time = run_clients(args.clients, per_client, RecordingLoad())
        for index, state in load_states:
            forms_by_client[index] = (state["client"], state["forms"])
        post_lat, post_status, post_time = run_clients(args.clients, per_client, Answer())
    finally:
        server.terminate()
        server.wait(timeout=20)
    found, answers = map(int, subprocess.run([sys.executable, "-c", COUNT], env=env, check=True,
                                             capture_output=True, text=True).stdout.split())
    ok_posts = sum(1 for s in post_status if s == 200)
    result = {
        "clients": args.clients, "workers": args.workers, "responses_sent": sent_total,
        "responses_ok": ok_posts, "responses_in_db": found, "answers_in_db": answers,
        "lost": sent_total - found,
        "responses_per_s": round(sent_total / post_time, 1),
        "response_p50_ms": round(statistics.median(post_lat) * 1000, 1),
        "response_p99_ms": round(p99(post_lat) * 1000, 1),
        "form_loads_per_s": round(sent_total / get_time, 1),
        "form_load_p99_ms": round(p99(get_lat) * 1000, 1),
        "bare_view_per_s": round(sent_total / bare_time, 1),
        "bare_view_p99_ms": round(p99(bare_lat) * 1000, 1),
        "bare_errors": sum(1 for s in bare_status if s != 200),
        "ratio_to_bare": round((sent_total / bare_time) / (sent_total / post_time), 2),
        "target_per_s": TARGET_PER_SECOND,
    }
    result["meets_target"] = (result["responses_per_s"] >= TARGET_PER_SECOND and result["lost"] == 0
                              and ok_posts == sent_total)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
