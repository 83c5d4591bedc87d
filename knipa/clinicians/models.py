"""Clinicians and their clinics: accounts the host makes, never by signing up.

A clinician is a Django user with a `Clinician` row (reached as `user.clinician`) and never a
`Profile`: the person's pages and the clinician's pages are kept apart by that alone
(knipa.accounts.access sends a clinician to /clinic/, knipa.clinicians.access keeps people out).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Clinic(models.Model):
    """A practice or a ward; every clinician belongs to one, and the host names it."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Profession(models.TextChoices):
    PHYSIOTHERAPIST = "physiotherapist", _("Physiotherapist")
    UROTHERAPIST = "urotherapist", _("Urotherapist")
    MIDWIFE = "midwife", _("Midwife")
    DOCTOR = "doctor", _("Doctor")
    NURSE = "nurse", _("Nurse")
    OTHER = "other", _("Other profession")


class Clinician(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinician")
    # PROTECT: a clinic with clinicians cannot be deleted by mistake, taking their accounts along.
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="clinicians")
    display_name = models.CharField(_("name shown to people"), max_length=200)
    profession = models.CharField(_("profession"), max_length=32, choices=Profession.choices)
    # False: the account can no longer sign in or see anything; kept so that the people's access
    # logs and prescriptions still point at who it was.
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.clinic.name})"
