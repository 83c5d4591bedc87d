from django.urls import path

from knipa.personal_data import views

app_name = "data"
urlpatterns = [
    path("account/data/", views.data_page, name="page"),
    path("account/data/knipa.json", views.download_json, name="json"),
    path("account/data/rounds.csv", views.download_rounds, name="rounds_csv"),
    path("account/data/diary.csv", views.download_diary, name="diary_csv"),
    path("account/data/summary/", views.summary, name="summary"),
]
