"""Shared parts of the load benchmarks: a fresh PostgreSQL database, gunicorn as in production
on loopback, keep-alive HTTP clients with their own cookies, and N concurrent clients."""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"


def recreate_database(name: str) -> str:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def server_env(db_url: str, data_dir: str, **extra: str) -> dict:
    env = dict(os.environ)
    env.update({
        "XIAONENG_DATABASE_URL": db_url, "XIAONENG_DATA_DIR": data_dir, "XIAONENG_DEBUG": "0",
        "XIAONENG_LOG_LEVEL": "WARNING", "DJANGO_SETTINGS_MODULE": "_bench_site",
        "PYTHONPATH": f"{BENCH_DIR}{os.pathsep}{env.get('PYTHONPATH', '')}",
    })
    env.update(extra)
    return env


def run_python(code: str, env: dict) -> str:
    return subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True,
                          text=True).stdout


def start_gunicorn(env: dict, port: int, workers: int, tmp_dir: str, threads: int = 1) -> subprocess.Popen:
    threading_args = ["--worker-class", "gthread", "--threads", str(threads)] if threads > 1 else []
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "xiaoneng.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), *threading_args, "--graceful-timeout", "10", "--log-level", "warning",
         "--worker-tmp-dir", tmp_dir, "--no-control-socket"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/bare/")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


class Client:
    """One browser: its own keep-alive connection and cookies."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.setdefault("Referer", f"http://127.0.0.1:{self.port}{path}")
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # gunicorn's sync workers close keep-alive connections; reconnect once.
                self.conn.close()
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data


def run_clients(clients: int, per_client: int, setup, step) -> tuple[list[float], list[int], float]:
    """``setup(index)`` per client (not timed), then ``step(state, n)`` per_client times each, all at once."""
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            state = setup(index)
        except BaseException as exc:  # noqa: BLE001 - reported after the run
            errors.append(exc)
            barrier.abort()
            return
        barrier.wait()
        mine_lat, mine_status = [], []
        for n in range(per_client):
            start = time.perf_counter()
            try:
                mine_status.append(step(state, n))
            except OSError:
                mine_status.append(0)
            mine_lat.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine_lat)
            statuses.extend(mine_status)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    try:
        barrier.wait()
    except threading.BrokenBarrierError:
        pass
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return latencies, statuses, time.perf_counter() - began


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 100 else max(values)
