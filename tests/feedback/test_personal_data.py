"""Check 11/12: no phone or ID number in clear in the database, any page, export or log line; key rotation."""

from __future__ import annotations

import io
import logging
import re
import zipfile

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import URLPattern, reverse

from xiaoneng.core.audit.models import AuditEvent
from xiaoneng.feedback import services, urls
from xiaoneng.feedback.crypto import PiiDecryptError, pii_decrypt
from xiaoneng.feedback.models import Case

PHONE = re.compile(r"1[3-9]\d{9}")
ID_NUMBER = re.compile(r"\d{17}[\dXx]")
PHONE_A, PHONE_R, ID_A = "13812345678", "13698765432", "11010119900307123X"


@pytest.fixture
def cases(office, liaison_a, unit_a, file_case):
    complaint = file_case(unit=unit_a, id_number=ID_A, phone=PHONE_A)
    services.case_accept(case_id=complaint.case.pk, actor=office, assignee_unit=unit_a)
    report = file_case(kind="report", unit=unit_a, phone=PHONE_R, name="赵举报")
    services.case_accept(case_id=report.case.pk, actor=office, assignee_unit=unit_a)
    row = services.case_request_create(case_id=complaint.case.pk, actor=liaison_a, kind="pause", reason="等待投诉人")
    return {"complaint": complaint, "report": report, "request": row}


def _text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # xlsx/docx: scan every XML part
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return content.decode("utf-8", "replace")


def _get_urls(cases) -> list[str]:
    found = []
    kwargs_for = {"pk": [cases["complaint"].case.pk, cases["report"].case.pk], "file_pk": [1],
                  "action": ["reply"]}
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = list(pattern.pattern.converters)
        if not names:
            found.append(reverse(f"feedback:{pattern.name}"))
            continue
        for pk in kwargs_for["pk"]:
            kwargs = {name: (pk if name == "pk" else kwargs_for[name][0]) for name in names}
            if pattern.name == "request_decide":
                kwargs["pk"] = cases["request"].pk
            found.append(reverse(f"feedback:{pattern.name}", kwargs=kwargs))
    return found


def test_no_phone_or_id_number_in_clear_on_any_page_or_export_for_any_role(
        cases, client_for, office, liaison_a, leader_a, liaison_b, inspector, bureau_leader, system_admin,
        audit_admin, caplog):
    caplog.set_level(logging.DEBUG)
    clients = [Client()] + [client_for(user) for user in (office, liaison_a, leader_a, liaison_b, inspector,
                                                           bureau_leader, system_admin, audit_admin)]
    checked = 0
    for client in clients:
        for url in _get_urls(cases):
            response = client.get(url)
            text = _text_of(response)
            assert not PHONE.search(text), (url, PHONE.findall(text))
            assert not ID_NUMBER.search(text), url
            checked += 1
    # The public tracking page after a successful look-up.
    public = Client()
    public.post(reverse("feedback:public_track"), {"action": "lookup",
                                                   "code": cases["complaint"].tracking_code, "proof": "5678"})
    text = public.get(reverse("feedback:public_track")).content.decode()
    assert "挂号窗口" in text and not PHONE.search(text) and not ID_NUMBER.search(text)
    logs = "\n".join(record.getMessage() for record in caplog.records)
    assert not PHONE.search(logs) and not ID_NUMBER.search(logs)
    assert checked > 50


def test_masked_forms_are_shown_to_the_office(cases, client_for, office):
    page = client_for(office).get(reverse("feedback:case_detail", args=[cases["complaint"].case.pk])).content.decode()
    assert "138****5678" in page and "110***********123X" in page


def test_database_columns_hold_no_plain_personal_data(cases):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM feedback_case")
        rows = cursor.fetchall()
        cursor.execute(f"SELECT * FROM {AuditEvent._meta.db_table}")  # noqa: S608 - a table name, not input
        rows += cursor.fetchall()
        cursor.execute("SELECT * FROM feedback_caseevent")
        rows += cursor.fetchall()
    dump = " ".join(str(value) for row in rows for value in row)
    assert PHONE_A not in dump and PHONE_R not in dump and ID_A not in dump
    assert "赵举报" not in dump


def test_rotation_reencrypts_rows_and_the_old_key_can_then_be_dropped(cases, settings):
    old_keys = list(settings.PII_KEYS)
    new_key = Fernet.generate_key().decode()
    settings.PII_KEYS = [new_key, *old_keys]
    call_command("rotate_pii_key")
    settings.PII_KEYS = [new_key]
    case = Case.objects.get(pk=cases["complaint"].case.pk)
    assert pii_decrypt(case.phone_encrypted) == PHONE_A
    assert case.phone_masked == "138****5678"


def test_a_wrong_key_fails_closed(cases, settings):
    settings.PII_KEYS = [Fernet.generate_key().decode()]
    case = Case.objects.get(pk=cases["complaint"].case.pk)
    with pytest.raises(PiiDecryptError):
        pii_decrypt(case.phone_encrypted)
    with pytest.raises(Exception):  # noqa: B017 - the command stops and names no plaintext
        call_command("rotate_pii_key")
