from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "xiaoneng.feedback"
    label = "feedback"
