"""Helpers for tests that read what Knipa mailed (Django's locmem backend: `mail.outbox`)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core import mail
from django.test import Client, RequestFactory, override_settings

from knipa.accounts import emails
from knipa.accounts.emails import Sent
from knipa.accounts.models import Profile

LINK = re.compile(r"https?://\S+")


def links_in(message) -> list[str]:
    return LINK.findall(message.body)


def path_of(link: str) -> str:
    return urlsplit(link).path


def mails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def confirm_address(profile: Profile, address: str) -> None:
    """The person gives an address and its owner opens the link, as it happens for real."""
    with override_settings(EMAIL_REMINDERS=True, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        emails.change_address(profile, address)
        assert emails.send_confirmation(profile, RequestFactory().post("/")) is Sent.SENT
    [link] = links_in(mails_to(address)[-1])
    response = Client().post(path_of(link))
    assert response.status_code == 200
    profile.refresh_from_db()
    profile.user.refresh_from_db()
    assert profile.email_confirmed
