"""Who may see a person's data, and the steps of sharing: the one place both sides ask.

A clinician sees a person only through an active share with that clinician, while the clinician's
account is active, and only what the share's scopes cover (`active_share`, `covers`). Nothing is
kept between requests: withdrawing a share (`stop_share`) sets `withdrawn_at` in one statement, and
the clinician's next request finds nothing. Every look at the person's data writes an `AccessLog`
row (`log_access`) in the reader's own transaction, so a read that is not logged did not happen.

A share starts when one side enters the other side's code (`make_code`, `redeem_code`): a short
code from an unambiguous alphabet, stored only as its sha256, used once, expiring; entering codes
is throttled (knipa.accounts.throttle), so they cannot be guessed by trying.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from knipa.accounts.models import Profile
from knipa.accounts.pagecache import move_version_on
from knipa.accounts.throttle import allow_all
from knipa.clinicians.models import Clinician
from knipa.program.plan import check_prescription
from knipa.sharing.models import (
    Access,
    AccessLog,
    Direction,
    Prescription,
    PrescriptionMode,
    PrescriptionStatus,
    Scope,
    Share,
    ShareCode,
    Withdrawer,
)

# No 0/O, 1/I/L: read aloud or copied from a phone to a screen, no letter is mistaken for another.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8  # 31^8, about 8.5e11 codes: with the throttle below, guessing one is hopeless
# A person's code is for the next visit or message; a clinician's may wait in a leaflet or a letter.
PERSON_CODE_DAYS = 7
CLINICIAN_CODE_DAYS = 30
# Tries at entering a code, per account and per client address (both must keep within).
GUESS_LIMITS = ((10, timedelta(minutes=15)), (30, timedelta(days=1)))


class CodeRefused(Exception):
    """A code that cannot start a share; `reason` says why, `message` says it to the person."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return {
            "throttled": _("Too many codes were tried. Wait a quarter of an hour, then try again."),
            "expired": _("This code has expired. Ask for a new one."),
            "used": _("This code has already been used. Ask for a new one."),
        }.get(self.reason, _("There is no such code. Check it letter by letter, or ask for a new one."))


# --- Codes ------------------------------------------------------------------------------------------

def normalise(code: str) -> str:
    """The code as stored: capitals, without the spaces and dashes a person may type or copy."""
    return "".join(character for character in str(code).upper() if character not in " -\t\n")[:64]


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise(code).encode("utf-8")).hexdigest()


def shown(code: str) -> str:
    """The code as a person reads it: two groups of four ("ABCD-EFGH")."""
    plain = normalise(code)
    return f"{plain[:4]}-{plain[4:]}" if len(plain) == CODE_LENGTH else plain


def clean_scopes(scopes) -> list[str]:
    """The scopes chosen, in the consent screen's order, without anything unknown."""
    chosen = set(scopes or ())
    return [value for value in Scope.values if value in chosen]


def make_code(*, profile: Profile | None = None, scopes=None, clinician: Clinician | None = None,
              label: str = "", now: datetime | None = None) -> tuple[ShareCode, str]:
    """A new code and its plain text, which is shown once and never stored.

    A person's code (`profile`, `scopes`: what they consent to share) is for a clinician to enter;
    a clinician's code (`clinician`) is for a person to enter, who then chooses the scopes.
    """
    if (profile is None) == (clinician is None):
        raise ValueError("a code is made by a person or by a clinician")
    now = now or timezone.now()
    if profile is not None:
        scopes = clean_scopes(scopes)
        if not scopes:
            raise ValueError("a person's code shares at least one thing")
        direction, days = Direction.FROM_PERSON, PERSON_CODE_DAYS
    else:
        scopes, direction, days = [], Direction.FROM_CLINICIAN, CLINICIAN_CODE_DAYS
    while True:
        plain = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                code = ShareCode.objects.create(code_hash=hash_code(plain), direction=direction, profile=profile,
                                                clinician=clinician, scopes=scopes, created_at=now,
                                                label=label.strip()[:80] if profile is not None else "",
                                                expires_at=now + timedelta(days=days))
            return code, plain
        except IntegrityError:  # the same code twice: vanishingly rare, so simply draw again
            continue


