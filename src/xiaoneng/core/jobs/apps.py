from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "xiaoneng.core.jobs"
    label = "jobs"
