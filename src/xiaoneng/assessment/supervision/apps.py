from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "xiaoneng.assessment.supervision"
    label = "supervision"
