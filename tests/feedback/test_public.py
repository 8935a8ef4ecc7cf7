"""The public pages through HTTP: filing without an account, following a case, rating, abuse limits."""

from __future__ import annotations

import io
import re
import time

import pytest
from django.core import signing
from django.urls import reverse

from xiaoneng.feedback.forms import RENDER_SALT
from xiaoneng.feedback.models import Case, CaseStatus

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def form_data(**overrides):
    data = {"kind": "complaint", "unit": "", "what": "医生开药前不解释用药注意事项。", "happened_on": "",
            "where": "门诊三楼", "name": "李四", "phone": "13912345678", "website": "",
            "rendered": signing.dumps(time.time() - 30, salt=RENDER_SALT), "submission_key": ""}
    data.update(overrides)
    return data


def file_one(client, **overrides):
    response = client.post(reverse("feedback:public_file"), form_data(**overrides))
    assert response.status_code == 200, response.content.decode()[:2000]
    code = re.search(r'data-code="([A-Z0-9]+)"', response.content.decode()).group(1)
    return response, code


def test_public_form_opens_without_an_account_and_says_anonymous_reports_get_no_reply(client, db):
    response = client.get(reverse("feedback:public_file"))
    assert response.status_code == 200
    assert "website" in response.content.decode()  # the honeypot
    assert "anonymous" in response.content.decode().lower() or "匿名" in response.content.decode()


def test_filing_shows_a_code_once_and_stores_only_its_hash(client, bureau):
    response, code = file_one(client)
    case = Case.objects.get()
    assert len(code) == 10 and code not in case.tracking_code_hash
    assert "13912345678" not in response.content.decode()


def test_filing_with_a_photo_checks_it_and_a_fake_pdf_is_refused_with_nothing_saved(client, bureau):
    photo = io.BytesIO(PNG)
    photo.name = "现场.png"
    file_one(client, attachments=photo)
    assert Case.objects.get().pk
    fake = io.BytesIO(b"MZ\x90\x00 not a pdf at all")
    fake.name = "病历.pdf"
    response = client.post(reverse("feedback:public_file"), form_data(attachments=fake, phone="13912345679"))
    assert response.status_code == 400
    assert Case.objects.count() == 1


def test_honeypot_filled_looks_like_success_but_stores_nothing(client, db):
    response = client.post(reverse("feedback:public_file"), form_data(website="http://spam.example"))
    assert response.status_code == 200
    assert Case.objects.count() == 0


def test_a_form_sent_a_second_after_rendering_is_asked_again_and_keeps_the_text(client, db):
    response = client.post(reverse("feedback:public_file"), form_data(rendered=signing.dumps(time.time(),
                                                                                              salt=RENDER_SALT)))
    assert response.status_code == 400
    assert "医生开药前不解释用药注意事项。" in response.content.decode()
    assert Case.objects.count() == 0


def test_a_double_submit_of_one_form_files_one_case_with_one_code(client, bureau):
    _r1, code1 = file_one(client, submission_key="same-form-load-key-0001")
    _r2, code2 = file_one(client, submission_key="same-form-load-key-0001")
    assert Case.objects.count() == 1 and code1 == code2


def test_sixth_filing_from_one_ip_in_an_hour_is_refused(client, bureau):
    for index in range(5):
        file_one(client, phone=f"1381234{index:04d}")
    response = client.post(reverse("feedback:public_file"), form_data(phone="13700000000"))
    assert response.status_code == 429
    assert Case.objects.count() == 5