def _tried(who: str, client: str, now: datetime) -> bool:
    checks = [("sharing.code", who, GUESS_LIMITS)]
    if client:
        checks.append(("sharing.code.client", client, GUESS_LIMITS))
    return allow_all(checks, now)


def find_code(code: str, *, direction: Direction, who: str, client: str = "",
              now: datetime | None = None) -> ShareCode:
    """The usable code of that direction, counted as one try (raises CodeRefused otherwise).

    `who` names the one entering it ("profile:12", "clinician:3") and `client` their address, for
    the throttle. A code of the other direction is "unknown": entering one's own code tells nothing.
    """
    now = now or timezone.now()
    if not _tried(who, client, now):
        raise CodeRefused("throttled")
    found = ShareCode.objects.filter(code_hash=hash_code(code), direction=direction).select_related(
        "clinician__clinic", "profile").first()
    if found is None or (found.clinician is not None and not found.clinician.active):
        raise CodeRefused("unknown")
    if found.used_at is not None:
        raise CodeRefused("used")
    if found.expires_at <= now:
        raise CodeRefused("expired")
    return found


def redeem_code(code: str, *, clinician: Clinician | None = None, profile: Profile | None = None, scopes=None,
                label: str = "", client: str = "", now: datetime | None = None) -> Share:
    """Start the share a code offers, once: a clinician enters a person's code (the person chose
    the scopes when making it), or a person enters a clinician's code with the scopes they consent
    to now. Raises CodeRefused (throttled, unknown, expired, used)."""
    if (profile is None) == (clinician is None):
        raise ValueError("a code is entered by a person or by a clinician")
    now = now or timezone.now()
    if clinician is not None:
        direction, who = Direction.FROM_PERSON, f"clinician:{clinician.pk}"
    else:
        direction, who = Direction.FROM_CLINICIAN, f"profile:{profile.pk}"
        scopes = clean_scopes(scopes)
        if not scopes:
            raise ValueError("a share covers at least one thing")
    found = find_code(code, direction=direction, who=who, client=client, now=now)
    with transaction.atomic():
        # Used once: of two entering the same code at once, only the first one's update counts.
        if not ShareCode.objects.filter(pk=found.pk, used_at__isnull=True).update(used_at=now):
            raise CodeRefused("used")
        if clinician is not None:
            return start_share(found.profile, clinician, found.scopes, now, label=found.label)
        return start_share(profile, found.clinician, scopes, now, label=label)


def cancel_code(profile: Profile, code_id) -> bool:
    """The person takes back a code of theirs that is not used yet; False when there is none."""
    deleted, _rows = ShareCode.objects.filter(pk=code_id, profile=profile, used_at__isnull=True).delete()
    return bool(deleted)


def waiting_codes(profile: Profile, now: datetime | None = None):
    """The person's own codes that a clinician may still enter."""
    return ShareCode.objects.filter(profile=profile, direction=Direction.FROM_PERSON, used_at__isnull=True,
                                    expires_at__gt=now or timezone.now()).order_by("-created_at")


# --- Shares -----------------------------------------------------------------------------------------

def start_share(profile: Profile, clinician: Clinician, scopes, now: datetime | None = None, *,
                label: str = "") -> Share:
    """The person's consent, in force now; consenting again to the same clinician replaces what an
    active share covers with the new choice (one active share per pair). Logged as started.
    `label`: the name the person chose to be known by to this clinician (may be empty)."""
    now = now or timezone.now()
    label = label.strip()[:80]
    scopes = clean_scopes(scopes)
    if not scopes:
        raise ValueError("a share covers at least one thing")
    with transaction.atomic():
        share = Share.objects.select_for_update().active().filter(profile=profile, clinician=clinician).first()
        if share is None:
            share = Share.objects.create(profile=profile, clinician=clinician, scopes=scopes, label=label,
                                         created_at=now)
        else:
            share.scopes, share.label = scopes, label
            share.save(update_fields=["scopes", "label"])
        share.clinician = clinician
        log_access(share, Access.SHARE_STARTED, now)
        move_version_on(profile.pk)  # the person's kept pages show the new share
    return share


