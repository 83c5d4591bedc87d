"""Who may see a clinician's page: a signed-in, active clinician whose session passed the second
factor (django-otp's `user.is_verified()`); and, for the host's staff page, a staff account that
passed it too.

People never reach these pages (they get the translated 403), and a clinician never reaches a
person's pages (knipa.accounts.access sends them to /clinic/), so the two kinds of account stay
apart. What a clinician may see of a person is decided by the person's share (knipa.sharing.access).
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect

from knipa.clinicians.models import Clinician


def clinician_of(user) -> Clinician | None:
    """The user's active clinician account, or None (a person, a visitor, a deactivated one)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        clinician = user.clinician
    except Clinician.DoesNotExist:
        return None
    return clinician if clinician.active and user.is_active else None


def may_use_clinic(user) -> bool:
    """Accounts that sign in at /clinic/login/: active clinicians, and the host's staff."""
    return clinician_of(user) is not None or (user.is_active and user.is_staff)


def _verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def _sign_in_first(request):
    target = request.get_full_path() if request.method in ("GET", "HEAD") else ""
    if not target:
        return redirect("clinicians:login")
    return redirect_to_login(target, login_url="clinicians:login")


def _not_verified(request):
    """For the clinic's and the staff's pages alike: a visitor or an account without the second
    factor is sent to the clinic's sign-in (with the way back); a person is refused (403). None
    when the account is signed in with its second factor."""
    user = request.user
    if user.is_authenticated and _verified(user):
        return None
    if user.is_authenticated and not may_use_clinic(user):
        raise PermissionDenied
    return _sign_in_first(request)


def clinician_required(view):
    """Give the view the requesting clinician (`view(request, clinician, ...)`), or send them away.

    Not signed in, or signed in without the second factor (a session from before it was asked, or
    one whose device the host has reset): to the clinic's sign-in, with the way back. Signed in as
    a person: 403. The host's staff who are not clinicians: to the staff page.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        refused = _not_verified(request)
        if refused is not None:
            return refused
        user = request.user
        clinician = clinician_of(user)
        if clinician is None:
            if user.is_staff and user.is_active:
                return redirect("clinic:staff")
            raise PermissionDenied
        request.clinician = clinician
        return view(request, clinician, *args, **kwargs)

    return wrapper


def staff_required(view):
    """The host's staff page: a staff account (Django's is_staff) that passed the second factor."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        refused = _not_verified(request)
        if refused is not None:
            return refused
        user = request.user
        if not (user.is_staff and user.is_active):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
