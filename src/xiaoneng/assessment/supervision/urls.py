from django.urls import path

from . import views

app_name = "supervision"

urlpatterns = [
    path("", views.home, name="home"),
    path("public/", views.public_problems, name="public_problems"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("findings/<int:pk>/problem/", views.finding_to_problem, name="finding_to_problem"),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", views.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/<str:action>/", views.problem_action, name="problem_action"),
    path("targets/", views.target_campaigns, name="target_campaigns"),
    path("campaigns/<int:campaign_pk>/targets/", views.target_list, name="target_list"),
    path("campaigns/<int:campaign_pk>/targets/new/", views.target_create, name="target_create"),
    path("targets/<int:pk>/", views.target_detail, name="target_detail"),
    path("targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
]
