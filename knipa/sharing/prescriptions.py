"""The person's side of a prescription: what it would change, and their answer.

A clinician's suggestion (knipa.sharing.access.make_prescription) waits until the person accepts
it, which applies it to the plan under the plan's own lock (knipa.training.plans), or declines it,
which changes nothing. The rules for the numbers are the program's (knipa.program.plan).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from knipa.accounts.models import Profile
from knipa.program.exercises import Position
from knipa.program.plan import PRESCRIBED_NUMBERS, PlanState
from knipa.sharing.models import Access, AccessLog, Prescription, PrescriptionStatus
from knipa.training import plans
from knipa.training.models import POSITION_CHOICES
from knipa.training.plan_texts import PARAMETER_LABELS, stage_name


class AlreadyAnswered(Exception):
    """The prescription is no longer waiting (answered, or taken back by the clinician)."""


@dataclass(frozen=True)
class Difference:
    label: str
    before: str
    after: str

    @property
    def changes(self) -> bool:
        return self.before != self.after


def _positions(values) -> str:
    labels = dict(POSITION_CHOICES)
    chosen = [str(labels[position.value]) for position in Position if position.value in values]
    return ", ".join(chosen) if chosen else _("Any position the round allows")


def differences(state: PlanState, prescription: Prescription) -> list[Difference]:
    """Each thing the prescription sets, as the plan has it now and as it would be."""
    values = prescription.parameters
    rows = [Difference(_("Stage"), stage_name(state.stage), stage_name(values.get("stage", "")))]
    for name in PRESCRIBED_NUMBERS:
        rows.append(Difference(str(PARAMETER_LABELS[name]), str(getattr(state.parameters, name)),
                               str(values.get(name, ""))))
    rows.append(Difference(_("Positions"), _positions([p.value for p in state.positions]),
                           _positions(values.get("positions") or [])))
    return rows


def _note(prescription: Prescription, what: Access, now: datetime) -> None:
    # The person's answer in their log, beside the clinician's suggestion, with the same names.
    AccessLog.objects.create(profile_id=prescription.profile_id, share=prescription.share,
                             clinician=prescription.clinician, clinician_name=prescription.clinician_name,
                             clinic_name=prescription.clinic_name, what=what, at=now)


def decide(profile: Profile, prescription_id, accept: bool, now: datetime | None = None) -> Prescription:
    """Accept (the plan takes the numbers) or decline (nothing changes) the person's own waiting
    prescription. Raises Prescription.DoesNotExist for anyone else's, AlreadyAnswered when it no
    longer waits, ValueError when its numbers are not safe (then nothing is written)."""
    now = now or timezone.now()
    with transaction.atomic():
        prescription = Prescription.objects.select_for_update().get(pk=prescription_id, profile=profile)
        if prescription.status != PrescriptionStatus.PENDING:
            raise AlreadyAnswered
        if accept:
            plans.accept_prescription(profile, prescription.parameters, prescription.mode, now)
        prescription.status = PrescriptionStatus.ACCEPTED if accept else PrescriptionStatus.DECLINED
        prescription.decided_at = now
        prescription.save(update_fields=["status", "decided_at"])
        _note(prescription, Access.PRESCRIPTION_ACCEPTED if accept else Access.PRESCRIPTION_DECLINED, now)
    return prescription