def stop_share(share: Share, by: str, now: datetime | None = None) -> bool:
    """Withdraw the share at once (`by`: "person" or "clinician"); False when it had already ended.

    One UPDATE: from its commit on, `active_share` finds nothing, so the clinician's next request
    gets nothing. Codes the person made for this clinician are not involved (they are single-use).
    """
    now = now or timezone.now()
    by = Withdrawer(by)
    with transaction.atomic():
        stopped = Share.objects.filter(pk=share.pk, withdrawn_at__isnull=True).update(withdrawn_at=now,
                                                                                     withdrawn_by=by)
        if stopped:
            share.withdrawn_at, share.withdrawn_by = now, by
            log_access(share, Access.SHARE_STOPPED, now)
            move_version_on(share.profile_id)
    return bool(stopped)


def active_share(clinician: Clinician | None, share_id) -> Share | None:
    """The share with this id, if it is active, the clinician's own, and the clinician active."""
    if clinician is None or not clinician.active:
        return None
    try:
        share_id = int(share_id)
    except (TypeError, ValueError):
        return None
    return Share.objects.active().filter(pk=share_id, clinician=clinician, clinician__active=True).select_related(
        "profile", "clinician__clinic").first()


def active_shares(clinician: Clinician | None):
    """The clinician's active shares (their follow-up list), people and all."""
    if clinician is None or not clinician.active:
        return Share.objects.none()
    return Share.objects.active().filter(clinician=clinician, clinician__active=True).select_related(
        "profile", "clinician__clinic")


def covers(share: Share | None, scope: Scope | str) -> bool:
    return share is not None and share.active and Scope(scope).value in share.scopes


def log_access(share: Share, what: Access | str, now: datetime | None = None) -> AccessLog:
    """One row of the person's access log. Call it inside the reader's transaction.atomic(), so the
    read and its record stand or fall together; the names are copied as they are now."""
    clinician = share.clinician
    return AccessLog.objects.create(
        profile_id=share.profile_id, share=share, clinician=clinician,
        clinician_name=clinician.display_name, clinic_name=clinician.clinic.name,
        what=Access(what), at=now or timezone.now())


# --- Prescriptions ----------------------------------------------------------------------------------

def make_prescription(share: Share, parameters: dict, note: str, mode: str,
                      now: datetime | None = None) -> Prescription:
    """A clinician's suggested numbers for the person to accept or decline. Raises ValueError with
    the problems when they are outside the program's safe bounds (check_prescription). An earlier
    suggestion of the same share that is still waiting is taken back: one waits at a time."""
    problems = check_prescription(parameters)
    if problems:
        raise ValueError(problems)
    mode = PrescriptionMode(mode)
    now = now or timezone.now()
    with transaction.atomic():
        Prescription.objects.filter(share=share, status=PrescriptionStatus.PENDING).update(
            status=PrescriptionStatus.WITHDRAWN, decided_at=now)
        clinician = share.clinician
        prescription = Prescription.objects.create(
            profile_id=share.profile_id, share=share, clinician=clinician, clinician_name=clinician.display_name,
            clinic_name=clinician.clinic.name, created_at=now, parameters=dict(parameters), note=note, mode=mode)
        log_access(share, Access.PRESCRIPTION_MADE, now)
        move_version_on(share.profile_id)
    return prescription


def withdraw_prescription(share: Share, prescription_id, now: datetime | None = None) -> bool:
    """The clinician takes back a suggestion still waiting; False when there is none."""
    now = now or timezone.now()
    with transaction.atomic():
        withdrawn = Prescription.objects.filter(pk=prescription_id, share=share,
                                                status=PrescriptionStatus.PENDING).update(
            status=PrescriptionStatus.WITHDRAWN, decided_at=now)
        if withdrawn:
            log_access(share, Access.PRESCRIPTION_WITHDRAWN, now)
            move_version_on(share.profile_id)
    return bool(withdrawn)


def pending_prescriptions(profile: Profile):
    return Prescription.objects.filter(profile=profile, status=PrescriptionStatus.PENDING)
