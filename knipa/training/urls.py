from django.urls import path

from knipa.training import views

app_name = "training"
urlpatterns = [
    path("home/", views.home, name="home"),
    path("home/go-ahead/", views.confirm_go_ahead, name="go_ahead"),
    path("train/", views.player, name="player"),
    path("history/", views.history, name="history"),
    path("history/<uuid:round_id>/", views.round_detail, name="round"),
    path("history/<uuid:round_id>/delete/", views.delete_round, name="delete_round"),
]
