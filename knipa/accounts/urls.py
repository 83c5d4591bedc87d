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
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
