from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "xiaoneng.publicity.bulletins"
    label = "publicity_bulletins"
