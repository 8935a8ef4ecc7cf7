"""Surveys: one survey asked at unit A and unit B (A must see only its own rows and comments),
and one asked only at unit B (A must not see it at all)."""

from __future__ import annotations

from .seeds import KWARG_KINDS, World, seed

KWARG_KINDS.setdefault("survey_id", "survey")
KWARG_KINDS.setdefault("distribution_id", "survey_distribution")
KWARG_KINDS.setdefault("questionnaire_id", "questionnaire")
KWARG_KINDS.setdefault("question_id", "question")


@seed
def seed_surveys(world: World) -> None:
    import datetime as dt

    from xiaoneng.feedback.surveys import services, tokens
    from xiaoneng.feedback.surveys.models import Answer, Distribution, Questionnaire, Survey, SurveyStatus

    def answer_all(distribution, comment: str) -> None:
        values = {q.pk: (q.answer_values()[0][0] if q.kind != "text" else comment)
                  for q in distribution.survey.questionnaire.questions.all()}
        services.response_submit(distribution=distribution, answers=values, form_key=tokens.new_form_key(),
                                 device_cookie=tokens.new_device_cookie(), today=distribution.survey.starts_on)

    questionnaire = services.questionnaire_from_builtin(key="inpatient_doctors_nurses", user=world.office)
    shared = services.survey_create(questionnaire=questionnaire, title="全县住院患者满意度调查",
                                    starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 30),
                                    user=world.office)
    services.survey_set_status(survey=shared, status=SurveyStatus.OPEN, user=world.office)
    dist_a = services.distribution_add(survey=shared, unit=world.unit_a, ward="甲院心内科", subject="甲院李医生",
                                       user=world.office)
    dist_b = Distribution.objects.create(pk=world.b_pk(), survey=shared, unit=world.unit_b, ward="乙七院肾内科",
                                         subject="乙七院赵医生", token=tokens.new_distribution_token())
    answer_all(dist_a, "甲院护士很耐心")
    answer_all(dist_b, "乙七院专属意见反馈")
    world.add_a("survey", shared)
    world.add_a("survey_distribution", dist_a)
    world.add_a("questionnaire", questionnaire)
    world.add_a("question", *questionnaire.questions.all())
    world.add_b("survey_distribution", dist_b, "乙七院肾内科", "乙七院赵医生", "乙七院专属意见反馈")

    only_b = Survey.objects.create(pk=world.b_pk(), questionnaire=questionnaire, title="乙七院专属满意度调查",
                                   starts_on=dt.date(2026, 11, 1), ends_on=dt.date(2026, 11, 30),
                                   status=SurveyStatus.OPEN)
    Distribution.objects.create(pk=world.b_pk(), survey=only_b, unit=world.unit_b, ward="乙七院急诊科",
                                token=tokens.new_distribution_token())
    world.add_b("survey", only_b, "乙七院专属满意度调查", "乙七院急诊科")

    comment_a = Answer.objects.filter(response__distribution=dist_a).exclude(text="").first()
    world.text_setters.extend([
        ("survey ward", 100, lambda value: Distribution.objects.filter(pk=dist_a.pk).update(ward=value)),
        ("survey person rated", 100, lambda value: Distribution.objects.filter(pk=dist_a.pk).update(subject=value)),
        ("survey comment", 1000, lambda value: Answer.objects.filter(pk=comment_a.pk).update(text=value)),
        ("survey title", 200, lambda value: Survey.objects.filter(pk=shared.pk).update(title=value)),
        ("questionnaire title", 200,
         lambda value: Questionnaire.objects.filter(pk=questionnaire.pk).update(title=value)),
    ])
