"""Request-wide behaviour that Django does not offer out of the box."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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


class SecureCookiesOverHttpsMiddleware:
    """Mark every cookie Secure on a request that arrived over HTTPS.

    Static SESSION_COOKIE_SECURE would break a plain-HTTP install on 127.0.0.1; with this, the
    same installation is safe the moment it is served over HTTPS (or behind a proxy that says so,
    see KNIPA_BEHIND_HTTPS_PROXY).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.is_secure():
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response


class ApiBodyLimitMiddleware:
    """Refuse oversized API requests with a clear JSON 413 before anything reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.API_MAX_BODY_BYTES:
                from django.http import JsonResponse
                from django.utils.translation import gettext as _

                translation.activate(chosen_language(request))
                return JsonResponse(
                    {"detail": _("The request is too large (at most %(limit)d kB).")
                     % {"limit": settings.API_MAX_BODY_BYTES // 1024}},
                    status=413,
                )
        return self.get_response(request)
