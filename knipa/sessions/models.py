"""The session table, with the user each session is logged in as (None for a visitor)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models, transaction


class Session(AbstractBaseSession):
    # Deleting a user deletes their sessions through Django (CASCADE: one DELETE ... WHERE user_id
    # IN ...). No constraint in the database: a request still under way for an account deleted a
    # moment ago may save its session, which must not fail (it is worthless, and expires).
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             db_constraint=False, related_name="+")

    class Meta(AbstractBaseSession.Meta):
        db_table = "knipa_session"

    @classmethod
    def get_session_store_class(cls):
        from knipa.sessions.store import SessionStore

        return SessionStore


def delete_expired(now: datetime, limit: int) -> int:
    """Delete up to `limit` sessions that have expired, in one short transaction (what Django's
    `clearsessions` does, a batch at a time); returns how many went."""
    with transaction.atomic():
        keys = list(Session.objects.filter(expire_date__lt=now).values_list("session_key", flat=True)[:limit])
        if keys:
            Session.objects.filter(session_key__in=keys).delete()
    return len(keys)
