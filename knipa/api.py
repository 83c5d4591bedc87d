"""The JSON API: one django-ninja API object for the routers of every room, served at /api/.

It sits above the rooms (beside urls.py), so each room only defines its router and no room
reaches into another for the API. Documented at /api/docs, served from our own origin.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from knipa.reminders.api import router as reminders_router
from knipa.training.api import router as training_router

api = NinjaAPI(title="Knipa API", version="1", urls_namespace="api")
api.add_router("/", training_router)
api.add_router("/", reminders_router)


@api.exception_handler(ValidationError)
def validation_failed(request, exc: ValidationError):
    # Say which field is wrong and why, in plain words; never echo the whole payload back.
    problems = []
    for error in exc.errors:
        where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("body", "payload"))
        problems.append({"field": where, "problem": str(error.get("msg", "invalid"))})
    return api.create_response(
        request,
        {"detail": _("Some values are not valid."), "problems": problems},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def not_logged_in(request, exc: AuthenticationError):
    return api.create_response(request, {"detail": _("Log in to Knipa first.")}, status=401)


@api.exception_handler(HttpError)
def refused(request, exc: HttpError):
    # Our own refusals are translated where they are raised; django-ninja's own few are English
    # only: a body that is not JSON (400) and a failed CSRF check (403). Say those plainly too.
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = _("The request could not be read: it is not valid JSON.")
    elif exc.status_code == 403 and detail == "CSRF check Failed":
        detail = _("The page was open for too long or its cookies are blocked. Reload it and try again.")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)
