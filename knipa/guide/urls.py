from django.urls import path

from knipa.guide import views

app_name = "guide"
urlpatterns = [
    path("guide/", views.index, name="index"),
    path("guide/<slug:slug>/", views.page, name="page"),
]
