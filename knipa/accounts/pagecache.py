"""A person's pages, kept once rendered and served again until something they show changes.

Pages only read (tests/test_pages_only_read.py), so a page stays the same until the person's data
changes, their day changes, or the browser changes (its session, its CSRF cookie for the forms on
the page, its language). So a rendered page is kept, whole (status, headers and body, as every
middleware left it), under a key made of the browser's side of that:

    the scheme, host and path with its query, the session, CSRF and language cookies, and
    whether the browser takes gzip (pages are kept as GZipMiddleware compressed them)

together with what the person's side was when it was rendered: their profile, its `data_version`
and their own date. The next GET from the same browser is answered by `KeptPagesMiddleware`, the
first middleware, after one query that checks the session is still valid and reads the profile's
`data_version`: if the version and the date are the same, the kept page is sent as it was; if not,
the page is rendered again. The version is in the database, so this is right with several app
processes each keeping pages in its own memory.

`data_version` moves on with every request that may write (any method but GET, HEAD and OPTIONS)
made by a logged-in person (`ChangesMoveTheVersionMiddleware`), whenever the plan changes by
itself (the worker's review pass), and when the worker writes reminders down or records how
sending them went (the reminders page shows both). A page is kept at most CACHE_SECONDS, which
bounds what nothing here can see (an administrator changing rows by hand, the clock passing a
reminder's time on the reminders page).

A replay need not ask the database every time: this process remembers, for a second
(CONFIRM_SECONDS), that it has just found a session valid and its profile at a version. Within that
second the same person's kept pages are replayed with no query at all, which is what makes kept
pages cheap on PostgreSQL, where every query is a round trip to another process. What that second
could hide is bounded and small:
- a change made in this process (a request, the worker thread of `knipa serve`) forgets what was
  remembered for that person at once, before its response is sent (`move_version_on`);
- a change this browser made through another app process sets the CHANGED_COOKIE, which is part
  of the key, so the browser's next page is rendered afresh wherever it lands;
- only a change from elsewhere (another device, a separate worker process) may take up to a second
  to show, which is no different from that change arriving a second later.

What is not kept: a page that sets a cookie (other than renewing the browser's CSRF cookie), any
status but 200, a response when a message waits
to be shown once, and anything but a view marked with `cached_page`. A logged-out session, a
deleted profile or an expired session fails the check and gets the real view.

Measured with bench/pages.py: a kept page costs about as much as Django's bare "hello" view.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import zoneinfo
from functools import lru_cache, wraps
from importlib import import_module
from time import monotonic

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone

from knipa.accounts.models import Profile

CACHE_SECONDS = 300
# How long this process trusts a session and data version it has just read (see above).
CONFIRM_SECONDS = 1.0
# Set on the answer to every request that may write: the browser's next pages get a new key.
CHANGED_COOKIE = "knipa_changed"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Headers a kept response must not repeat: cookies belong to one response, lengths are recomputed.
NOT_KEPT_HEADERS = {"set-cookie", "content-length"}


class _Confirmations:
    """What this process has just read: profile id -> {session key: (data_version, when read)}.

    `forget` runs before a change's response is sent and moves `generation` on, so that a read that
    began before the change (and may have seen the old version) is not remembered after it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_profile: dict[int, dict[str, tuple[int, float]]] = {}
        self._profile_of_user: dict[int, int] = {}
        self.generation = 0

    def confirmed(self, profile_id: int, session_key: str, version: int) -> bool:
        seen = self._by_profile.get(profile_id, {}).get(session_key)
        return seen is not None and seen[0] == version and monotonic() - seen[1] < CONFIRM_SECONDS

    def remember(self, profile_id: int, user_id: int, session_key: str, version: int, read_at: float,
                 generation: int) -> None:
        with self._lock:
            if generation != self.generation:
                return
            if len(self._by_profile) > 50_000:  # only the last second matters: start afresh
                self._by_profile.clear()
                self._profile_of_user.clear()
            self._by_profile.setdefault(profile_id, {})[session_key] = (version, read_at)
            self._profile_of_user[user_id] = profile_id

    def forget(self, profile_ids=(), user_id: int | None = None) -> None:
        with self._lock:
            self.generation += 1
            if user_id is not None:
                profile_ids = [*profile_ids, self._profile_of_user.get(user_id)]
            for profile_id in profile_ids:
                self._by_profile.pop(profile_id, None)

    def clear(self) -> None:
        with self._lock:
            self.generation += 1
            self._by_profile.clear()
            self._profile_of_user.clear()


confirmations = _Confirmations()


def move_version_on(profile_id: int | None = None, *, user_id: int | None = None, by_person: bool = False) -> None:
    """The person's data changed: every page kept for them is out of date from now on.

    `by_person`: the person did it (a request of theirs), which also notes when they were last
    active, in the same statement (knipa.accounts.retention)."""
    rows = Profile.objects.filter(pk=profile_id) if profile_id is not None else Profile.objects.filter(user_id=user_id)
    changes = {"data_version": F("data_version") + 1}
    if by_person:
        changes["last_active_at"] = timezone.now()
    confirmations.forget([profile_id] if profile_id is not None else [], user_id=user_id)
    rows.update(**changes)


