from django.urls import path  # noqa: F401

app_name = "publicity_bulletins"

urlpatterns: list = []
