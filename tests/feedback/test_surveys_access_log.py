"""SECURITY-CHECKS 23: the server's access log cannot be joined to an anonymous answer."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from gunicorn.config import Config

from xiaoneng.core.access_log import PrivacyLogger


def _line(path: str) -> str:
    logger = PrivacyLogger(Config())
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": path, "PATH_INFO": path, "SERVER_PROTOCOL": "HTTP/1.1",
               "REMOTE_ADDR": "10.20.30.40", "HTTP_USER_AGENT": "Mozilla/5.0 (iPhone) 张三的手机",
               "HTTP_REFERER": f"https://bureau.example{path}", "QUERY_STRING": ""}
    resp = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    req = SimpleNamespace(headers=[("X-FORWARDED-FOR", "10.20.30.40"), ("COOKIE", "xn_survey_device=abc")])
    atoms = logger.atoms(resp, req, environ, dt.timedelta(milliseconds=42))
    return logger.cfg.access_log_format % atoms


def test_answering_lines_keep_no_address_agent_token_or_time_of_day():
    line = _line("/surveys/a/Zr4kQ9xT2b-PLm8wYc1/")
    for secret in ("10.20.30.40", "iPhone", "Zr4kQ9xT2b", "xn_survey_device"):
        assert secret not in line
    assert "POST /surveys/a/…/ HTTP/1.1" in line and ":" not in line.split('"')[0].split("[", 1)[1]


def test_other_lines_are_gunicorns_own():
    line = _line("/campaigns/")
    assert "10.20.30.40" in line and "POST /campaigns/ HTTP/1.1" in line
