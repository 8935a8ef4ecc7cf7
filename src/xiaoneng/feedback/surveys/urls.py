from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.home, name="home"),
    path("questionnaires/new/", views.questionnaire_create, name="questionnaire_create"),
    path("questionnaires/<int:questionnaire_id>/", views.questionnaire_detail, name="questionnaire"),
    path("questionnaires/<int:questionnaire_id>/copy/", views.questionnaire_copy, name="questionnaire_copy"),
    path("questionnaires/<int:questionnaire_id>/questions/<int:question_id>/delete/", views.question_delete,
         name="question_delete"),
    path("new/", views.survey_create, name="survey_create"),
    path("<int:survey_id>/", views.survey_detail, name="survey"),
    path("<int:survey_id>/status/", views.survey_status, name="survey_status"),
    path("<int:survey_id>/qr-sheet/", views.qr_sheet, name="qr_sheet"),
    path("<int:survey_id>/results/", views.survey_results, name="results"),
    path("<int:survey_id>/results.xlsx", views.survey_results_xlsx, name="results_xlsx"),
    path("distributions/<int:distribution_id>/qr.png", views.distribution_qr, {"fmt": "png"},
         name="distribution_qr_png"),
    path("distributions/<int:distribution_id>/qr.svg", views.distribution_qr, {"fmt": "svg"},
         name="distribution_qr_svg"),
    path("distributions/<int:distribution_id>/codes/", views.distribution_codes, name="distribution_codes"),
    # Anonymous: the page patients open from the QR code.
    path("a/<str:token>/", views.public_answer, name="public_answer"),
]
