from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "knipa.accounts"
    label = "accounts"
