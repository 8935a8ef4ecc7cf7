from django.urls import path

from . import views

app_name = "publicity"

urlpatterns = [
    path("", views.home, name="home"),
    path("outlets/", views.outlets, name="outlets"),
    path("campaign/<int:pk>/", views.campaign, name="campaign"),
    path("campaign/<int:pk>/enable/", views.enable, name="enable"),
    path("campaign/<int:pk>/items/new/", views.item_create, name="item_create"),
    path("campaign/<int:pk>/claims/", views.claims, name="claims"),
    path("campaign/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("campaign/<int:pk>/rules/", views.rules, name="rules"),
    path("campaign/<int:pk>/rules/edit/", views.rules_edit, name="rules_edit"),
    path("campaign/<int:pk>/settings/", views.settings_view, name="settings"),
    path("campaign/<int:pk>/commissions/", views.commissions, name="commissions"),
    path("campaign/<int:pk>/vetoes/", views.vetoes, name="vetoes"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/adoptions/new/", views.adoption_add, name="adoption_add"),
    path("items/<int:pk>/<str:action>/", views.item_action, name="item_action"),
    path("adoptions/<int:pk>/<str:action>/", views.adoption_action, name="adoption_action"),
    path("commissions/<int:pk>/answer/", views.commission_answer, name="commission_answer"),
    path("vetoes/<int:pk>/remove/", views.veto_remove, name="veto_remove"),
]
