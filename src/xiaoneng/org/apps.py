from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "xiaoneng.org"
    label = "org"
