"""Request-wide behaviour that Django does not offer out of the box."""

import re
import sys
from time import monotonic, sleep

from django.conf import settings
from django.core.signals import got_request_exception
from django.http import JsonResponse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


def supported_languages() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def chosen_language(request) -> str:
    """The interface language for this request.

    Swedish is Knipa's default (the guide it builds on is Swedish), so the browser's
    Accept-Language is deliberately not consulted: the language changes only when the person
    chooses it, with the switch in the header. That choice is kept in a cookie for this browser
    and on the profile, so that logging in on another device brings it along.
    """
    supported = supported_languages()
    from_cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if from_cookie in supported:
        return from_cookie
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        profile = getattr(user, "profile", None)
        if profile is not None and profile.language in supported:
            return profile.language
    return settings.LANGUAGE_CODE


def remember_language(response, language: str) -> None:
    """Keep the chosen language in this browser (a year, like the session)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=True,
    )


class LanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


def client_address(request) -> str | None:
    """The client's address, for login throttling (settings.AXES_CLIENT_IP_CALLABLE).

    REMOTE_ADDR, which the web server sets: Waitress (`knipa serve`) replaces it with the address
    in X-Forwarded-For only when the connection comes from the trusted proxy (KNIPA_TRUSTED_PROXY),
    so no client can pick the address its guesses are counted against.
    """
    return request.META.get("REMOTE_ADDR")


class NoStoreOnPersonalAnswersMiddleware:
    """`Cache-Control: no-store` on every answer that may hold a person's data.

    Those are the answers to a browser that has a session (in Knipa a session is a person: starting
    makes one and logging out ends it), the answers that start one, and every API answer. No cache
    keeps them: not one on the way, nor the browser's own, where the next user of a shared
    computer would find them with the Back button or in the cache folder. Public pages seen without
    a session keep their caching, and static files never reach this: WhiteNoise, earlier in
    MIDDLEWARE, answers those. It sits inside KeptPagesMiddleware, so a kept page is stored, and
    sent again, with the header. Deciding from the cookie costs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session_cookie = settings.SESSION_COOKIE_NAME
        if session_cookie in request.COOKIES or session_cookie in response.cookies or request.path.startswith("/api/"):
            patch_cache_control(response, no_store=True, private=True)
        return response


class SecureCookiesOverHttpsMiddleware:
    """Mark every cookie Secure on a request that arrived over HTTPS.

    Static SESSION_COOKIE_SECURE would break a plain-HTTP install on 127.0.0.1; with this, the
    same installation is safe the moment it is served over HTTPS, or behind the trusted proxy that
    says so (Waitress makes its X-Forwarded-Proto the request's scheme; with
    KNIPA_BEHIND_HTTPS_PROXY the settings also make every cookie Secure from the start).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response


# --- Bodies too large -------------------------------------------------------------------------

def too_large(request, limit: int):
    """A clear, translated 413: JSON for the API, a page for the rest."""
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    language = _answer_language(request)
    with translation.override(language):
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": _("The request is too large (at most %(limit)d kB).")
                                 % {"limit": limit // 1024}}, status=413)
        request.LANGUAGE_CODE = language  # the page's lang attribute; LanguageMiddleware has not run
        upload = request.content_type == "multipart/form-data"
        return render(request, "errors/413.html", {"upload": upload, "limit_kb": limit // 1024,
                                                   "limit_mb": limit // (1024 * 1024)}, status=413)


def body_limit(request) -> int:
    """The largest body a request may carry: a saved round is the largest API request, a data
    import (a 5 MB file and the form around it) the largest upload, and every other form is small."""
    if request.path.startswith("/api/"):
        return settings.API_MAX_BODY_BYTES
    if request.content_type == "multipart/form-data":
        return settings.UPLOAD_MAX_BODY_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class BodyLimitMiddleware:
    """Refuse an oversized request with a clear 413 before anything reads its body.

    Judged by Content-Length: Django never reads more than that, and the web server caps every body
    whatever it says (knipa/cli.py). Without this a large form post would meet Django's own limit
    (DATA_UPLOAD_MAX_MEMORY_SIZE) only when a view reads it, as a bare 400 "bad request".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit(request)
        if length > limit:
            return too_large(request, limit)
        return self.get_response(request)


# --- Null characters --------------------------------------------------------------------------
#
# No text Knipa keeps may contain the null character (U+0000): PostgreSQL refuses it in every text
# and JSON column, so a note, a push endpoint or a query with one in it would otherwise end as a 500
# there, while SQLite would keep it. Nobody types one; it comes from broken or hostile clients. So it
# is refused once, at the door, for every way text enters: the path, the query string, a form and a
# JSON body. Form fields are also checked by Django's own CharField validator, and the import checks
# the file it reads (personal_data/export.py).

# A JSON string holds a null character as the escape \u0000, unless its backslash is itself escaped.
_JSON_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)
_FORM_TYPES = {"application/x-www-form-urlencoded", "text/plain"}


def carries_null_character(request) -> bool:
    if "\x00" in request.path_info or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    # Only Knipa's own cookies: the session and CSRF keys are looked up or compared.
    if any("\x00" in request.COOKIES.get(name, "") for name in (settings.SESSION_COOKIE_NAME,
                                                                 settings.CSRF_COOKIE_NAME)):
        return True
    if request.method in SAFE_METHODS:
        return False
    content_type = request.content_type
    if content_type in _FORM_TYPES:
        return b"\x00" in request.body or b"%00" in request.body
    if content_type == "application/json" or content_type.endswith("+json"):
        return json_holds_null_character(request.body)
    return False


