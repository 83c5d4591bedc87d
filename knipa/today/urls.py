from django.urls import path

from knipa.today import views

app_name = "today"
urlpatterns = [
    path("home/", views.home, name="home"),
]
