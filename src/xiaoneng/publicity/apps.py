from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "xiaoneng.publicity"
    label = "publicity"
