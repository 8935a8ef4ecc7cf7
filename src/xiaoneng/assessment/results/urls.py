from django.urls import path

from . import views

app_name = "assessment_results"

urlpatterns = [
    path("", views.home, name="home"),
    path("public/", views.public_results, name="public_results"),
    path("campaign/<int:campaign_id>/", views.final, name="final"),
    path("campaign/<int:campaign_id>/round/<int:round_id>/", views.round_detail, name="round"),
    path("campaign/<int:campaign_id>/composite/", views.composite, name="composite"),
    path("campaign/<int:campaign_id>/weights/", views.weights, name="weights"),
    path("campaign/<int:campaign_id>/bulletin.docx", views.bulletin, name="bulletin"),
    path("campaign/<int:campaign_id>/publish/", views.publish, name="publish"),
]
