from django.contrib.auth import views as auth_views
from django.urls import path

from knipa.accounts import views

app_name = "accounts"
urlpatterns = [
    path("begin/", views.begin, name="begin"),
    path("welcome/<slug:step>/", views.onboarding, name="onboarding"),
    path("profile/", views.profile_page, name="profile"),
    path("account/", views.account, name="account"),
    path("account/delete/", views.delete_account, name="delete"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/email/", views.email_address, name="email"),
    path("account/email/send/", views.send_email_link, name="send_email_link"),
    path("email/confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/forgot/", views.password_reset, name="password_reset"),
    path("login/forgot/sent/", views.password_reset_sent, name="password_reset_sent"),
    path("login/forgot/done/", views.password_reset_done, name="password_reset_done"),
    # One part, "<account id in base64>.<token>": see knipa.accounts.passwords.
    path("login/reset/<str:token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
