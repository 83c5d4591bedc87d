"""The one-page summary a person can print, or save as PDF, for a physiotherapist or doctor: why they
train, where the plan stands, how regularly they have trained, their check-ins, leaks and bladder
diary, and any seek-care advice. Only the outcomes and training rooms' own numbers, gathered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

from knipa.accounts.models import Profile
from knipa.outcomes import progress
from knipa.outcomes.models import CheckIn
from knipa.program.moments import wall_clock
from knipa.program.outcomes import SeverityBand
from knipa.training.plan_texts import PARAMETER_LABELS, stage_name
from knipa.training.plans import current_plan

WEEKS_SHOWN = 8

BAND_NAMES = {
    SeverityBand.NONE: gettext_lazy("no leakage"),
    SeverityBand.SLIGHT: gettext_lazy("slight"),
    SeverityBand.MODERATE: gettext_lazy("moderate"),
    SeverityBand.SEVERE: gettext_lazy("severe"),
    SeverityBand.VERY_SEVERE: gettext_lazy("very severe"),
}


@dataclass(frozen=True)
class CheckInLine:
    at: datetime
    index: int
    band: str
    bother: int
    confidence: int
    improvement: str
    bowel_leaks: str  # "" when not asked (only of those who train for it)
    heaviness: str


def _line(check_in: CheckIn, zone) -> CheckInLine:
    scores = check_in.scores()
    return CheckInLine(at=wall_clock(check_in.at, zone), index=scores.index, band=str(BAND_NAMES[scores.band]), bother=check_in.bother,
                       confidence=check_in.confidence,
                       improvement=check_in.get_improvement_display() if check_in.improvement else "",
                       bowel_leaks=check_in.get_bowel_leaks_display() if check_in.bowel_leaks is not None else "",
                       heaviness=check_in.get_heaviness_display() if check_in.heaviness is not None else "")


def visit_summary(profile: Profile, now: datetime | None = None) -> dict:
    """What the printable summary shows, for its template.

    Moments are given as the person's wall-clock time (naive), converted here by a conversion that
    never fails (knipa.program.moments), so the page renders whatever is stored."""
    now = now or timezone.now()
    zone = profile.zone
    state = current_plan(profile)
    check_ins = list(CheckIn.objects.filter(profile=profile).order_by("at", "id"))
    return {
        "profile": profile,
        "zone": zone,
        "now": wall_clock(now, zone),
        "goals": profile.goal_labels(),
        "stage_name": stage_name(state.current_stage),
        "stage_since": wall_clock(state.stage_since, zone) if state.stage_since else None,
        "training_started_on": state.training_started_on,
        "weeks_of_training": progress.training_weeks(profile, now),
        "numbers": [(PARAMETER_LABELS[name], value) for name, value in state.parameters.as_dict().items()],
        "weeks": progress.weeks(profile, now)[-WEEKS_SHOWN:],
        "first_check_in": _line(check_ins[0], zone) if len(check_ins) > 1 else None,
        "latest_check_in": _line(check_ins[-1], zone) if check_ins else None,
        "diary_summary": progress.diary_summary(profile),
        "care_advice": [item.value for item in progress.advice_for(profile, now)],
    }
