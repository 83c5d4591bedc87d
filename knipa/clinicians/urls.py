from django.urls import path

from knipa.clinicians import views

app_name = "clinicians"
urlpatterns = [
    path("clinic/login/", views.sign_in, name="login"),
    path("clinic/login/code/", views.code, name="code"),
    path("clinic/login/setup/", views.enrol, name="enrol"),
    path("clinic/login/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("clinic/login/recovery-codes/new/", views.new_recovery_codes, name="new_recovery_codes"),
    # One part, "<account id in base64>.<token>": see knipa.clinicians.welcome.
    path("clinic/welcome/<str:token>/", views.WelcomeView.as_view(), name="welcome"),
]
