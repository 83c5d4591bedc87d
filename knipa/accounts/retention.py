"""Browser-only profiles nobody can reach any more, or nobody has used for long, are deleted.

A profile started without registering (`/begin/`) lives in its browser's session alone: its user
has no password. It is left behind for good when that browser logs into an account (deleted at
once: `forget_left_behind`, called by the login) or logs out, when the session expires or its
cookie is cleared, or when the person simply stops. The reminder worker's retention step
(knipa.reminders.retention) calls `forget_abandoned` every hour, which deletes, a few at a time,
each in its own short transaction, the browser-only profiles that

- have no session that is still valid (nobody can ever open them again), or
- have not been used for ANONYMOUS_PROFILE_DAYS (KNIPA_ANONYMOUS_PROFILE_DAYS, 90 by default):
  no round saved, nothing answered or noted, no other request that writes (page views do not
  count: they never write).

A profile started in the last hour is left alone (its session is saved at the end of the request
that made it), and a secured profile (a username and password) never goes this way: only its
owner deletes it. Deleting the user takes the profile, everything in it and its sessions along.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from knipa.accounts.models import Profile
from knipa.sessions.models import Session

# A profile this young may still be waiting for its first session to be saved.
GRACE = timedelta(hours=1)


def is_browser_only(user) -> bool:
    """A user made by "start training" and never secured with a password."""
    profile = Profile.objects.filter(user=user).only("secured").first()
    return profile is not None and not profile.secured and not user.has_usable_password()


def forget_left_behind(user) -> None:
    """Delete a browser-only profile whose browser has just logged into another account (the login
    page says so beforehand): nothing could ever open it again."""
    with transaction.atomic():
        if is_browser_only(user):
            user.delete()


def _abandoned(now: datetime) -> Q:
    live_session = Session.objects.filter(user_id=OuterRef("user_id"), expire_date__gt=now)
    unused_since = now - timedelta(days=settings.ANONYMOUS_PROFILE_DAYS)
    return (Q(secured=False, user__password__startswith=UNUSABLE_PASSWORD_PREFIX, created_at__lt=now - GRACE)
            & (~Exists(live_session) | Q(last_active_at__lt=unused_since)))


def forget_abandoned(now: datetime, limit: int) -> int:
    """Delete up to `limit` abandoned browser-only profiles, one short transaction each."""
    user_ids = list(Profile.objects.filter(_abandoned(now)).order_by("last_active_at")
                    .values_list("user_id", flat=True)[:limit])
    deleted = 0
    for user_id in user_ids:
        with transaction.atomic():
            # Asked again inside the transaction: the person may have come back or secured it.
            if Profile.objects.select_for_update().filter(_abandoned(now), user_id=user_id).exists():
                get_user_model().objects.filter(pk=user_id).delete()
                deleted += 1
    return deleted


# Failed logins are kept (with the username tried and the client's address) only as long as they can
# still count towards a lockout, and at least a day, so that a host can look into an attack.
LOGIN_ATTEMPTS_KEPT_AT_LEAST = timedelta(days=1)


def forget_old_traces(now: datetime, limit: int) -> int:
    """Delete up to `limit` each of failed logins that can no longer lock anyone out and of
    confirmation links that have expired. Returns how many rows went."""
    from axes.models import AccessAttempt

    from knipa.accounts.emails import CONFIRMATION_VALID
    from knipa.accounts.models import EmailConfirmation

    kept = max(settings.AXES_COOLOFF_TIME, LOGIN_ATTEMPTS_KEPT_AT_LEAST)
    deleted = 0
    for rows in (AccessAttempt.objects.filter(attempt_time__lt=now - kept),
                 EmailConfirmation.objects.filter(sent_at__lt=now - CONFIRMATION_VALID)):
        ids = list(rows.order_by().values_list("pk", flat=True)[:limit])
        if ids:
            deleted += rows.model.objects.filter(pk__in=ids).delete()[0]
    return deleted
