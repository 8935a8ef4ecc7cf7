from django.urls import path

from . import views
from .files import views as file_views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("public/", views.public_index, name="public_index"),
    path("files/<int:pk>/", file_views.file_download, name="file_download"),
    path("files/upload/", file_views.file_upload, name="file_upload"),
]
