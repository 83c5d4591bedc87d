from django.apps import AppConfig


class PersonalDataConfig(AppConfig):
    name = "knipa.personal_data"
    label = "personal_data"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knipa.reminders.retention import retention_due

        # The worker's hourly retention pass removes imports cut off midway (export.py).
        retention_due.connect(_discard_interrupted_imports, dispatch_uid="knipa.personal_data.imports")


def _discard_interrupted_imports(sender, now, **kwargs) -> int:
    from knipa.personal_data.export import discard_interrupted

    return discard_interrupted(now)
