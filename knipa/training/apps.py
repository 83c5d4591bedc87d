from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "knipa.training"
    label = "training"

    def ready(self) -> None:
        from knipa.training import plans  # noqa: F401  (reviews the plan when the answers change)
