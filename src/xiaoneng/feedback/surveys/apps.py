from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "xiaoneng.feedback.surveys"
    label = "surveys"
