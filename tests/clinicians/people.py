"""Clinicians and host staff for the tests, signed in with a second factor the way django-otp
records it (the session names the device that verified it); codes computed with django-otp's TOTP."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.sharing.people import make_clinician  # noqa: F401  (one way to make a clinician)

PASSWORD = "a long enough Passw0rd for tests"


def code_for(key_hex: str, at: float | None = None) -> str:
    """The six digits an authenticator app shows for this secret now (or at `at`)."""
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = at if at is not None else time.time()
    return f"{totp.token():06d}"


def app_of(user) -> TOTPDevice:
    """The user's authenticator app, connected (made if they have none yet)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=True)


def english(browser: Client) -> Client:
    """The browser chose English (the pages are Swedish until then)."""
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


def verified_client(user) -> Client:
    """A browser signed in as `user` with the second factor passed, in English."""
    browser = english(Client())
    browser.force_login(user)
    session = browser.session
    session[DEVICE_ID_SESSION_KEY] = app_of(user).persistent_id
    session.save()
    return browser


def make_staff(username: str = "host") -> object:
    return get_user_model().objects.create_user(username=username, password=PASSWORD, is_staff=True)
