from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "knipa.reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knipa.reminders import planning  # noqa: F401  (connects to plan_frequency_changed)
