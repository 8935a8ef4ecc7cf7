from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "xiaoneng.assessment.results"
    label = "assessment_results"
