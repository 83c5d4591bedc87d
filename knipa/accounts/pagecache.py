"""A person's pages, kept once rendered until something they depend on changes.

Pages only read (tests/test_pages_only_read.py), so a page is the same until the person's data
changes, the day changes or the language does. `cached_page` keeps the rendered HTML under a key
made of all of these:

- the path with its query, and the language;
- the person's profile and its `data_version`, which every change of theirs moves on (below);
- the person's own date (rounds today, weeks of training, a check-in due);
- the CSRF cookie: forms on the page carry a token for this browser only.

`data_version` moves on with every request that may write (any method but GET, HEAD and OPTIONS)
made by a logged-in person (`ChangesMoveTheVersionMiddleware`), whenever the plan changes by
itself (the worker's review pass), and when the worker writes reminders down or records how
sending them went (the reminders page shows both). The version is read with the profile, which every personal page
loads anyway, so a stale page is never served, also with several app processes each keeping its
own cache. Pages are kept at most CACHE_SECONDS, which bounds what nothing here can see (an
administrator changing rows by hand).

Not cached: a response with a message to show once, a page that sets cookies, anything but a 200,
and a browser without a CSRF cookie yet (its first page makes one).
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.http import HttpResponse

from knipa.accounts.models import Profile

CACHE_SECONDS = 300
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def move_version_on(profile_id: int | None = None, *, user_id: int | None = None) -> None:
    """The person's data changed: every page kept for them is out of date from now on."""
    rows = Profile.objects.filter(pk=profile_id) if profile_id is not None else Profile.objects.filter(user_id=user_id)
    rows.update(data_version=F("data_version") + 1)


def move_versions_on(profile_ids) -> None:
    """The same for several people at once (the reminder worker's writes), in one statement."""
    if profile_ids:
        Profile.objects.filter(pk__in=list(profile_ids)).update(data_version=F("data_version") + 1)


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    # `_loaded_messages` reads what is waiting without marking it as shown.
    return bool(storage is not None and (storage._queued_messages or storage._loaded_messages))


def _key(request, profile: Profile) -> str | None:
    csrf_cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not csrf_cookie:
        return None
    today = profile.today().isoformat()
    parts = "\n".join([request.get_full_path(), request.LANGUAGE_CODE, str(profile.pk), str(profile.data_version),
                       today, csrf_cookie])
    return "knipa-page:" + hashlib.sha256(parts.encode()).hexdigest()


def cached_page(view):
    """Serve a personal page (a view taking `request, profile`) from the cache when nothing changed."""

    @wraps(view)
    def wrapper(request, profile, *args, **kwargs):
        if request.method != "GET" or _has_messages(request):
            return view(request, profile, *args, **kwargs)
        key = _key(request, profile)
        if key is None:
            return view(request, profile, *args, **kwargs)
        kept = cache.get(key)
        if kept is not None:
            content, content_type = kept
            return HttpResponse(content, content_type=content_type)
        response = view(request, profile, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response.content, response["Content-Type"]), CACHE_SECONDS)
        return response

    return wrapper


class ChangesMoveTheVersionMiddleware:
    """After any request that may write, made by a logged-in person, their kept pages are stale."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                move_version_on(user_id=user.pk)
        return response
