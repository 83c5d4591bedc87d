from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "knipa.content"
    label = "content"
