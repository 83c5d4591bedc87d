from django.urls import path

from knipa.content import views

app_name = "content"
urlpatterns = [
    path("", views.start, name="start"),
    path("privacy/", views.about_privacy, name="privacy"),
    path("language/", views.set_language, name="set_language"),
    path("manifest.webmanifest", views.web_app_manifest, name="manifest"),
    path("offline/", views.offline, name="offline"),
]
