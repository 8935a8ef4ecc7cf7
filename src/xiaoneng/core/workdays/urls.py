from django.urls import path

from . import views

app_name = "workdays"

urlpatterns = [
    path("", views.year_view, name="year"),
    path("<int:year>/", views.year_view, name="year_of"),
    path("day/", views.day_set, name="day_set"),
    path("day/reset/", views.day_reset, name="day_reset"),
    path("import/", views.import_schedule, name="import"),
]
