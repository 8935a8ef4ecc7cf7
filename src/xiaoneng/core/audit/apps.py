from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xiaoneng.core.audit"
    label = "audit"
