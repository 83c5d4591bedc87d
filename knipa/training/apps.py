from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "knipa.training"
    label = "training"
