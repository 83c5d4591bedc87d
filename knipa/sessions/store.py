"""The session engine (SESSION_ENGINE = "knipa.sessions.store"): Django's database sessions, with
the logged-in user written beside the data every time the session is saved."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore


class SessionStore(DatabaseSessionStore):
    @classmethod
    def get_model_class(cls):
        from knipa.sessions.models import Session

        return Session

    def create_model_instance(self, data):
        instance = super().create_model_instance(data)
        instance.user_id = user_id_in(data)
        return instance

    async def acreate_model_instance(self, data):
        instance = await super().acreate_model_instance(data)
        instance.user_id = user_id_in(data)
        return instance


def user_id_in(data: dict) -> int | None:
    """The id of the user a session's data is logged in as, or None."""
    try:
        return int(data.get(SESSION_KEY))
    except (TypeError, ValueError):
        return None
