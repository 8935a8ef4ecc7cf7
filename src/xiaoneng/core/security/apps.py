from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "xiaoneng.core.security"
    label = "security"
