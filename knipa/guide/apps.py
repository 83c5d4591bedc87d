from django.apps import AppConfig


class GuideConfig(AppConfig):
    name = "knipa.guide"
    label = "guide"

    def ready(self):
        from knipa.guide import checks  # noqa: F401  (registers the check of the guide's pages)
