from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "knipa.clinic"
    label = "clinic"
