from django.apps import AppConfig


class SessionsConfig(AppConfig):
    name = "knipa.sessions"
    # Django's own sessions app is "sessions"; its table stays, emptied into ours (migration 0002).
    label = "knipa_sessions"
    default_auto_field = "django.db.models.BigAutoField"
