"""Public pages, the language switch, the web app manifest, the offline page and the translated
error pages."""

from __future__ import annotations

import json
import logging

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from knipa.accounts.models import Profile
from knipa.middleware import remember_language, supported_languages

logger = logging.getLogger(__name__)


def start(request):
    if request.user.is_authenticated:
        return redirect("today:home")
    return render(request, "content/start.html")


def about_privacy(request):
    return render(request, "content/privacy.html")


# The palette of app.css: the header's surface (the bars around an installed app) and the page's
# background (its splash screen). The dark ones are in base.html's theme-color for dark mode.
THEME_COLOUR = "#ffffff"
BACKGROUND_COLOUR = "#f7f5f0"


def web_app_manifest(request):
    """The web app manifest: what a phone needs to install Knipa as an app (issue 15).

    In the person's language (base.html links it with credentials, so the language cookie comes
    along). The app opens on the person's home page; a visitor without a profile is sent on from
    there. Icons: made from the logo by scripts/make_icons.py.
    """
    manifest = {
        "id": "/",
        "name": "Knipa",
        "short_name": "Knipa",
        "description": _("Pelvic floor training that fits your day"),
        "lang": getattr(request, "LANGUAGE_CODE", "sv"),
        "dir": "ltr",
        "start_url": reverse("today:home"),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "categories": ["health", "medical"],
        "icons": [
            {"src": static("knipa/img/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": static("knipa/img/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": static("knipa/img/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
            {"src": static("knipa/img/knipa.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
        ],
        # A long press on the icon: straight to a round, or to the guide.
        "shortcuts": [
            {"name": _("Training round"), "short_name": _("Train"), "url": reverse("training:player")},
            {"name": _("Guide"), "url": reverse("guide:index")},
        ],
    }
    response = HttpResponse(json.dumps(manifest, ensure_ascii=False, indent=1),
                            content_type="application/manifest+json; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def offline(request):
    """What the service worker shows, offline, for a page it has not kept (sw.js): the same for
    everyone, in the language of the last page opened, with the pages that do open offline."""
    return render(request, "content/offline.html")


@require_POST
def set_language(request):
    """Switch the interface language and remember it, in this browser and on the profile."""
    language = request.POST.get("language", "")
    supported = supported_languages()
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if language not in supported:
        return response
    remember_language(response, language)
    if request.user.is_authenticated:
        Profile.objects.filter(user=request.user).update(language=language)
    return response


def _error_page(request, template: str, status: int, **context) -> HttpResponse:
    return render(request, template, context, status=status)


def bad_request(request, exception=None):
    return _error_page(request, "errors/400.html", 400)


def permission_denied(request, exception=None):
    return _error_page(request, "errors/403.html", 403)


def page_not_found(request, exception=None):
    return _error_page(request, "errors/404.html", 404)


def csrf_failure(request, reason=""):
    # The reason is for developers; people get a plain explanation and a way back.
    return _error_page(request, "errors/403_csrf.html", 403)


def server_error(request):
    # Something already went wrong, so rely on as little as possible: no context processors
    # that touch the database, and plain translated text if even the template fails.
    try:
        template = loader.get_template("errors/500.html")
        return HttpResponse(template.render({"request": request}), status=500)
    except Exception:  # pragma: no cover - last line of defence
        logger.exception("the 500 page itself failed")
        return HttpResponse(_("Something went wrong on our side. Please try again in a moment."), status=500, content_type="text/plain; charset=utf-8")
