from django.urls import path

from . import plan_import_views, views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new/", views.campaign_create, name="create"),
    path("import/", plan_import_views.plan_upload, name="plan_upload"),
    path("import/<str:key>/", plan_import_views.plan_review, name="plan_review"),
    path("my-work/", views.my_work, name="my_work"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit/", views.campaign_update, name="update"),
    path("<int:pk>/save-template/", views.campaign_save_template, name="save_template"),
    path("<int:pk>/board/", views.board, name="board"),
    path("<int:pk>/board.xlsx", views.board_export, name="board_export"),
    path("<int:pk>/contacts.xlsx", views.contacts_export, name="contacts_export"),
    path("<int:campaign_pk>/phases/new/", views.phase_edit, name="phase_create"),
    path("<int:campaign_pk>/phases/<int:pk>/", views.phase_edit, name="phase_edit"),
    path("<int:campaign_pk>/tasks/new/", views.task_edit, name="task_create"),
    path("<int:campaign_pk>/tasks/<int:pk>/", views.task_edit, name="task_edit"),
    path("<int:campaign_pk>/obligations/new/", views.obligation_edit, name="obligation_create"),
    path("<int:campaign_pk>/obligations/<int:pk>/", views.obligation_edit, name="obligation_edit"),
    path("due/<int:pk>/", views.due_item_detail, name="due_item"),
    path("submissions/<int:pk>/<str:action>/", views.submission_action, name="submission_action"),
]
