"""A clinician's sign-in: the password first, then a second factor, and only then a session.

The password step does not log anyone in: it puts the account in this browser's session as
"pending" for a few minutes. Only a right code from the authenticator app (TOTP, RFC 6238, through
django-otp) or one unused recovery code turns that into a logged-in session marked as verified
(django_otp.login). So no page, and no API call, ever sees a clinician who has given only the
password: there is no half-signed-in state to guard.

The first time (no confirmed TOTP device), the second step is the enrolment: a new secret, kept in
the session until it is confirmed with a code (a GET never writes; the secret is written as a device
only when it works), shown as a QR code and as text, then ten recovery codes shown once.

Code attempts are throttled twice: django-otp's own per device (after each wrong code the next try
waits 1, 2, 4, 8 ... seconds), and per sign-in: after MAX_WRONG_CODES wrong codes the pending
sign-in ends and the password must be given again, which django-axes counts and locks out.
"""

from __future__ import annotations

import secrets
import time
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote, urlencode

import segno
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from knipa.clinicians.access import may_use_clinic
from knipa.sessions.models import Session

PENDING_KEY = "knipa_clinic_pending"
ENROL_KEY = "knipa_clinic_enrol_secret"
RECOVERY_KEY = "knipa_clinic_recovery_codes"
# Long enough to open the authenticator app (or, the first time, install one); short enough that a
# browser left at the code step does not stay half a key.
PENDING_FOR = timedelta(minutes=10)
MAX_WRONG_CODES = 5
RECOVERY_CODE_COUNT = 10
ISSUER = "Knipa"


# --- The pending sign-in ------------------------------------------------------------------------

def start_pending(request, user) -> None:
    # A new session key: whatever this browser's session was before (a person's, a visitor's), the
    # sign-in continues in a fresh one, so a session id set by someone else cannot ride along.
    request.session.cycle_key()
    request.session[PENDING_KEY] = {"user": user.pk, "since": time.time(), "wrong": 0}
    request.session.pop(ENROL_KEY, None)


def pending_user(request):
    """The account that gave its password in this browser a moment ago, or None."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - float(pending.get("since", 0)) > PENDING_FOR.total_seconds():
        end_pending(request)
        return None
    user = get_user_model().objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or not may_use_clinic(user):
        end_pending(request)
        return None
    return user


def end_pending(request) -> None:
    request.session.pop(PENDING_KEY, None)
    request.session.pop(ENROL_KEY, None)


def count_wrong_code(request) -> bool:
    """Count a wrong code against this sign-in; True when it has had too many and has ended."""
    pending = dict(request.session.get(PENDING_KEY) or {})
    pending["wrong"] = int(pending.get("wrong", 0)) + 1
    if pending["wrong"] >= MAX_WRONG_CODES:
        end_pending(request)
        return True
    request.session[PENDING_KEY] = pending
    return False


def finish(request, user, device) -> None:
    """Both factors given: log the account in, with the device that verified it."""
    from django.contrib.auth import login

    end_pending(request)
    login(request, user, backend="knipa.accounts.backends.CaseInsensitiveModelBackend")
    otp_login(request, device)


# --- The second factor ------------------------------------------------------------------------

def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_device(user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@dataclass(frozen=True)
class Wait:
    """Codes are not being checked for this account until `until` (django-otp's throttle)."""

    until: datetime

    @property
    def seconds(self) -> int:
        return max(1, int((self.until - timezone.now()).total_seconds()) + 1)


def throttled(user) -> Wait | None:
    """Whether a wrong code a moment ago makes this account wait before the next one is checked."""
    waits = []
    for device in (totp_device(user), recovery_device(user)):
        if device is None:
            continue
        allowed, data = device.verify_is_allowed()
        if not allowed and data and data.get("locked_until"):
            waits.append(data["locked_until"])
    return Wait(max(waits)) if waits else None


def normalised(code: str) -> str:
    """What the person typed, without the spaces and dashes an app or a printout puts in."""
    return "".join(code.split()).replace("-", "").lower()


def verify_code(user, code: str):
    """The device that accepts this code (six digits from the app, or a recovery code, which is
    then used up), or None. Each device counts its own wrong codes (django-otp's throttle)."""
    code = normalised(code)
    if not code:
        return None
    with transaction.atomic():
        if code.isdigit():
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        else:
            device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        if device is not None and device.verify_token(code):
            return device
    return None


# --- Enrolment ------------------------------------------------------------------------------------

def enrolment_secret(request) -> str:
    """The secret offered to this sign-in's enrolment, made once and kept in the session (hex, as
    django-otp stores it) until a code confirms it."""
    secret = request.session.get(ENROL_KEY)
    if not isinstance(secret, str) or len(secret) != 40:
        secret = secrets.token_hex(20)
        request.session[ENROL_KEY] = secret
    return secret


def secret_as_text(secret_hex: str) -> str:
    """The secret as authenticator apps take it by hand: base32, in groups of four."""
    plain = b32encode(bytes.fromhex(secret_hex)).decode("ascii").rstrip("=")
    return " ".join(plain[i:i + 4] for i in range(0, len(plain), 4))


def provisioning_uri(secret_hex: str, username: str) -> str:
    """The otpauth:// address a QR code carries (Google Authenticator's Key Uri Format)."""
    label = quote(f"{ISSUER}:{username}")
    params = urlencode({"secret": secret_as_text(secret_hex).replace(" ", ""), "issuer": ISSUER,
                        "algorithm": "SHA1", "digits": 6, "period": 30})
    return f"otpauth://totp/{label}?{params}"


def qr_code_data_uri(secret_hex: str, username: str) -> str:
    """The QR code as an SVG data: address for an <img> (the CSP allows data: images, not inline
    styles): drawn on the server by segno, nothing fetched from elsewhere."""
    qr = segno.make(provisioning_uri(secret_hex, username), error="m")
    return qr.svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


def confirm_enrolment(request, user, code: str) -> list[str] | None:
    """The code checks against the offered secret: store it as the account's device, make the
    recovery codes, and sign in. Returns the recovery codes (to show once), or None."""
    secret = request.session.get(ENROL_KEY)
    code = normalised(code)
    if not isinstance(secret, str) or not code.isdigit():
        return None
    totp = TOTP(bytes.fromhex(secret))
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=1):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name="authenticator app", key=secret, confirmed=True,
                                           last_t=totp.t())
        codes = new_recovery_codes(user)
    finish(request, user, device)
    return codes


def new_recovery_codes(user) -> list[str]:
    """Ten fresh recovery codes; any older ones stop working. Only their plain text is shown, once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
        codes = []
        while len(codes) < RECOVERY_CODE_COUNT:
            code = StaticToken.random_token()
            if code not in codes:
                codes.append(code)
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def keep_codes_to_show(request, codes: list[str]) -> None:
    request.session[RECOVERY_KEY] = codes


def take_codes_to_show(request) -> list[str]:
    """The recovery codes made a moment ago, out of the session: they are shown on one page, once."""
    return list(request.session.pop(RECOVERY_KEY, []) or [])


# --- What the host does -----------------------------------------------------------------------

def end_sessions(user) -> None:
    """Sign the account out everywhere (every session row of it goes)."""
    Session.objects.filter(user=user).delete()


def reset_second_factor(user) -> None:
    """Forget the authenticator app and the recovery codes: the next sign-in enrols again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        end_sessions(user)