def move_versions_on(profile_ids) -> None:
    """The same for several people at once (the reminder worker's writes), in one statement."""
    if profile_ids:
        confirmations.forget(list(profile_ids))
        Profile.objects.filter(pk__in=list(profile_ids)).update(data_version=F("data_version") + 1)


def _browser_key(request) -> str | None:
    """The browser's side of the key; None when the request has no session to keep pages for."""
    cookies = request.COOKIES
    session = cookies.get(settings.SESSION_COOKIE_NAME)
    if not session or "messages" in cookies:  # a message to show once: never from the cache
        return None
    # Whether the browser takes gzip decides the body (GZipMiddleware compresses kept pages).
    gzip = "gzip" in request.headers.get("Accept-Encoding", "").lower()
    parts = (request.scheme, request.get_host(), request.get_full_path(), session,
             cookies.get(settings.CSRF_COOKIE_NAME, ""), cookies.get(settings.LANGUAGE_COOKIE_NAME, ""),
             cookies.get(CHANGED_COOKIE, ""), "gzip" if gzip else "")
    return "knipa-page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _local_date(zone_name: str) -> str:
    try:
        zone = zoneinfo.ZoneInfo(zone_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.DEFAULT_PERSON_TIME_ZONE)
    return timezone.now().astimezone(zone).date().isoformat()


def _session_table() -> str:
    """The session engine's table (knipa.sessions keeps sessions with their user)."""
    return _table_of_engine(settings.SESSION_ENGINE)


@lru_cache(maxsize=4)
def _table_of_engine(engine: str) -> str:
    # Looked up once per engine, not on every kept page: this runs before each replay.
    return import_module(engine).SessionStore.get_model_class()._meta.db_table


def _current_version(profile_id: int, session_key: str) -> int | None:
    """The profile's data_version, if the session is still valid; else None. One query."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {quote('data_version')} FROM {quote(Profile._meta.db_table)} WHERE {quote('id')} = %s"
            f" AND EXISTS (SELECT 1 FROM {quote(_session_table())} WHERE {quote('session_key')} = %s"
            f" AND {quote('expire_date')} > %s)",
            [profile_id, session_key, timezone.now()],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _sets_no_new_cookie(request, response) -> bool:
    """A response that sets a cookie belongs to that moment, unless it only renews the CSRF
    cookie the browser already has (Django renews it on every page with a form, for its expiry)."""
    for name, morsel in response.cookies.items():
        if name != settings.CSRF_COOKIE_NAME or morsel.value != request.COOKIES.get(name):
            return False
    return True


def _has_messages(request) -> bool:
    storage = getattr(request, "_messages", None)
    # `_loaded_messages` reads what is waiting without marking it as shown.
    return bool(storage is not None and (storage._queued_messages or storage._loaded_messages))


def cached_page(view):
    """Mark a personal page (a view taking `request, profile`) as one that may be kept."""

    @wraps(view)
    def wrapper(request, profile, *args, **kwargs):
        response = view(request, profile, *args, **kwargs)
        if request.method == "GET" and not _has_messages(request):
            response.knipa_keep = (profile.pk, profile.user_id, profile.data_version, profile.time_zone,
                                   _local_date(profile.time_zone))
        return response

    return wrapper


class KeptPagesMiddleware:
    """First in line: answer a GET with the kept page when nothing it shows has changed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _browser_key(request) if request.method == "GET" else None
        if key is not None:
            kept = cache.get(key)
            if kept is not None:
                response = self._replay(request, kept)
                if response is not None:
                    return response
        response = self.get_response(request)
        keep = getattr(response, "knipa_keep", None)
        if key is not None and keep is not None and response.status_code == 200 and not response.streaming \
                and _sets_no_new_cookie(request, response):
            headers = [(name, value) for name, value in response.items() if name.lower() not in NOT_KEPT_HEADERS]
            cache.set(key, (keep, headers, response.content), CACHE_SECONDS)
        return response

    def _replay(self, request, kept) -> HttpResponse | None:
        (profile_id, user_id, version, zone_name, date), headers, content = kept
        session_key = request.COOKIES[settings.SESSION_COOKIE_NAME]
        if _local_date(zone_name) != date:
            return None
        if not confirmations.confirmed(profile_id, session_key, version):
            generation, read_at = confirmations.generation, monotonic()
            if _current_version(profile_id, session_key) != version:
                return None
            confirmations.remember(profile_id, user_id, session_key, version, read_at, generation)
        response = HttpResponse(content)
        for name, value in headers:
            response[name] = value
        response["Content-Length"] = str(len(content))
        return response


class ChangesMoveTheVersionMiddleware:
    """After any request that may write, made by a logged-in person, their kept pages are stale."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                move_version_on(user_id=user.pk, by_person=True)
                # A new key for this browser's next pages, in whichever app process they land.
                response.set_cookie(CHANGED_COOKIE, secrets.token_hex(4), httponly=True,
                                    samesite=settings.SESSION_COOKIE_SAMESITE,
                                    secure=settings.SESSION_COOKIE_SECURE)
        return response
