from django.apps import AppConfig


class TodayConfig(AppConfig):
    name = "knipa.today"
    label = "today"