def test_fourth_filing_with_one_phone_in_a_day_is_refused(client, bureau):
    for index in range(3):
        response = client.post(reverse("feedback:public_file"), form_data(), REMOTE_ADDR=f"10.0.0.{index + 1}")
        assert response.status_code == 200
    response = client.post(reverse("feedback:public_file"), form_data(), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429


def test_follow_a_case_with_code_and_last_four_digits_then_rate_it(client, bureau, office, liaison_a, unit_a):
    from xiaoneng.feedback import services

    _response, code = file_one(client, unit=str(unit_a.pk))
    case = Case.objects.get()
    services.case_accept(case_id=case.pk, actor=office, assignee_unit=unit_a)
    services.case_reply(case_id=case.pk, actor=liaison_a, text="已约谈当事医生并整改。")
    public = client.__class__()
    response = public.post(reverse("feedback:public_track"), {"action": "lookup", "code": code.lower(),
                                                              "proof": "5678"}, follow=True)
    page = response.content.decode()
    assert "已约谈当事医生并整改。" in page
    assert "13912345678" not in page and "李四" not in page
    response = public.post(reverse("feedback:public_track"), {"action": "rate", "rating": "unsatisfied"},
                           follow=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.reopened


def test_wrong_digits_and_unknown_code_answer_identically(client, bureau):
    _response, code = file_one(client)
    wrong_digits = client.post(reverse("feedback:public_track"), {"action": "lookup", "code": code, "proof": "0000"})
    no_code = client.post(reverse("feedback:public_track"), {"action": "lookup", "code": "ZZZZZZZZZZ",
                                                             "proof": "5678"})
    assert wrong_digits.status_code == no_code.status_code == 200
    assert len(wrong_digits.content) == len(no_code.content)
    strip = re.compile(r"[A-Za-z0-9]{64}")  # the CSRF tokens differ per response
    assert strip.sub("", wrong_digits.content.decode()) == strip.sub("", no_code.content.decode())


def test_eleventh_failed_look_up_from_one_ip_gets_429_even_with_the_right_answer(client, bureau):
    _response, code = file_one(client)
    for index in range(10):
        response = client.post(reverse("feedback:public_track"),
                               {"action": "lookup", "code": f"ABCDEFGH{index:02d}".replace("0", "2").replace(
                                   "1", "3"), "proof": "1234"})
        assert response.status_code == 200
    response = client.post(reverse("feedback:public_track"), {"action": "lookup", "code": code, "proof": "5678"})
    assert response.status_code == 429


def test_successful_look_ups_are_never_limited(client, bureau):
    _response, code = file_one(client)
    for _ in range(30):
        response = client.post(reverse("feedback:public_track"), {"action": "lookup", "code": code, "proof": "5678"})
        assert response.status_code == 302


def test_anonymous_report_is_followed_with_its_secret(client, bureau):
    response = client.post(reverse("feedback:public_file"),
                           form_data(kind="report", is_anonymous="on", name="", phone=""))
    page = response.content.decode()
    code = re.search(r'data-code="([A-Z0-9]+)"', page).group(1)
    secret = re.search(r'data-secret="([A-Z0-9]+)"', page).group(1)
    case = Case.objects.get()
    assert case.is_anonymous and not case.phone_encrypted
    response = client.post(reverse("feedback:public_track"), {"action": "lookup", "code": code, "proof": secret})
    assert response.status_code == 302


@pytest.mark.parametrize("kind", ["complaint", "praise"])
def test_only_reports_can_be_anonymous_on_the_form(client, db, kind):
    response = client.post(reverse("feedback:public_file"), form_data(kind=kind, is_anonymous="on", phone=""))
    assert response.status_code == 400


def test_bad_code_and_bad_digits_take_about_the_same_time(file_case, settings):
    import statistics

    from xiaoneng.feedback import services

    settings.FEEDBACK_TRACK_IP_HOUR = settings.FEEDBACK_TRACK_IP_DAY = settings.FEEDBACK_TRACK_CODE_DAY = 10**6
    filed = file_case()

    def median_ms(code, proof):
        times = []
        for _ in range(40):
            started = time.perf_counter()
            assert services.case_lookup(code=code, proof=proof, ip="10.9.9.9") is None
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    bad_digits = median_ms(filed.tracking_code, "0000")
    bad_code = median_ms("ZZZZZZZZZZ", "5678")
    assert 0.33 < bad_digits / bad_code < 3, (bad_digits, bad_code)
