"""The VAPID key that identifies this Knipa to push services (RFC 8292).

Generated on first use and stored in the database (one row), so that a region's several app and
worker processes share it without copying files; a browser's subscription is bound to the public
key it was made with, so the key must never change silently.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.hazmat.primitives import serialization
from django.db import IntegrityError, transaction
from py_vapid import Vapid02

from knipa.reminders.models import VapidKey


def ensure_key(**kwargs) -> None:
    """Make the key when the database is set up (post_migrate), so that no page view writes it."""
    _load_or_create()


def _load_or_create() -> VapidKey:
    key = VapidKey.objects.filter(pk=1).first()
    if key is not None:
        return key
    vapid = Vapid02()
    vapid.generate_keys()
    pem = vapid.private_pem().decode()
    try:
        with transaction.atomic():
            return VapidKey.objects.create(pk=1, private_pem=pem)
    except IntegrityError:
        # Another process made it first: use theirs.
        return VapidKey.objects.get(pk=1)


@lru_cache(maxsize=1)
def _vapid_for(pem: str) -> Vapid02:
    return Vapid02.from_pem(pem.encode())


def vapid() -> Vapid02:
    return _vapid_for(_load_or_create().private_pem)


def application_server_key() -> str:
    """The public key, base64url without padding, as PushManager.subscribe() takes it."""
    raw = vapid().public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
