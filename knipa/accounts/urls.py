from django.contrib.auth import views as auth_views
from django.urls import path

from knipa.accounts import data_views, views

app_name = "accounts"
urlpatterns = [
    path("begin/", views.begin, name="begin"),
    path("welcome/<slug:step>/", views.onboarding, name="onboarding"),
    path("profile/", views.profile_page, name="profile"),
    path("account/", views.account, name="account"),
    path("account/delete/", views.delete_account, name="delete"),
    path("account/data/", data_views.data_page, name="data"),
    path("account/data/knipa.json", data_views.download_json, name="data_json"),
    path("account/data/rounds.csv", data_views.download_rounds, name="data_rounds_csv"),
    path("account/data/diary.csv", data_views.download_diary, name="data_diary_csv"),
    path("account/data/summary/", data_views.summary, name="data_summary"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
