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
import json
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _loadkit import Client, p99, recreate_database, run_clients, run_python, server_env, start_gunicorn  # noqa: E402

TARGET_PER_SECOND = 200


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


FORM_KEY = re.compile(rb'name="form_key" value="([^"]+)"')
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
QUESTION = re.compile(rb'name="(q\d+)" value="(\d+)"')
TEXTAREA = re.compile(rb'<textarea name="(q\d+)"')


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--responses", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1, help="gthread workers with this many threads each")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", default="xn_survey_bench")
    args = parser.parse_args()
    per_client = max(1, args.responses // args.clients)
    sent_total = per_client * args.clients

    data_dir = tempfile.mkdtemp(prefix="xiaoneng-survey-bench-")
    env = server_env(recreate_database(args.database), data_dir, XIAONENG_SURVEY_RESPONSES_PER_IP_HOUR="0")
    token = run_python(SETUP, env).strip().splitlines()[-1]
    server = start_gunicorn(env, args.port, args.workers, data_dir, threads=args.threads)
    page = f"/surveys/a/{token}/"
    forms: dict[int, tuple[Client, list[bytes]]] = {}

    def load(state, n):  # a phone opens the page: form key and CSRF cookie
        status, body = state[0].request("GET", page)
        state[1].append(body)
        return status

    def answer(state, n):  # … and sends the answers, each from another phone (no device cookie)
        client, bodies = state
        body = bodies[n]
        fields = {"form_key": FORM_KEY.search(body).group(1).decode(),
                  "csrfmiddlewaretoken": CSRF.search(body).group(1).decode()}
        for name, value in QUESTION.findall(body):
            fields.setdefault(name.decode(), value.decode())
        for name in TEXTAREA.findall(body):
            fields[name.decode()] = "医生讲解很耐心"
        client.cookies.pop("xn_survey_device", None)
        return client.request("POST", page, urlencode(fields).encode(),
                              {"Content-Type": "application/x-www-form-urlencoded"})[0]

    try:
        bare_lat, bare_status, bare_time = run_clients(
            args.clients, per_client, lambda i: Client(args.port),
            lambda client, n: client.request("GET", "/bench/bare/")[0])
        get_lat, get_status, get_time = run_clients(
            args.clients, per_client, lambda i: forms.setdefault(i, (Client(args.port), [])), load)
        post_lat, post_status, post_time = run_clients(args.clients, per_client, lambda i: forms[i], answer)
    finally:
        server.terminate()
        server.wait(timeout=20)
    found, answers = map(int, run_python(COUNT, env).split())
    ok_posts = sum(1 for s in post_status if s == 200)
    result = {
        "clients": args.clients, "workers": args.workers, "threads": args.threads, "responses_sent": sent_total,
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
