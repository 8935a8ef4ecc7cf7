"""A patient answers on a phone; a double tap and a second try make one response; the office reads it.

Set XIAONENG_SCREENSHOTS=1 to also write docs/screenshots/surveys-*.png (phone and desktop).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from .conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shot(page, name: str) -> None:
    if os.environ.get("XIAONENG_SCREENSHOTS"):
        page.screenshot(path=str(SHOTS / f"surveys-{name}.png"), full_page=True)


@pytest.fixture
def distribution(office, unit_a):
    from django.utils import timezone

    from xiaoneng.feedback.surveys import services
    from xiaoneng.feedback.surveys.models import SurveyStatus

    questionnaire = services.questionnaire_from_builtin(key="inpatient_doctors_nurses", user=office)
    today = timezone.localdate()
    survey = services.survey_create(questionnaire=questionnaire, title="住院患者评议（本季度）",
                                    starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=30),
                                    user=office)
    services.survey_set_status(survey=survey, status=SurveyStatus.OPEN, user=office)
    return services.distribution_add(survey=survey, unit=unit_a, ward="心血管内科", subject="张明（主治医师）",
                                     user=office)


def answer_everything(page) -> None:
    for fieldset in page.locator("main fieldset").all():
        radios = fieldset.locator("input[type=radio]")
        if radios.count():
            radios.first.check() if fieldset.locator("input[type=radio][value='0']").count() else radios.last.check()
        else:
            fieldset.locator("textarea").fill("医生讲解很耐心，谢谢！")


def test_patient_answers_once_on_a_phone_and_the_office_sees_the_rate(new_page, sign_in, distribution, office,
                                                                     page_log, live_server):
    from xiaoneng.feedback.surveys.models import Answer, Response

    patient = new_page(viewport=PHONE)
    patient.goto(f"/surveys/a/{distribution.token}/")
    assert "张明（主治医师）" in patient.content()
    # No horizontal scrolling on a phone.
    assert patient.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    answer_everything(patient)
    shot(patient, "answer-phone")
    button = patient.locator("main form button[type=submit]")
    button.dblclick()  # a double tap: two posts of one form load, or one if the page ignores the second
    patient.wait_for_selector("main h1:has-text('谢谢')")
    assert Response.objects.count() == 1
    assert Answer.objects.filter(text="医生讲解很耐心，谢谢！").count() == 1

    # The same phone tries again: refused in plain words, nothing stored.
    patient.goto(f"/surveys/a/{distribution.token}/")
    answer_everything(patient)
    patient.click("main form button[type=submit]")
    patient.wait_for_selector("main h1:has-text('已经填写过')")
    assert Response.objects.count() == 1

    office_page = new_page(viewport=DESKTOP)
    sign_in(office_page, office.username)
    office_page.goto(f"/surveys/{distribution.survey_id}/results/")
    row = office_page.locator("main table tbody tr").first.inner_text()
    assert "张明（主治医师）" in row and "100.00" in row and "达标" in row
    assert "医生讲解很耐心" in office_page.content()
    office_page.wait_for_selector("[data-xn-chart][data-xn-drawn] svg")
    shot(office_page, "results-desktop")
    office_page.goto(f"/surveys/{distribution.survey_id}/")
    shot(office_page, "survey-desktop")
    assert page_log.foreign_requests(live_server.url) == []
    assert page_log.csp_violations() == []
