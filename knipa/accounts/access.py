"""Who may see a page: every personal page belongs to the logged-in person and no one else."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError

from knipa.accounts.models import Profile


def profile_required(view=None, *, onboarded: bool = True):
    """Give the view the requesting person's own profile, or send the visitor away.

    Anonymous visitors go to the login page with the way back (`?next=`): a deep link (a reminder's
    link opened on a logged-out phone, a bookmark of /train/) leads on to where it was going after
    logging in, and the login page says why it is shown and offers to start anew. A person who has
    not finished onboarding is taken to the first unanswered step. Views never look a profile up
    by an id from the URL, so there is nothing of anyone else's to reach.
    """

    def decorate(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                # Only a GET can be taken up again after logging in; a POST's body is gone anyway.
                target = request.get_full_path() if request.method in ("GET", "HEAD") else ""
                if not target:
                    return redirect("accounts:login")
                return redirect_to_login(target)
            try:
                # Read once per request: the language middleware may already have read it.
                profile = request.user.profile
            except Profile.DoesNotExist:
                # A clinician's account never gets a profile: their pages are the clinic's. Asked
                # through the reverse relation's name (knipa.clinicians.models.Clinician.user,
                # related_name="clinician"), since knipa.clinicians is a layer above this room and
                # cannot be imported here; only reached by accounts without a profile.
                if hasattr(request.user, "clinician"):
                    return redirect("clinic:home")
                profile, _created = Profile.objects.get_or_create(user=request.user)
            if onboarded and profile.onboarded_at is None:
                from knipa.accounts.onboarding import first_unanswered

                step = first_unanswered(profile)
                return redirect("accounts:onboarding", step=step.slug)
            request.profile = profile
            return func(request, profile, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def delete_own(model, profile: Profile, pk) -> None:
    """Delete one of the person's own rows; someone else's, or none, answers 404 as if absent."""
    deleted, _rows = model.objects.filter(pk=pk, profile=profile).delete()
    if not deleted:
        raise Http404


def api_profile(request: HttpRequest) -> Profile:
    """The JSON API's ownership check: the logged-in person's own, onboarded profile (else 409)."""
    profile = getattr(request.auth, "profile", None) if request.auth is not None else None
    if profile is None or profile.onboarded_at is None:
        raise HttpError(409, _("Finish the introduction questions before you train."))
    return profile


# --- What the JSON API may answer besides its own results -------------------------------------
# Documented on every operation (OpenAPI at /api/docs), so that a client knows each answer it
# can meet; tests/api/test_fuzzing.py fails on any status an operation does not document.

class Problem(Schema):
    """A refusal, said in the person's language."""

    detail: str


class FieldProblem(Schema):
    field: str
    problem: str


class Invalid(Schema):
    """Values that are not valid (422), field by field."""

    detail: str
    problems: list[FieldProblem]


# 401: not logged in. 409: the person has not finished the introduction (api_profile). 503: the
# database was busy, try again (knipa.middleware.BusyDatabaseMiddleware).
READ_ANSWERS = {400: Problem, 401: Problem, 409: Problem, 503: Problem}
# 400: a null character in the request (NullCharactersMiddleware) or, on writes, a body that is
# not JSON. 403: the CSRF check failed. 413: the body is too large
# (BodyLimitMiddleware). 422: invalid values.
WRITE_ANSWERS = {**READ_ANSWERS, 403: Problem, 413: Problem, 422: Invalid}
