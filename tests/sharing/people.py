"""Clinicians for the sharing tests: made directly (the host's command and the second factor are
knipa/clinicians' own tests), and the owner's share with one of them."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from knipa.clinicians.models import Clinic, Clinician
from knipa.sharing import access
from knipa.sharing.models import Access, Scope

OWNER_PRESCRIPTION = {"stage": "training", "strength_hold_seconds": 5, "strength_rest_seconds": 10,
                      "strength_reps": 9, "rounds_per_day": 3, "days_per_week": 5, "positions": ["sitting"]}


def make_clinician(username: str = "physio", name: str = "Sara Fysio", clinic: str = "Bäckenkliniken",
                   active: bool = True) -> Clinician:
    user = get_user_model().objects.create_user(username=username, password="a long enough Passw0rd for tests")
    place, _created = Clinic.objects.get_or_create(name=clinic)
    return Clinician.objects.create(user=user, clinic=place, display_name=name, profession="physiotherapist",
                                    active=active)


def give_a_share(owner, clinician: Clinician | None = None, scopes=(Scope.ROUNDS, Scope.PLAN)):
    """The owner shares with a clinician, who has looked once and suggested new numbers; a code of
    the owner's own waits to be used."""
    clinician = clinician or make_clinician()
    share = access.start_share(owner, clinician, [scope.value for scope in scopes])
    access.log_access(share, Access.PERSON_PAGE)
    access.make_prescription(share, OWNER_PRESCRIPTION, "Try sitting, five days a week.", "fixed")
    access.make_code(profile=owner, scopes=[Scope.ROUNDS.value])
    return share
