"""The safety screen: which training path a person's answers lead to, and which advice they need.

Pain comes first (S1, W5): nobody with pain in the genital area or pain when squeezing is offered
squeezing exercises; they practise relaxing instead (E8). After childbirth or pelvic/genital
surgery (S2), only soft circulation squeezes (E7) until the midwife or doctor has given the
go-ahead; then a careful start. Everyone else begins by finding the muscles (E0).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Body(StrEnum):
    """How instructions describe the body (T3, C2, C3)."""

    VAGINA = "vagina"
    PENIS = "penis"
    NEUTRAL = "neutral"


class RecentEvent(StrEnum):
    """Childbirth or surgery in recent weeks (S2, W3)."""

    NONE = "none"
    CHILDBIRTH = "childbirth"
    SURGERY = "surgery"


class Goal(StrEnum):
    """Why a person trains (W1-W4)."""

    PREVENT = "prevent"  # W1
    PREGNANCY_OR_BIRTH = "pregnancy_or_birth"  # W2
    URINARY_LEAKAGE = "urinary_leakage"  # W2
    FAECAL_LEAKAGE = "faecal_leakage"  # W2
    PROLAPSE = "prolapse"  # W2
    SURGERY = "surgery"  # W3
    COUGH = "cough"  # W4
    SEXUAL_FUNCTION = "sexual_function"  # W6


class TrainingPath(StrEnum):
    LEARNING = "learning"  # E0: finding the muscles
    CIRCULATION = "circulation"  # E7 (S2)
    RELAXATION = "relaxation"  # E8 (S1, W5)


class Advice(StrEnum):
    """Extra guidance the answers call for, shown beside the training."""

    CONTACT_CARE_ABOUT_PAIN = "contact_care_about_pain"  # S1, V1
    WAIT_FOR_GO_AHEAD = "wait_for_go_ahead"  # S2
    START_CAREFULLY = "start_carefully"  # S2
    NO_STIMULATOR_WHILE_PREGNANT = "no_stimulator_while_pregnant"  # S4
    TREAT_COUGH = "treat_cough"  # W4, L2


@dataclass(frozen=True)
class SafetyAnswers:
    pain: bool
    recent_event: RecentEvent = RecentEvent.NONE
    go_ahead: bool = False
    pregnant: bool = False


def training_path(answers: SafetyAnswers) -> TrainingPath:
    """The kind of training the safety answers allow right now."""
    # S1/W5 before S2: circulation squeezes are only for those they do not hurt (E7).
    if answers.pain:
        return TrainingPath.RELAXATION
    if answers.recent_event != RecentEvent.NONE and not answers.go_ahead:
        return TrainingPath.CIRCULATION
    return TrainingPath.LEARNING


def advice_for(answers: SafetyAnswers, goals: frozenset[Goal] = frozenset()) -> list[Advice]:
    """Advice to show with the plan, most important first."""
    advice: list[Advice] = []
    path = training_path(answers)
    if path is TrainingPath.RELAXATION:
        advice.append(Advice.CONTACT_CARE_ABOUT_PAIN)  # S1, V1
    if answers.recent_event != RecentEvent.NONE:
        if answers.go_ahead:
            if path is TrainingPath.LEARNING:
                advice.append(Advice.START_CAREFULLY)  # S2
        else:
            advice.append(Advice.WAIT_FOR_GO_AHEAD)  # S2
    if answers.pregnant:
        advice.append(Advice.NO_STIMULATOR_WHILE_PREGNANT)  # S4
    if Goal.COUGH in goals:
        advice.append(Advice.TREAT_COUGH)  # W4, L2
    return advice
