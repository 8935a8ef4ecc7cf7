"""Bulletins: office publication pages, units' 附表2, and the public ranking (no sign-in)."""

from django.urls import path

from . import views

app_name = "publicity_bulletins"

urlpatterns = [
    path("", views.home, name="home"),
    path("campaign/<int:campaign_id>/<int:year>/<int:month>/", views.month, name="month"),
    path("campaign/<int:campaign_id>/<int:year>/<int:month>/publish/", views.publish, name="publish"),
    path("campaign/<int:campaign_id>/<int:year>/<int:month>/revise/", views.revise, name="revise"),
    path("report/<int:campaign_id>/<int:unit_id>/<int:year>/<int:month>/", views.unit_report, name="unit_report"),
    path("report/<int:campaign_id>/<int:unit_id>/<int:year>/<int:month>/form2.xlsx", views.unit_report_xlsx,
         name="unit_report_xlsx"),
    path("public/", views.public_ranking, name="public_ranking"),
    path("public/<int:pk>/", views.public_month, name="public_month"),
    path("public/bulletin/<int:pk>.docx", views.bulletin_docx, name="bulletin_docx"),
]
