"""Demo surveys: inpatients rating doctors and nurses at two hospitals, and a cadre evaluation. Idempotent."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from xiaoneng.org.models import Unit, User

from . import services, tokens
from .models import DistributionMethod, Survey, SurveyStatus

DEMO_TITLE = "2026年第四季度住院患者评议医生护士"
WARDS = [("示范市第一人民医院", "心血管内科", "张明（主治医师）"), ("示范市第一人民医院", "心血管内科", "刘芳（护士长）"),
         ("示范市第一人民医院", "普外科", "陈刚（副主任医师）"), ("示范市第二人民医院", "呼吸内科", "黄丽（主治医师）"),
         ("示范市第二人民医院", "呼吸内科", "吴静（护师）")]
COMMENTS = ["医生讲解很耐心，谢谢！", "夜间呼叫护士响应有点慢。", "病房很干净。", "出院手续能否再简化一些？", ""]


@transaction.atomic
def demo_surveys_load() -> Survey | None:
    office = User.objects.filter(username="office").first()
    if office is None or not Unit.objects.filter(name=WARDS[0][0]).exists():
        return None
    existing = Survey.objects.filter(title=DEMO_TITLE).first()
    if existing:
        return existing
    today = timezone.localdate()
    questionnaire = services.questionnaire_from_builtin(key="inpatient_doctors_nurses", user=office)
    survey = services.survey_create(questionnaire=questionnaire, title=DEMO_TITLE,
                                    starts_on=today - dt.timedelta(days=50), ends_on=today + dt.timedelta(days=40),
                                    period_days=30, user=office)
    services.survey_set_status(survey=survey, status=SurveyStatus.OPEN, user=office)
    rng = random.Random(2026)  # noqa: S311 - demo answers, not a secret
    questions = list(questionnaire.questions.all())
    for unit_name, ward, subject in WARDS:
        distribution = services.distribution_add(survey=survey, unit=Unit.objects.get(name=unit_name), ward=ward,
                                                 subject=subject, user=office)
        for _ in range(rng.randint(12, 30)):
            values: dict[int, object] = {}
            for question in questions:
                if question.kind == "single":
                    values[question.pk] = rng.choices(range(len(question.choices)),
                                                      weights=[8, 2, 1][: len(question.choices)])[0]
                elif question.kind == "rating":
                    values[question.pk] = rng.choice([5, 5, 5, 4, 4, 3, 2])
                else:
                    values[question.pk] = rng.choice(COMMENTS)
            services.response_submit(distribution=distribution, answers=values, form_key=tokens.new_form_key(),
                                     device_cookie=tokens.new_device_cookie(),
                                     today=today - dt.timedelta(days=rng.randint(0, 45)))
    cadres = services.questionnaire_from_builtin(key="cadres_rate_leadership", user=office)
    cadre_survey = services.survey_create(questionnaire=cadres, title=f"{today.year}年中层干部评议领导班子",
                                          starts_on=today, ends_on=today + dt.timedelta(days=14), user=office)
    services.survey_set_status(survey=cadre_survey, status=SurveyStatus.OPEN, user=office)
    services.distribution_add(survey=cadre_survey, unit=Unit.objects.get(name=WARDS[0][0]), subject="领导班子",
                              method=DistributionMethod.CODES, user=office)
    return survey
