"""The link a new clinician sets their password with: one use, three days.

The host makes the account (`knipa manage clinician add`, or the staff page) and gives the link to
the clinician by a way they trust (in person, the clinic's own mail). No password is ever made up
and sent: the link is Django's password-reset token (an HMAC of the account's id, password hash
and last login), so setting the password spends it; only its lifetime is Knipa's own, since a
clinician may not open it within the hour a forgotten-password link lasts.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode

VALID_FOR = timedelta(days=3)


class WelcomeTokenGenerator(PasswordResetTokenGenerator):
    # Its own salt: a person's forgotten-password link is never a clinician's welcome link.
    key_salt = "knipa.clinicians.welcome.WelcomeTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        # Deactivating the account spends any link made before.
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"

    def check_token(self, user, token):
        """Django's check, with VALID_FOR instead of PASSWORD_RESET_TIMEOUT."""
        if not (user and token):
            return False
        ts_b36, dash, _hash = token.partition("-")
        if not dash:
            return False
        try:
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if self._num_seconds(self._now()) - ts > VALID_FOR.total_seconds():
            return False
        return any(constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
                   for secret in [self.secret, *self.secret_fallbacks])


welcome_tokens = WelcomeTokenGenerator()


def welcome_path(user) -> str:
    # One part in the address, "<account id in base64>.<token>", as the person's reset link.
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("clinicians:welcome", args=[f"{uid}.{welcome_tokens.make_token(user)}"])


def welcome_link(user) -> str:
    return f"{settings.PUBLIC_URL}{welcome_path(user)}"
