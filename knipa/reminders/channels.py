"""Sending one reminder by one channel: Web Push (pywebpush) or e-mail (Django's mail).

Each send returns an `Outcome` in plain words: delivered; failed for now (a network error, a push
service's 429 or 5xx: try again later); failed for good; or gone (the push service says the
subscription no longer exists, 404 or 410: forget it).
"""

from __future__ import annotations

import json
import os
import smtplib
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

import certifi
import requests
import urllib3
from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext as _
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from knipa.reminders.models import PushSubscription
from knipa.reminders.vapid import vapid

# A reminder that waited longer than this in the push service is no use (the round is past).
PUSH_TTL_SECONDS = 30 * 60
PUSH_TIMEOUT_SECONDS = 10
# A VAPID signature may be valid for up to 24 hours (RFC 8292). Ours says 12 and is made again
# after one, once per push service rather than once per push: signing is a good part of a send.
VAPID_VALID_SECONDS = 12 * 60 * 60
VAPID_SIGN_AGAIN_AFTER_SECONDS = 60 * 60
_vapid_signatures: dict[tuple[int, str, str], tuple[Vapid02, float, dict]] = {}


class Result(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"
    FAILED = "failed"
    GONE = "gone"


@dataclass(frozen=True)
class Outcome:
    result: Result
    error: str = ""


@dataclass(frozen=True)
class Message:
    """What a reminder says, already in the person's language."""

    title: str
    body: str
    url: str  # where tapping it leads (the next round)
    tag: str  # a notification with the same tag replaces the previous one
    language: str
    snooze_token: str = ""

    def push_payload(self) -> bytes:
        return json.dumps({
            "title": self.title, "body": self.body, "url": self.url, "tag": self.tag,
            "lang": self.language, "snooze": self.snooze_token,
            "snoozeLabel": _("Remind me in 30 minutes"),
        }).encode()


@dataclass(frozen=True)
class PushResponse:
    """A push service's answer: what pywebpush reads of a requests.Response."""

    status_code: int
    reason: str
    text: str
    headers: Mapping[str, str]


class PushSession:
    """Sends the pushes of a worker that sends many, over urllib3's connection pools.

    pywebpush encrypts and signs, then posts with a requests.Session it is given. requests did
    more than the sending needs, for every push: it walked all of os.environ twice for proxies,
    looked for a .netrc file (whose entry for a push service would even replace the VAPID
    Authorization header), merged cookies and hooks and prepared the request anew. That was a
    third of the worker's time per push; urllib3, which requests itself sends with, takes a
    third of requests' time for the same POST. This class offers the one method pywebpush calls,
    `post()`, with requests' own settings read from the environment once per push service (the
    proxy `requests.utils.get_environ_proxies` finds, the CA bundle in REQUESTS_CA_BUNDLE or
    CURL_CA_BUNDLE, else certifi's, as requests uses), no retries and no redirects (a push goes
    where the browser said, or fails in plain words). Failures are raised as requests'
    exceptions, so that `send_push` reads them the same with or without a session.
    """

    def __init__(self) -> None:
        self._pools: dict[tuple[str, str], urllib3.PoolManager] = {}

    def _pool_for(self, url: str) -> urllib3.PoolManager:
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        pool = self._pools.get(key)
        if pool is None:
            ca_certs = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or certifi.where()
            options = {"num_pools": 1, "maxsize": 1, "cert_reqs": "CERT_REQUIRED", "ca_certs": ca_certs}
            proxies = requests.utils.get_environ_proxies(url)
            proxy = proxies.get(parts.scheme) or proxies.get("all")
            pool = urllib3.ProxyManager(proxy, **options) if proxy else urllib3.PoolManager(**options)
            if len(self._pools) > 100:  # a few push services in practice
                self._pools.clear()
            self._pools[key] = pool
        return pool

    def post(self, url: str, data: bytes | None = None, headers: Mapping | None = None,
             timeout: float | None = None) -> PushResponse:
        try:
            response = self._pool_for(url).request("POST", url, body=data, headers=dict(headers or {}),
                                                   timeout=timeout, retries=False, redirect=False)
        except urllib3.exceptions.TimeoutError as exc:
            raise requests.Timeout(str(exc)) from exc
        except urllib3.exceptions.HTTPError as exc:  # refused, reset, TLS, proxy: not reached
            raise requests.ConnectionError(str(exc)) from exc
        return PushResponse(response.status, response.reason or "", response.data.decode("utf-8", "replace"),
                            response.headers)


def vapid_authorization(key: Vapid02, endpoint: str) -> dict:
    """The Authorization header for pushes to this endpoint's push service, signed with `key`."""
    url = urlsplit(endpoint)
    audience = f"{url.scheme}://{url.netloc}"
    now = time.time()
    cache_key = (id(key), audience, settings.VAPID_CONTACT)
    cached = _vapid_signatures.get(cache_key)
    if cached is not None and cached[0] is key and now - cached[1] < VAPID_SIGN_AGAIN_AFTER_SECONDS:
        return cached[2]
    headers = key.sign({"sub": settings.VAPID_CONTACT, "aud": audience, "exp": int(now) + VAPID_VALID_SECONDS})
    if len(_vapid_signatures) > 100:  # a few push services in practice; many only in tests
        _vapid_signatures.clear()
    _vapid_signatures[cache_key] = (key, now, headers)
    return headers


def send_push(subscription: PushSubscription, message: Message, session: requests.Session | None = None,
              topic: str = "", vapid_key: Vapid02 | None = None) -> Outcome:
    """Send one push; `vapid_key` saves a sender of many the look-up of the key for each."""
    headers = {"Urgency": "normal"}
    if topic:
        # RFC 8030: a push service replaces an undelivered message with the same topic, so a
        # reminder sent again after a worker died mid-send still reaches the browser once.
        headers["Topic"] = topic
    try:
        headers.update(vapid_authorization(vapid_key or vapid(), subscription.endpoint))
        webpush(
            subscription.info(),
            message.push_payload(),
            content_encoding="aes128gcm",
            ttl=PUSH_TTL_SECONDS,
            timeout=PUSH_TIMEOUT_SECONDS,
            headers=headers,
            requests_session=session,
        )
    except WebPushException as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in (404, 410):
            return Outcome(Result.GONE, _("The browser's subscription has expired."))
        if status == 429 or (status is not None and status >= 500):
            return Outcome(Result.RETRY, _("The push service was busy (%(status)s).") % {"status": status})
        if status == 413:
            return Outcome(Result.FAILED, _("The notification was too large for the push service."))
        return Outcome(Result.FAILED, _("The push service refused the notification (%(status)s).") % {
            "status": status or "?"})
    except (requests.ConnectionError, requests.Timeout):
        return Outcome(Result.RETRY, _("The push service could not be reached."))
    except (requests.RequestException, ValueError) as exc:
        # A malformed subscription (bad keys) can never work.
        return Outcome(Result.FAILED, _("The subscription is not valid (%(kind)s).") % {"kind": type(exc).__name__})
    return Outcome(Result.DELIVERED)


def unsubscribe_link(unsubscribe_token: str) -> str:
    return f"{settings.PUBLIC_URL}{reverse('reminders:unsubscribe', args=[unsubscribe_token])}"


def send_email(address: str, message: Message, unsubscribe_token: str) -> Outcome:
    """One reminder by e-mail, to a confirmed address, with a one-click unsubscribe (RFC 8058): the
    link in the text and the List-Unsubscribe headers, which mail programs show as a button and
    post to without anyone logging in. The host's mail server should sign both headers with DKIM,
    as RFC 8058 asks (docs/reminders.md)."""
    unsubscribe = unsubscribe_link(unsubscribe_token)
    text = f"{message.body}\n\n{settings.PUBLIC_URL}{message.url}\n\n" + _(
        "You get this because you chose e-mail reminders in Knipa. To stop them, open this link: %(link)s"
    ) % {"link": unsubscribe}
    email = EmailMessage(subject=message.title, body=text, to=[address], headers={
        "Auto-Submitted": "auto-generated",
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    })
    try:
        email.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused:
        return Outcome(Result.FAILED, _("The mail server refused the address."))
    except (smtplib.SMTPException, OSError, socket.timeout):
        return Outcome(Result.RETRY, _("The mail server could not be reached."))
    return Outcome(Result.DELIVERED)
