from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "xiaoneng.core.workdays"
    label = "workdays"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        # The home page asks every provider what needs the user's attention; the office must
        # hear well in advance that next year's holiday schedule is missing.
        from xiaoneng.core.selectors import ATTENTION_PROVIDERS

        from .selectors import calendar_attention_for_user

        if calendar_attention_for_user not in ATTENTION_PROVIDERS:
            ATTENTION_PROVIDERS.append(calendar_attention_for_user)
