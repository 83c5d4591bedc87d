from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "knipa.sharing"
    label = "sharing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knipa.accounts.models import exporting
        from knipa.sharing.export import sections

        # The person's JSON export holds their shares, access log and prescriptions too.
        exporting.connect(sections, dispatch_uid="knipa.sharing.export")
