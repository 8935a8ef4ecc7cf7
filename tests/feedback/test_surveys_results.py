"""What the office and the units read back: rates, breakdowns, exports, QR codes, scoping."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from xiaoneng.feedback.surveys import selectors, services, tokens
from xiaoneng.feedback.surveys.models import SurveyStatus


@pytest.fixture
def survey(db, office):
    questionnaire = services.questionnaire_from_builtin(key="outpatient_satisfaction", user=office)
    survey = services.survey_create(questionnaire=questionnaire, title="门诊满意度（11月）",
                                    starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 30), user=office)
    return services.survey_set_status(survey=survey, status=SurveyStatus.OPEN, user=office)


def answer(distribution, choice_index: int, comment: str = "", day=dt.date(2026, 11, 20)):
    values = {}
    for question in distribution.survey.questionnaire.questions.all():
        if question.kind == "single":
            values[question.pk] = choice_index
        elif question.kind == "rating":
            values[question.pk] = 5 - choice_index * 2  # 5, 3, 1
        else:
            values[question.pk] = comment
    result = services.response_submit(distribution=distribution, answers=values, form_key=tokens.new_form_key(),
                                      device_cookie=tokens.new_device_cookie(), today=day)
    assert result.outcome == services.Outcome.RECORDED


@pytest.fixture
def answered(survey, unit_a, unit_b, office):
    a = services.distribution_add(survey=survey, unit=unit_a, ward="门诊部", user=office)
    b = services.distribution_add(survey=survey, unit=unit_b, ward="乙院门诊部", user=office)
    # Unit A: two satisfied patients (满意, 5 points) and one unsatisfied (不满意, 1 point).
    answer(a, 0, "=HYPERLINK(\"http://evil\")")
    answer(a, 0)
    answer(a, 2, "排队太久")
    # Unit B: one 基本满意 (counts as satisfied, rating 3 does not).
    answer(b, 1, "乙院专属意见")
    return a, b


def test_satisfaction_rate_is_satisfied_answers_over_counted_answers(answered, office, survey):
    rows = {row.label: row for row in selectors.survey_results(user=office, survey=survey)}
    a = next(row for label, row in rows.items() if "门诊部" in label and "乙院" not in label)
    # Unit A: 4 single-choice questions + 1 rating each; satisfied: 2 patients × 5 = 10 of 15.
    assert (a.satisfaction.responses, a.satisfaction.satisfied, a.satisfaction.counted) == (3, 10, 15)
    assert a.satisfaction.rate == Decimal("66.67") and a.meets_target is False
    b = next(row for label, row in rows.items() if "乙院" in label)
    # Unit B: 基本满意 on 4 questions counts; a rating of 3 is below the satisfied 4–5.
    assert (b.satisfaction.satisfied, b.satisfaction.counted) == (4, 5)
    assert b.satisfaction.rate == Decimal("80.00")


def test_unit_satisfaction_feeds_the_composites(answered, unit_a, unit_b):
    figures = selectors.unit_satisfaction(date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 30))
    assert figures[unit_a.pk].rate == Decimal("66.67") and figures[unit_b.pk].rate == Decimal("80.00")
    assert selectors.unit_satisfaction(date_from=dt.date(2026, 12, 1), date_to=dt.date(2026, 12, 31)) == {}


def test_a_unit_sees_only_its_own_rows_and_comments(answered, client_for, liaison_a, survey):
    client = client_for(liaison_a)
    page = client.get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert "排队太久" in page and "66.67" in page
    assert "乙院" not in page and "80.00" not in page
    b_distribution = answered[1]
    assert client.get(reverse("surveys:results", args=[survey.pk]) + f"?distribution={b_distribution.pk}"
                      ).status_code == 403
    assert client.get(reverse("surveys:distribution_qr_png", args=[b_distribution.pk])).status_code == 403
    assert client.get(reverse("surveys:questionnaire_create")).status_code == 403


def test_results_export_opens_and_keeps_formulas_as_text(answered, client_for, office, survey):
    response = client_for(office).get(reverse("surveys:results_xlsx", args=[survey.pk]))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    rates = workbook.worksheets[0]
    values = [[cell.value for cell in row] for row in rates.iter_rows()]
    assert any(row[0] and "乙院门诊部" in str(row[0]) and row[4] == 80.0 for row in values)
    comments = [row[1].value for row in workbook.worksheets[2].iter_rows(min_row=2)]
    assert "排队太久" in comments
    assert "'=HYPERLINK(\"http://evil\")" in comments  # formula stays text


def test_qr_codes_are_real_images_of_the_answering_link(answered, client_for, office, survey):
    client = client_for(office)
    distribution = answered[0]
    png = client.get(reverse("surveys:distribution_qr_png", args=[distribution.pk]))
    assert png["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(png.content))
    assert image.size[0] >= 200
    svg = client.get(reverse("surveys:distribution_qr_svg", args=[distribution.pk]))
    assert svg.content.lstrip().startswith(b"<svg") and b"<path" in svg.content
    sheet = client.get(reverse("surveys:qr_sheet", args=[survey.pk])).content.decode()
    assert sheet.count("<svg") == 2 and "门诊部" in sheet


def test_questions_are_frozen_once_answered_and_a_copy_can_change(answered, client_for, office, survey):
    client = client_for(office)
    questionnaire = survey.questionnaire
    url = reverse("surveys:questionnaire", args=[questionnaire.pk])
    response = client.post(url, {"kind": "text", "text": "新问题", "required": "on"})
    assert response.status_code == 200
    assert questionnaire.questions.filter(text="新问题").count() == 0
    copy = client.post(reverse("surveys:questionnaire_copy", args=[questionnaire.pk]))
    assert copy.status_code == 302
    new_url = copy["Location"]
    client.post(new_url, {"kind": "text", "text": "新问题", "required": "on"})
    assert questionnaire.questions.filter(text="新问题").count() == 0
    assert client.get(new_url).content.decode().count("新问题") >= 1


def test_office_builds_a_questionnaire_with_clear_errors(client_for, office):
    client = client_for(office)
    created = client.post(reverse("surveys:questionnaire_create"), {"title": "家庭医生签约服务满意度"})
    url = created["Location"]
    bad = client.post(url, {"kind": "single", "text": "您满意吗？", "choices": "满意", "satisfied": "1"})
    assert "至少需要两个选项" in bad.content.decode() or "at least two options" in bad.content.decode()
    out_of_range = client.post(url, {"kind": "single", "text": "您满意吗？", "choices": "满意\n不满意",
                                     "satisfied": "3"})
    assert out_of_range.status_code == 200 and "1" in out_of_range.content.decode()
    ok = client.post(url, {"kind": "single", "text": "您满意吗？", "choices": "满意\n不满意", "satisfied": "1",
                           "required": "on"})
    assert ok.status_code == 302
    from xiaoneng.feedback.surveys.models import Question

    question = Question.objects.get(text="您满意吗？")
    assert question.choices == ["满意", "不满意"] and question.satisfied == [0]


def test_codes_are_shown_once_and_never_cached(client_for, office, survey, unit_a):
    from xiaoneng.feedback.surveys.models import DistributionMethod, PaperCode

    distribution = services.distribution_add(survey=survey, unit=unit_a, subject="领导班子",
                                             method=DistributionMethod.CODES, user=office)
    response = client_for(office).post(reverse("surveys:distribution_codes", args=[distribution.pk]),
                                       {"count": "12"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert PaperCode.objects.filter(distribution=distribution).count() == 12
    too_many = client_for(office).post(reverse("surveys:distribution_codes", args=[distribution.pk]),
                                       {"count": "5000"})
    assert too_many.status_code == 302 and PaperCode.objects.count() == 12
