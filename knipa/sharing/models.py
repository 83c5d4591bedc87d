"""Sharing with a clinician: the person's consent (Share), the codes that start it, the log of
every look at the person's data, and the numbers a clinician prescribes.

Everything here belongs to the person: each row hangs on their profile with CASCADE, so deleting
the account deletes the shares, the codes, the log and the prescriptions with it. A clinician
leaving (their row deleted) keeps the person's log and prescriptions, with the names as they were
(snapshots), because the log is the person's record of who looked.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from knipa.accounts.models import Profile


class Scope(models.TextChoices):
    """What a share covers; the person ticks each one on the consent screen."""

    ROUNDS = "rounds", _("Training rounds")
    PLAN = "plan", _("The plan and its history")
    CHECK_INS = "check_ins", _("Check-ins and leak log")
    DIARY = "diary", _("Bladder diary")


class Direction(models.TextChoices):
    # The person made the code (with the scopes chosen) for a clinician to enter.
    FROM_PERSON = "from_person", _("From the person")
    # A clinician made the code for a person to enter; the person chooses the scopes on consent.
    FROM_CLINICIAN = "from_clinician", _("From the clinician")


class ShareCode(models.Model):
    """A short code that starts a share when the other side enters it: used once, expires.

    Only the code's sha256 is stored: the plain code is shown once, to whoever made it, so a copy
    of the database cannot be used to connect (knipa.sharing.access.make_code, redeem_code).
    """

    code_hash = models.CharField(max_length=64, unique=True)
    direction = models.CharField(max_length=16, choices=Direction.choices)
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, null=True, blank=True,
                                related_name="share_codes")
    clinician = models.ForeignKey("clinicians.Clinician", on_delete=models.CASCADE, null=True, blank=True,
                                  related_name="share_codes")
    scopes = models.JSONField(default=list, blank=True)
    label = models.CharField(max_length=80, blank=True, default="")  # copied onto the share
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Share code {self.pk} ({self.direction})"


class Withdrawer(models.TextChoices):
    NOBODY = "", _("Nobody")
    PERSON = "person", _("You")
    CLINICIAN = "clinician", _("The clinician")


class ShareQuerySet(models.QuerySet):
    def active(self) -> ShareQuerySet:
        """Shares in force: not withdrawn (the clinician's own active flag is checked by access.py)."""
        return self.filter(withdrawn_at__isnull=True)


class Share(models.Model):
    """The person's consent that one clinician may see what the scopes cover, until withdrawn."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="shares")
    clinician = models.ForeignKey("clinicians.Clinician", on_delete=models.CASCADE, related_name="shares")
    scopes = models.JSONField(default=list)
    # The name the person chose to be known by to this clinician ("Anna L."), or none: their
    # username is never shown (it is half of their login).
    label = models.CharField(max_length=80, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.CharField(max_length=16, choices=Withdrawer.choices, blank=True, default="")

    objects = ShareQuerySet.as_manager()

    class Meta:
        constraints = [
            # One consent at a time between a person and a clinician: sharing again while a share
            # is active changes nothing (access.start_share reuses it).
            models.UniqueConstraint(fields=["profile", "clinician"], condition=Q(withdrawn_at__isnull=True),
                                    name="sharing_one_active_share_per_pair"),
        ]

    def __str__(self) -> str:
        return f"Share {self.pk}"

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None

    def scope_labels(self) -> list[str]:
        """The scopes' names, in the consent screen's order."""
        return [label for value, label in Scope.choices if value in self.scopes]


class Access(models.TextChoices):
    """What a log row says happened: a clinician's read of the person's data, or a share event."""

    SHARE_STARTED = "share_started", _("Sharing started")
    SHARE_STOPPED = "share_stopped", _("Sharing stopped")
    FOLLOW_UP_LIST = "follow_up_list", _("Saw you on their follow-up list")
    PERSON_PAGE = "person_page", _("Looked at your page")
    ROUNDS = "rounds", _("Looked at your training rounds")
    PLAN = "plan", _("Looked at your plan and its history")
    CHECK_INS = "check_ins", _("Looked at your check-ins and leak log")
    DIARY = "diary", _("Looked at your bladder diary")
    SUMMARY = "summary", _("Opened the printable summary")
    PRESCRIPTION_MADE = "prescription_made", _("Suggested new numbers for your plan")
    PRESCRIPTION_WITHDRAWN = "prescription_withdrawn", _("Took back suggested numbers")
    PRESCRIPTION_ACCEPTED = "prescription_accepted", _("You accepted suggested numbers")
    PRESCRIPTION_DECLINED = "prescription_declined", _("You declined suggested numbers")


class AccessLog(models.Model):
    """One look at the person's data, or one step of a share, with who and when.

    The names are copied at the time, so the log still says who it was after a clinician or a clinic
    is renamed or removed. Written in the same transaction as the read it records.
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="access_log")
    share = models.ForeignKey(Share, on_delete=models.SET_NULL, null=True, blank=True, related_name="access_log")
    clinician = models.ForeignKey("clinicians.Clinician", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="access_log")
    clinician_name = models.CharField(max_length=200)
    clinic_name = models.CharField(max_length=200)
    what = models.CharField(max_length=32, choices=Access.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["profile", "-at"], name="sharing_log_profile_at")]

    def __str__(self) -> str:
        return f"Access {self.pk}: {self.what}"


class PrescriptionMode(models.TextChoices):
    # The plan keeps these numbers: automatic progression stops (easing for safety still happens).
    FIXED = "fixed", _("Kept fixed")
    # The plan starts from these numbers and goes on growing from the person's reports.
    STARTING_POINT = "starting_point", _("A new starting point")


class PrescriptionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for your answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Taken back")


class Prescription(models.Model):
    """Numbers a clinician suggests for the plan; the plan uses them once the person accepts.

    `parameters` holds the plan's names (knipa.program.plan: stage, strength_hold_seconds,
    strength_rest_seconds, strength_reps, rounds_per_day, days_per_week, positions); the numbers
    are checked by the program's own bounds when made and again when accepted.
    """

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="prescriptions")
    share = models.ForeignKey(Share, on_delete=models.SET_NULL, null=True, blank=True, related_name="prescriptions")
    clinician = models.ForeignKey("clinicians.Clinician", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="prescriptions")
    clinician_name = models.CharField(max_length=200)
    clinic_name = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    parameters = models.JSONField(default=dict)
    note = models.TextField(blank=True, default="")
    mode = models.CharField(max_length=16, choices=PrescriptionMode.choices)
    status = models.CharField(max_length=16, choices=PrescriptionStatus.choices, default=PrescriptionStatus.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Prescription {self.pk} ({self.status})"
