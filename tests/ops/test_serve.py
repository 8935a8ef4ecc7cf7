"""`xiaoneng serve`: migrates, starts gunicorn and the worker; /healthz turns ok once the worker beats."""

from __future__ import annotations

import json
import signal
import urllib.error
import urllib.request

import pytest

from tests.ops.instances import backends, free_port, fresh_instance, wait_for


def _health(port: int) -> dict | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:  # noqa: S310
            return json.load(response)
    except urllib.error.HTTPError as error:
        return json.load(error)
    except OSError:
        return None


@pytest.mark.slow
@pytest.mark.parametrize("backend", backends())
def test_serve_migrates_and_reports_healthy_once_web_and_worker_run(backend):
    port = free_port()
    with fresh_instance(backend) as instance:
        serve = instance.start("serve", "--port", str(port), "--workers", "1", log_name="serve.log")
        health = wait_for(lambda: (h := _health(port)) and h["status"] == "ok" and h, timeout=70, interval=0.5,
                          what=f"/healthz to turn ok\n{instance.log('serve.log')}")
        assert health == {"status": "ok", "database": "ok", "worker": "ok"}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/account/login/", timeout=5) as page:  # noqa: S310
            assert page.status == 200
            assert "default-src 'self'" in page.headers["Content-Security-Policy"]

        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=50) == 0, instance.log("serve.log")[-3000:]
        assert _health(port) is None  # web server and worker stopped with it
