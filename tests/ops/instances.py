"""Fresh xiaoneng installations run as real processes, for the crash, backup and serve tests.

pytest-django's SQLite test database lives in memory, invisible to other processes, so these
tests give each installation its own data dir (and, when XIAONENG_DATABASE_URL names a
PostgreSQL server, its own database derived from that name) and drive it through the
`xiaoneng` command in subprocesses.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest


def backends() -> list:
    """SQLite always; PostgreSQL too when the suite runs against it."""
    params = [pytest.param("sqlite", id="sqlite")]
    if os.environ.get("XIAONENG_DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        params.append(pytest.param("postgresql", id="postgresql"))
    return params


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


class Instance:
    """One installation: its environment, data dir and database."""

    def __init__(self, backend: str, data_dir: Path, database_url: str = "", extra_env: dict | None = None):
        self.backend = backend
        self.data_dir = data_dir
        self.database_url = database_url
        # A fresh process as an operator would start it: none of the test run's own settings
        # (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly flags).
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith("XIAONENG_") and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        self.env.update({
            "XIAONENG_DATA_DIR": str(data_dir),
            "XIAONENG_HUEY_IMMEDIATE": "0",
            "XIAONENG_LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        })
        if database_url:
            self.env["XIAONENG_DATABASE_URL"] = database_url
        self.env.update(extra_env or {})
        self.processes: list[subprocess.Popen] = []

    def xiaoneng(self, *args: str, timeout: float = 60, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [sys.executable, "-m", "xiaoneng.cli", *args], env=self.env, capture_output=True, text=True,
            timeout=timeout, cwd=self.data_dir,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"xiaoneng {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return proc

    def python(self, code: str, timeout: float = 60):
        """Run Python with Django set up in this installation; return the JSON its last line prints."""
        proc = self.xiaoneng("manage", "shell", "--no-imports", "-c", code, timeout=timeout)
        return json.loads(proc.stdout.strip().splitlines()[-1])

    def start(self, *args: str, log_name: str) -> subprocess.Popen:
        log = (self.data_dir / log_name).open("ab")
        proc = subprocess.Popen(  # a long-running process, stopped in stop() / at the end
            [sys.executable, "-m", "xiaoneng.cli", *args], env=self.env, stdout=log, stderr=subprocess.STDOUT,
            cwd=self.data_dir, start_new_session=True,
        )
        self.processes.append(proc)
        return proc

    def log(self, log_name: str) -> str:
        path = self.data_dir / log_name
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self, proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
        if proc.poll() is None:
            os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)

    def close(self) -> None:
        for proc in self.processes:
            if proc.poll() is None:
                self.stop(proc, signal.SIGKILL)


@contextmanager
def fresh_instance(backend: str, *, extra_env: dict | None = None) -> Iterator[Instance]:
    """A new, empty installation; its database is dropped afterwards."""
    data_dir = Path(tempfile.mkdtemp(prefix="xiaoneng-proc-"))
    database_url = ""
    if backend == "postgresql":
        base = urlsplit(os.environ["XIAONENG_DATABASE_URL"])
        name = f"{base.path.lstrip('/') or 'xiaoneng'}_proc_{uuid.uuid4().hex[:10]}"
        database_url = urlunsplit(base._replace(path=f"/{name}"))
        _pg_admin(database_url, f'CREATE DATABASE "{name}"')
    instance = Instance(backend, data_dir, database_url, extra_env)
    try:
        yield instance
    finally:
        instance.close()
        if database_url:
            name = urlsplit(database_url).path.lstrip("/")
            _pg_admin(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def wait_for(predicate: Callable[[], object], *, timeout: float, interval: float = 0.3, what: str = "") -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")
        time.sleep(interval)


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
