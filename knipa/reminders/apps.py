from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "knipa.reminders"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from knipa.reminders import planning  # noqa: F401  (connects to plan_frequency_changed)
        from knipa.reminders.vapid import ensure_key

        # The VAPID key exists from the moment the database does: a GET never has to write it.
        post_migrate.connect(ensure_key, sender=self)
