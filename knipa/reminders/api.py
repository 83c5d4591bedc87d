"""The reminders part of the JSON API: the VAPID key, and adding and removing this browser's
push subscription. Session-authenticated and CSRF-checked like the rest of /api/."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth
from pydantic import field_validator

from knipa.reminders.models import PushSubscription
from knipa.accounts.access import READ_ANSWERS, WRITE_ANSWERS, api_profile
from knipa.reminders.planning import devices_changed, replan, settings_for
from knipa.reminders.vapid import application_server_key

router = Router(auth=django_auth, tags=["reminders"])

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def allowed_endpoint(endpoint: str) -> bool:
    parts = urlsplit(endpoint)
    host = (parts.hostname or "").lower()
    if host in LOOPBACK:
        return parts.scheme in ("http", "https") and host in {h.lower() for h in settings.PUSH_SERVICE_HOSTS}
    if parts.scheme != "https":
        return False
    return any(host == allowed or host.endswith("." + allowed) for allowed in settings.PUSH_SERVICE_HOSTS)


class KeyOut(Schema):
    application_server_key: str


@router.get("/push/key", response={200: KeyOut, **READ_ANSWERS}, summary="The VAPID public key for PushManager.subscribe()")
def push_key(request):
    return {"application_server_key": application_server_key()}


class Keys(Schema):
    p256dh: str = Field(min_length=20, max_length=200)
    auth: str = Field(min_length=8, max_length=100)


class SubscriptionIn(Schema):
    endpoint: str = Field(max_length=2000)
    keys: Keys
    label: str = Field(default="", max_length=100)

    @field_validator("endpoint")
    @classmethod
    def known_push_service(cls, value: str) -> str:
        if not allowed_endpoint(value):
            raise ValueError("not the address of a known push service")
        return value


class SubscriptionOut(Schema):
    id: int
    label: str


class SubscriptionRefused(Schema):
    detail: str


@router.post("/push/subscriptions",
             response={200: SubscriptionOut, 201: SubscriptionOut, **WRITE_ANSWERS, 409: SubscriptionRefused},
             summary="Receive reminders as notifications in this browser")
def add_subscription(request, payload: SubscriptionIn):
    """Store this browser's subscription (201), or its new keys when the same person posts the
    same endpoint again after the browser renewed it (200).

    An endpoint belongs to the person who posted it first: anyone else's post of it is refused
    (409) and changes nothing, so that knowing someone's endpoint is not enough to take their
    notifications over. A browser now used by someone else unsubscribes and subscribes again,
    which gives it a new endpoint (reminders.js does so on a 409).
    """
    profile = api_profile(request)
    keys = {"p256dh": payload.keys.p256dh, "auth": payload.keys.auth, "label": payload.label}
    with transaction.atomic():
        # Locked, so that of two people posting a new endpoint at once one stores it and the other
        # is refused (get_or_create reads again after losing the race to insert).
        subscription, created = PushSubscription.objects.select_for_update().get_or_create(
            endpoint=payload.endpoint, defaults={"profile": profile, **keys})
        if subscription.profile_id != profile.id:
            return Status(409, {"detail": _("These notifications already belong to someone else. "
                                            "Nothing was changed.")})
        if not created:
            for name, value in keys.items():
                setattr(subscription, name, value)
            subscription.save(update_fields=list(keys))
        reminder_settings = settings_for(profile)
        if not reminder_settings.by_push:
            reminder_settings.by_push = True
            reminder_settings.save(update_fields=["by_push", "updated_at"])
    replan(profile, timezone.now())
    return Status(201 if created else 200, {"id": subscription.id, "label": subscription.label})


class EndpointIn(Schema):
    endpoint: str = Field(max_length=2000)


@router.post("/push/subscriptions/remove", response={204: None, **WRITE_ANSWERS},
             summary="Stop notifications in this browser (by its endpoint)")
def remove_subscription(request, payload: EndpointIn):
    """Remove the caller's own subscription with this endpoint. Anyone else's is left alone, and
    the answer is the same either way (204), so it tells nothing about other people's browsers."""
    profile = api_profile(request)
    PushSubscription.objects.filter(profile=profile, endpoint=payload.endpoint).delete()
    devices_changed(profile)
    return Status(204, None)
