from django.apps import AppConfig


class EscalationConfig(AppConfig):
    name = "xiaoneng.feedback.escalation"
    label = "feedback_escalation"
