"""Usernames are not case-sensitive: "Anna" and "anna" are the same person (issue 15, item 11f).

People type their name on a phone that capitalises the first letter, or remember it differently
from how they claimed it. Claiming a name that differs from an existing one only by case is refused
(knipa.accounts.forms.SecureProfileForm), so a name finds at most one account; an older pair that
differs only by case (made before that rule) still logs in: the exact spelling wins, else the
oldest account."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied


def find_user(username: str):
    """The account with this username, whatever its case; None if there is none."""
    user_model = get_user_model()
    field = user_model.USERNAME_FIELD
    matches = list(user_model._default_manager.filter(**{f"{field}__iexact": username}).order_by("pk")[:20])
    for user in matches:
        if getattr(user, field) == username:
            return user
    return matches[0] if matches else None


class CaseInsensitiveModelBackend(ModelBackend):
    """Django's own password check, with the user found by their username in any case."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = find_user(username)
        if user is None:
            # As Django's ModelBackend: hash once anyway, so a missing name takes as long as a
            # wrong password and does not tell which names exist.
            get_user_model()().set_password(password)
        elif user.check_password(password) and self.user_can_authenticate(user):
            return user
        # This backend decides: Django's ModelBackend, listed after it only for older sessions,
        # must not hash the password a second time. Django still sends user_login_failed, which
        # django-axes counts.
        raise PermissionDenied


def axes_username(request, credentials) -> str | None:
    """The username django-axes counts failed logins under (AXES_USERNAME_CALLABLE): in lower case,
    so guesses at "Anna" and "anna" add up to one lockout, and a reset clears both."""
    if credentials:
        name = credentials.get("username")
    else:
        name = getattr(request, "data", request.POST).get("username") if request is not None else None
    return login_attempts_name(name) if name is not None else None


def login_attempts_name(username: str) -> str:
    """The key failed logins are kept under for this username (for axes' reset)."""
    return username.lower()
