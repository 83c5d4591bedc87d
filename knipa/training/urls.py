from django.urls import path

from knipa.training import views

app_name = "training"
urlpatterns = [
    path("home/", views.home, name="home"),
    path("home/go-ahead/", views.confirm_go_ahead, name="go_ahead"),
]
