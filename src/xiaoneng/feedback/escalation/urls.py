from django.urls import path

from . import views

app_name = "feedback_escalation"

urlpatterns = [
    path("", views.home, name="home"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("notices/<int:pk>/docx/", views.notice_download, name="notice_docx"),
    path("settings/", views.ladder_settings, name="settings"),
    path("callbacks/", views.callbacks, name="callbacks"),
    path("callbacks/<int:pk>/done/", views.callback_done, name="callback_done"),
    path("accountability/", views.accountability, name="accountability"),
    path("accountability/new/", views.accountability_new, name="accountability_new"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export/", views.statistics_export, name="statistics_export"),
    path("public/summary/", views.public_summary, name="public_summary"),
]
