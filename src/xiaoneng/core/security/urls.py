from django.urls import path

from . import views

app_name = "security"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/code/", views.otp_verify, name="otp_verify"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("two-factor/", views.otp_enrol, name="otp_enrol"),
    path("two-factor/remove/", views.otp_remove, name="otp_remove"),
]
