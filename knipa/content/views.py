"""Public pages, the language switch and the translated error pages."""

from __future__ import annotations

import logging

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template import loader
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
