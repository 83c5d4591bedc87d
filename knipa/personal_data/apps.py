from django.apps import AppConfig


class PersonalDataConfig(AppConfig):
    name = "knipa.personal_data"
    label = "personal_data"
