"""Resetting a forgotten password by a link sent to the person's confirmed e-mail address.

Django's own token generator makes the link (an HMAC of the account's id, password hash, last
login, address and the time): it works for PASSWORD_RESET_TIMEOUT (one hour) and only once, since
setting the password changes the hash it is made of. The answer to a request is the same whether
or not an account, or a confirmed address, exists: the mail goes out in the background, so that
not even the time taken tells. Limits: per client (IP address), visible, as they say nothing of
any account; per account, silent.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from knipa.accounts.emails import client_address, public_link, send_in_background
from knipa.accounts.throttle import allow

# Requests from one client (IP address): five in a quarter of an hour, twenty a day.
RESET_CLIENT_LIMITS = ((5, timedelta(minutes=15)), (20, timedelta(days=1)))
# Links mailed for one account: one in ten minutes, three a day.
RESET_ACCOUNT_LIMITS = ((1, timedelta(minutes=10)), (3, timedelta(days=1)))
CLIENT_WAIT_MINUTES = 15


def client_may_ask(request) -> bool:
    return allow("reset-client", client_address(request), RESET_CLIENT_LIMITS)


def accounts_for(name_or_address: str) -> list:
    """Accounts a reset link may go to: named by their username or their confirmed address, with
    a password to reset and an address their owner confirmed."""
    wanted = name_or_address.strip()
    if not wanted:
        return []
    users = (get_user_model().objects.select_related("profile")
             .filter(is_active=True)
             .filter(Q(username__iexact=wanted) | Q(profile__confirmed_email__iexact=wanted))
             .exclude(profile__confirmed_email=""))
    return [user for user in users if user.has_usable_password() and user.profile.email_confirmed]


def reset_link(user) -> str:
    # One part in the address: the account's id and the token, joined by a dot (knipa.accounts.urls).
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return public_link(reverse("accounts:password_reset_confirm", args=[f"{uid}.{token}"]))


def send_reset_links(name_or_address: str) -> None:
    """Mail a link to every account the name or address stands for, within the account's limits."""
    for user in accounts_for(name_or_address):
        if not allow("reset-account", str(user.pk), RESET_ACCOUNT_LIMITS):
            continue
        with translation.override(user.profile.language or settings.LANGUAGE_CODE):
            subject = render_to_string("accounts/mail/password_reset_subject.txt").strip()
            body = render_to_string("accounts/mail/password_reset.txt", {
                "link": reset_link(user), "username": user.get_username(),
                "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
            })
        send_in_background(EmailMessage(subject=subject, body=body, to=[user.profile.confirmed_email],
                                        headers={"Auto-Submitted": "auto-generated"}))
