from django.urls import path

from . import views

app_name = "assessment"

# Note: /assessment/results/ belongs to the results app; nothing here starts with "results/".
urlpatterns = [
    path("", views.home, name="home"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/import/", views.scheme_import, name="scheme_import"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/new-version/", views.scheme_new_version, name="scheme_new_version"),
    path("schemes/<int:pk>/export.xlsx", views.scheme_export, name="scheme_export"),
    path("schemes/<int:scheme_pk>/criteria/new/", views.criterion_edit, name="criterion_create"),
    path("schemes/<int:scheme_pk>/criteria/<int:pk>/", views.criterion_edit, name="criterion_edit"),
    path("schemes/<int:scheme_pk>/criteria/<int:pk>/delete/", views.criterion_delete, name="criterion_delete"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/assign/", views.round_assign, name="round_assign"),
    path("rounds/<int:pk>/<str:action>/", views.round_action, name="round_action"),
    path("rounds/<int:round_pk>/teams/new/", views.team_edit, name="team_create"),
    path("rounds/<int:round_pk>/teams/<int:pk>/", views.team_edit, name="team_edit"),
    path("round-units/<int:pk>/remove/", views.round_unit_remove, name="round_unit_remove"),
    path("score/<int:pk>/", views.score_sheet, name="score_sheet"),
    path("score/<int:pk>/change/", views.score_change, name="score_change"),
    path("score/<int:pk>/submit/", views.sheet_submit, name="sheet_submit"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("settle/<int:pk>/", views.settle, name="settle"),
    path("unit-report/<int:pk>/", views.unit_report, name="unit_report"),
]
