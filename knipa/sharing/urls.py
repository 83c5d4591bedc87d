from django.urls import path

from knipa.sharing import views

app_name = "sharing"
urlpatterns = [
    path("account/sharing/", views.overview, name="overview"),
    path("account/sharing/share/", views.share, name="share"),
    path("account/sharing/code/", views.enter_code, name="enter_code"),
    path("account/sharing/codes/<int:code_id>/cancel/", views.cancel_code, name="cancel_code"),
    path("account/sharing/<int:share_id>/stop/", views.stop, name="stop"),
    path("account/sharing/log/", views.access_log, name="log"),
    path("account/sharing/suggestions/<int:prescription_id>/", views.prescription, name="prescription"),
]
