from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "xiaoneng.campaigns"
    label = "campaigns"

    def ready(self) -> None:
        from xiaoneng.core.selectors import ATTENTION_PROVIDERS

        from .selectors import attention_for_user

        if attention_for_user not in ATTENTION_PROVIDERS:
            ATTENTION_PROVIDERS.append(attention_for_user)
