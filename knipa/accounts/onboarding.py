"""The onboarding sequence: four short steps, each also reachable later from the profile page."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from knipa.accounts.forms import BodyForm, GoalsForm, SafetyForm, TimeZoneForm
from knipa.accounts.models import Profile


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    intro: str
    form_class: type

    def is_answered(self, profile: Profile) -> bool:
        if self.slug == "body":
            return bool(profile.body)
        if self.slug == "goals":
            return bool(profile.goals)
        if self.slug == "safety":
            return profile.safety_answered
        return profile.onboarded_at is not None  # the time zone step finishes onboarding


STEPS = [
    Step(
        "body",
        _("Your body"),
        _("Pelvic floor training is for everyone. We describe the squeeze in words that fit your body."),
        BodyForm,
    ),
    Step(
        "goals",
        _("Your reasons"),
        _("Knowing why you train helps us explain what to expect."),
        GoalsForm,
    ),
    Step(
        "safety",
        _("Safety first"),
        _(
            "A few questions decide how you should start. Pain, a recent birth or an operation mean "
            "starting in a different, gentler way."
        ),
        SafetyForm,
    ),
    Step(
        "time-zone",
        _("Your time zone"),
        _("We have suggested the time zone your device uses. Change it if it is wrong."),
        TimeZoneForm,
    ),
]
STEPS_BY_SLUG = {step.slug: step for step in STEPS}


def first_unanswered(profile: Profile) -> Step | None:
    for step in STEPS:
        if not step.is_answered(profile):
            return step
    return None


def step_after(step: Step) -> Step | None:
    index = STEPS.index(step)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None
