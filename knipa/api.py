"""The JSON API: one django-ninja API object for the routers of every room, served at /api/.

It sits above the rooms (beside urls.py), so each room only defines its router and no room
reaches into another for the API. Documented at /api/docs, served from our own origin.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

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
