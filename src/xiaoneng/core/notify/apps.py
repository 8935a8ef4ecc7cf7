from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "xiaoneng.core.notify"
    label = "notify"

    def ready(self) -> None:
        from . import handlers  # noqa: F401 - registers the e-mail and SMS job handlers
