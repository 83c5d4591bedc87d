from django.apps import AppConfig


class CliniciansConfig(AppConfig):
    name = "knipa.clinicians"
    label = "clinicians"
    default_auto_field = "django.db.models.BigAutoField"
