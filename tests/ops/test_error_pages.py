"""Error pages (check 30): a 500 shows a generic page with the request id; the trace goes to the log."""

from __future__ import annotations

import io
import logging

import pytest
from django.db import DatabaseError


@pytest.mark.django_db
def test_server_error_shows_a_generic_page_with_the_request_id_and_logs_the_trace_under_it(
    client_for, office, monkeypatch, settings,
):
    settings.DEBUG = False

    def broken(**_kwargs):
        raise DatabaseError('relation "org_secret" does not exist LINE 1: SELECT "org_secret"."phone" FROM ...')

    monkeypatch.setattr("xiaoneng.core.selectors.attention_items_for_user", broken)
    client = client_for(office)
    client.raise_request_exception = False
    handler = logging.getLogger("django.request").handlers[0]  # the console handler operators read
    log = io.StringIO()
    previous = handler.setStream(log)
    try:
        response = client.get("/")
    finally:
        handler.setStream(previous)

    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    body = response.content.decode()
    assert request_id in body
    assert "服务器错误" in body or "Server error" in body
    for leak in ("Traceback", "SELECT", "org_secret", "DatabaseError", "selectors.py"):
        assert leak not in body
    logged = log.getvalue()
    assert f"[req={request_id}]" in logged
    assert "Traceback" in logged and 'relation "org_secret" does not exist' in logged


def test_log_lines_of_concurrent_requests_keep_their_own_request_id():
    import threading

    from xiaoneng.core.middleware import RequestIdLogFilter, log_context

    seen = {}
    barrier = threading.Barrier(2)

    def work(name):
        with log_context(name):
            barrier.wait()  # both threads are inside their request now
            record = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
            RequestIdLogFilter().filter(record)
            seen[name] = record.request_id

    threads = [threading.Thread(target=work, args=(name,)) for name in ("req-one", "req-two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"req-one": "req-one", "req-two": "req-two"}
    outside = logging.LogRecord("x", logging.INFO, __file__, 1, "m", None, None)
    RequestIdLogFilter().filter(outside)
    assert outside.request_id == "-"
