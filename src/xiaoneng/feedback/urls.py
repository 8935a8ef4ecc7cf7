from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.home, name="home"),
    path("file/", views.public_file, name="public_file"),
    path("track/", views.public_track, name="public_track"),
    path("cases.xlsx", views.case_export, name="export"),
    path("enter/", views.case_enter, name="case_enter"),
    path("requests/", views.request_list, name="requests"),
    path("requests/<int:pk>/decide/", views.request_decide, name="request_decide"),
    path("time-limits/", views.deadline_settings, name="deadlines"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/reveal/", views.case_reveal, name="case_reveal"),
    path("cases/<int:pk>/files/<int:file_pk>/", views.case_attachment, name="case_attachment"),
    path("cases/<int:pk>/<str:action>/", views.case_action, name="case_action"),
]
