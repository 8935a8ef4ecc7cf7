"""Anonymous answering: what a patient sees, and what the database keeps (SECURITY-CHECKS 21–23)."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
import time_machine
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone

from xiaoneng.feedback.surveys import services, tokens
from xiaoneng.feedback.surveys.models import (
    Answer,
    DeviceToken,
    DistributionMethod,
    PaperCode,
    PeriodSecret,
    Response,
    SubmissionKey,
    SurveyStatus,
)

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def survey(db, office):
    questionnaire = services.questionnaire_from_builtin(key="inpatient_doctors_nurses", user=office)
    survey = services.survey_create(questionnaire=questionnaire, title="2026年第四季度住院患者评议",
                                    starts_on=dt.date(2026, 10, 1), ends_on=dt.date(2026, 12, 31),
                                    period_days=30, user=office)
    return services.survey_set_status(survey=survey, status=SurveyStatus.OPEN, user=office)


@pytest.fixture
def link(survey, unit_a, office):
    return services.distribution_add(survey=survey, unit=unit_a, ward="心内科病区", subject="王医生",
                                     user=office)


@pytest.fixture
def coded(survey, unit_a, office):
    return services.distribution_add(survey=survey, unit=unit_a, subject="领导班子",
                                     method=DistributionMethod.CODES, user=office)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 17, 42, tzinfo=dt.UTC), tick=False):
        yield


def _form_data(survey, client, url, **extra):
    page = client.get(url)
    assert page.status_code == 200
    form_key = re.search(r'name="form_key" value="([^"]+)"', page.content.decode()).group(1)
    data = {"form_key": form_key}
    for question in survey.questionnaire.questions.all():
        if question.kind == "text":
            data[f"q{question.pk}"] = "护士很耐心"
        else:
            data[f"q{question.pk}"] = str(question.answer_values()[0][0])
    data.update(extra)
    return data


def _url(distribution):
    return reverse("surveys:public_answer", kwargs={"token": distribution.token})


def test_patient_answers_without_an_account_and_only_the_day_is_kept(client, survey, link):
    url = _url(link)
    page = client.get(url)
    assert "王医生" in page.content.decode() and "您对医生的服务态度是否满意" in page.content.decode()
    response = client.post(url, _form_data(survey, client, url))
    assert response.status_code == 200
    assert "已提交" in response.content.decode() or "recorded" in response.content.decode()
    stored = Response.objects.get()
    assert stored.answered_on == TODAY and stored.distribution == link
    assert Answer.objects.filter(response=stored).count() == survey.questionnaire.questions.count()
    assert Answer.objects.get(response=stored, text__gt="").text == "护士很耐心"
    # The browser got a random cookie, scoped to the answering pages only.
    cookie = client.cookies[tokens.DEVICE_COOKIE]  # issued with the form
    assert cookie["path"] == "/surveys/a/" and cookie["httponly"]


def test_responses_cannot_hold_anything_that_identifies_a_person():
    """SECURITY-CHECKS 23: the schema itself has no column for a person, address, device, code or time."""
    forbidden = re.compile(r"ip|addr|agent|device|user|name|phone|code|token|key|session|created|time|at$")
    for model in (Response, Answer):
        for field in model._meta.get_fields():
            if isinstance(field, models.Field) and not field.auto_created:
                column = field.column
                assert not forbidden.search(column), f"{model.__name__}.{column} could identify a respondent"
                if isinstance(field, models.DateTimeField):
                    pytest.fail(f"{model.__name__}.{column} keeps a time of day")
    # De-duplication tables point at nothing a response points at.
    for model in (SubmissionKey, DeviceToken, PaperCode, PeriodSecret):
        related = {f.related_model for f in model._meta.get_fields() if f.is_relation}
        assert Response not in related and Answer not in related
    for field in PaperCode._meta.get_fields():
        assert not isinstance(field, models.DateField | models.DateTimeField), "a code must not keep its time of use"


def test_a_double_tap_or_a_retry_makes_one_response(client, survey, link):
    url = _url(link)
    data = _form_data(survey, client, url)
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 200
    assert Response.objects.count() == 1
    assert "已提交" in second.content.decode() or "recorded" in second.content.decode()


def test_the_same_phone_answers_once_per_period_and_again_in_the_next(client, survey, link, office):
    url = _url(link)
    client.post(url, _form_data(survey, client, url))
    again = client.post(url, _form_data(survey, client, url))
    assert Response.objects.count() == 1
    assert "已经" in again.content.decode() or "already" in again.content.decode()
    # The next 30-day period: yesterday's secrets are forgotten, and the phone may answer again.
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC), tick=False):
        assert services.period_secrets_purge() >= 2
        assert not PeriodSecret.objects.filter(period_index=1).exists()
        assert not DeviceToken.objects.filter(period_index=1).exists()
        client.post(url, _form_data(survey, client, url))
    assert Response.objects.count() == 2


def test_patients_behind_one_hospital_address_are_not_blocked(client, survey, link, django_user_model):
    from django.test import Client

    url = _url(link)
    for _ in range(12):  # twelve phones, one NAT address, no cookies shared
        phone = Client(REMOTE_ADDR="10.1.1.1")
        assert phone.post(url, _form_data(survey, phone, url)).status_code == 200
    assert Response.objects.count() == 12


def test_a_filled_honeypot_stores_nothing_but_looks_accepted(client, survey, link):
    url = _url(link)
    response = client.post(url, _form_data(survey, client, url, website="http://spam.example"))
    assert response.status_code == 200
    assert Response.objects.count() == 0 and SubmissionKey.objects.count() == 0


def test_a_missing_required_answer_is_shown_at_the_question_and_nothing_is_kept(client, survey, link):
    url = _url(link)
    data = _form_data(survey, client, url)
    first_question = survey.questionnaire.questions.first()
    del data[f"q{first_question.pk}"]
    response = client.post(url, data)
    assert response.status_code == 400
    assert "请回答此问题" in response.content.decode() or "Please answer" in response.content.decode()
    assert Response.objects.count() == 0


def test_a_closed_survey_or_unknown_link_takes_no_answers(client, survey, link, office):
    url = _url(link)
    data = _form_data(survey, client, url)
    services.survey_set_status(survey=survey, status=SurveyStatus.CLOSED, user=office)
    assert client.post(url, data).status_code == 200
    assert Response.objects.count() == 0
    assert client.get("/surveys/a/not-a-token/").status_code == 404


def test_one_time_codes_work_once_and_are_kept_only_as_fingerprints(client, survey, coded, office):
    codes = services.paper_codes_issue(distribution=coded, count=3, user=office)
    assert len(set(codes)) == 3 and all(re.fullmatch(f"[{tokens.CODE_ALPHABET}]{{10}}", c) for c in codes)
    stored = set(PaperCode.objects.values_list("code_hash", flat=True))
    assert not stored & set(codes)  # no plain code in the database
    url = _url(coded)
    ok = client.post(url, _form_data(survey, client, url, code=codes[0].lower()[:5] + " " + codes[0][5:]))
    assert ok.status_code == 200 and Response.objects.count() == 1
    reused = client.post(url, _form_data(survey, client, url, code=codes[0]))
    assert reused.status_code == 400 and Response.objects.count() == 1
    assert "已被使用" in reused.content.decode() or "already been used" in reused.content.decode()
    assert PaperCode.objects.filter(used=True).count() == 1


def test_guessing_codes_is_stopped(client, survey, coded, office, settings):
    settings.SURVEY_CODE_FAILURES_PER_IP_HOUR = 5
    services.paper_codes_issue(distribution=coded, count=1, user=office)
    url = _url(coded)
    statuses = [client.post(url, _form_data(survey, client, url, code="ABCDEFGHJK")).status_code
                for _ in range(6)]
    assert statuses[:5] == [400] * 5 and statuses[5] == 429


def test_a_flood_from_one_address_is_stopped_at_the_ceiling(survey, link, settings):
    from django.test import Client

    settings.SURVEY_RESPONSES_PER_IP_HOUR = 3
    url = _url(link)
    statuses = []
    for _ in range(4):  # four phones (own cookies) behind one address
        phone = Client(REMOTE_ADDR="10.9.9.9")
        statuses.append(phone.post(url, _form_data(survey, phone, url)).status_code)
    assert statuses == [200, 200, 200, 429]
    assert Response.objects.count() == 3
    other = Client(REMOTE_ADDR="10.9.9.10")  # another address is not affected
    assert other.post(url, _form_data(survey, other, url)).status_code == 200


def test_office_sees_each_method_guarantee_in_plain_words(client_for, office, survey, link):
    page = client_for(office).get(reverse("surveys:survey", args=[survey.pk])).content.decode()
    assert "每个评议码只能使用一次" in page or "each code works exactly once" in page


# --- races (SECURITY-CHECKS 22) ---------------------------------------------------------------------
def _race(worker, n):
    barrier = threading.Barrier(n)
    results = []

    def run():
        barrier.wait()
        try:
            results.append(worker())
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


ON_POSTGRES = pytest.mark.skipif(
    "connection.vendor != 'postgresql'",
    reason="the SQLite test database is in memory with a shared cache, where concurrent writers fail "
           "with 'table is locked' instead of queueing; bench/survey_load.py races a file database")


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_twenty_identical_concurrent_posts_make_one_response(survey, link):
    answers = {q.pk: (q.answer_values()[0][0] if q.kind != "text" else "好")
               for q in survey.questionnaire.questions.all()}
    key = tokens.new_form_key()
    outcomes = _race(lambda: services.response_submit(distribution=link, answers=answers, form_key=key,
                                                      device_cookie="same-phone").outcome, 20)
    assert Response.objects.count() == 1
    assert outcomes.count(services.Outcome.RECORDED) == 1
    assert set(outcomes) <= {services.Outcome.RECORDED, services.Outcome.ALREADY_RECORDED,
                             services.Outcome.DEVICE_ALREADY}


@ON_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_uses_of_one_paper_code_accept_one(survey, coded, office):
    code = services.paper_codes_issue(distribution=coded, count=1, user=office)[0]
    answers = {q.pk: (q.answer_values()[0][0] if q.kind != "text" else "") for q in survey.questionnaire.questions.all()}
    outcomes = _race(lambda: services.response_submit(distribution=coded, answers=answers,
                                                      form_key=tokens.new_form_key(), code=code).outcome, 50)
    assert outcomes.count(services.Outcome.RECORDED) == 1
    assert Response.objects.count() == 1
    assert timezone.localdate() == TODAY
