"""Limits on actions that send mail: counted in the database, so every app process agrees.

A limit is a number of actions per window ("one per ten minutes, four per day"). `allow()` writes
the action down first (committed at once) and counts after: of two requests at the same moment,
the one that counts last sees both, so they cannot both slip under a limit; at worst both are
refused and asked to try again.
A refused action is not counted, so waiting always helps. Keys are kept as keyed hashes
(`salted_hmac` with the site's secret key): the table never holds an address or an IP address.

Django's cache would count per process (Knipa's cache is each process's memory), and
django-ratelimit counts in the cache; django-axes counts only logins. Hence these few lines.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.crypto import salted_hmac

from knipa.accounts.models import Throttle

Limits = tuple[tuple[int, timedelta], ...]


def _digest(scope: str, key: str) -> str:
    return salted_hmac(f"knipa.accounts.throttle.{scope}", key, algorithm="sha256").hexdigest()


def allow(scope: str, key: str, limits: Limits, now: datetime | None = None) -> bool:
    """Count one action under `key` and say whether it keeps within every limit."""
    return allow_all([(scope, key, limits)], now)


def allow_all(checks: list[tuple[str, str, Limits]], now: datetime | None = None) -> bool:
    """Count one action under several keys at once (the address, the person, the client): allowed
    only when it keeps within every limit of every key; refused, it is counted under none."""
    now = now or timezone.now()
    marks = []
    for scope, key, limits in checks:
        longest = max(window for _count, window in limits)
        Throttle.objects.filter(scope=scope, at__lt=now - longest).delete()
        marks.append(Throttle.objects.create(scope=scope, key_digest=_digest(scope, key), at=now))
    for mark, (scope, _key, limits) in zip(marks, checks, strict=True):
        for count, window in limits:
            if Throttle.objects.filter(scope=scope, key_digest=mark.key_digest, at__gt=now - window).count() > count:
                Throttle.objects.filter(pk__in=[m.pk for m in marks]).delete()
                return False
    return True