def json_holds_null_character(raw: bytes) -> bool:
    """Whether JSON text holds a null character, raw or escaped, anywhere in its strings."""
    return b"\x00" in raw or _JSON_NUL.search(raw) is not None


class NullCharactersMiddleware:
    """A clear, translated 400 for a request whose text holds a null character, before anything
    looks it up or stores it. Inside BodyLimitMiddleware, so that it reads only bodies of an
    allowed size; multipart uploads are left to the forms and the import."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if carries_null_character(request):
            return null_character_refused(request)
        return self.get_response(request)


def null_character_refused(request):
    from django.shortcuts import render
    from django.utils.translation import gettext as _

    language = _answer_language(request)
    with translation.override(language):
        message = _("The request contains a null character, which Knipa does not accept in any text. "
                    "Nothing was saved.")
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        request.LANGUAGE_CODE = language
        return render(request, "errors/400.html", {"message": message}, status=400)


# --- Too many requests -----------------------------------------------------------------------

def too_many_requests(request, message: str, retry_after: int):
    """A 429 with Retry-After and the reason in the person's language: JSON for the API, a page
    for the rest (the throttles on starting, securing a profile and importing use it)."""
    from django.shortcuts import render

    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "errors/429.html", {"message": message}, status=429)
    response["Retry-After"] = str(max(1, int(retry_after)))
    return response


# --- A busy database -------------------------------------------------------------------------
#
# SQLite lets one process write at a time: a writer that waits longer than the busy timeout (20 s,
# settings.DATABASES) fails with "database is locked". PostgreSQL fails a transaction with a lock
# timeout (55P03), a serialization failure (40001), a deadlock (40P01) or a statement timeout
# (57014). None of them is a fault in the request: a moment later it would succeed. So instead of a
# 500, a request that only reads is tried once more, and otherwise the answer is 503 with
# Retry-After and a translated page (JSON under /api/). The player's outbox keeps a round answered
# with 503 and sends it again (static/knipa/js/player/outbox.js); saving a round is idempotent by
# its id.

BUSY_SQLSTATES = {"40001", "40P01", "55P03", "57014"}
BUSY_MESSAGES = ("database is locked", "database table is locked")
# A request that read only is tried again after this pause, if it has not already taken longer
# than RETRY_WITHIN (then the database is busy for long, and the person is better told at once).
RETRY_PAUSE_SECONDS = 0.2
RETRY_WITHIN_SECONDS = 5.0
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def is_busy_database(error: BaseException | None) -> bool:
    """Whether an exception means the database was too busy (locked, a lock or serialization
    conflict), rather than anything wrong with the request."""
    from django.db import OperationalError

    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    state = getattr(cause, "sqlstate", None) or getattr(cause, "pgcode", None)
    if state in BUSY_SQLSTATES:
        return True
    message = str(error).lower()
    return any(words in message for words in BUSY_MESSAGES)


def busy_answer(request):
    """503 with Retry-After, in the person's language; rendered without touching the database."""
    from django.http import HttpResponse
    from django.template import loader
    from django.utils.cache import add_never_cache_headers
    from django.utils.translation import gettext as _

    language = _answer_language(request)
    request.LANGUAGE_CODE = language
    with translation.override(language):
        message = _("Knipa is very busy just now. Please try again in a moment.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            try:
                content = loader.get_template("errors/503.html").render({"request": request})
                response = HttpResponse(content, status=503)
            except Exception:  # noqa: BLE001 - the answer to a failure must not fail
                response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(settings.BUSY_RETRY_AFTER_SECONDS)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    add_never_cache_headers(response)
    return response


def _note_busy_database(sender, request=None, **kwargs) -> None:
    # Sent by Django while it turns an exception raised anywhere (a middleware too) into a 500.
    if request is not None and is_busy_database(sys.exc_info()[1]):
        request.knipa_busy_database = True


got_request_exception.connect(_note_busy_database, dispatch_uid="knipa.middleware.busy_database")


class BusyDatabaseMiddleware:
    """First in line: a busy database is answered with a retry or a 503, never a 500.

    An exception from a view reaches `process_exception`: a request that only reads is tried once
    more after a short pause, anything else (which may have written part of what it meant to) is
    answered with 503 at once. An exception raised in a middleware is turned into a 500 by Django
    before it gets here; Django's `got_request_exception` marks the request, and `__call__` answers
    503 instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.knipa_started = monotonic()
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "knipa_busy_database", False):
            return busy_answer(request)
        return response

    def process_exception(self, request, exception):
        if not is_busy_database(exception):
            return None
        elapsed = monotonic() - getattr(request, "knipa_started", monotonic())
        match = request.resolver_match
        if request.method in SAFE_METHODS and match is not None and elapsed < RETRY_WITHIN_SECONDS:
            sleep(RETRY_PAUSE_SECONDS)
            try:
                return match.func(request, *match.args, **match.kwargs)
            except Exception as again:  # noqa: BLE001
                if not is_busy_database(again):
                    raise
        return busy_answer(request)


def _answer_language(request) -> str:
    """The language of an answer made outside the views: the request's if it has been chosen,
    else the browser's chosen one (no database query: the database may be what failed)."""
    language = getattr(request, "LANGUAGE_CODE", None)
    if language in supported_languages():
        return language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return cookie if cookie in supported_languages() else settings.LANGUAGE_CODE
