"""The safety screen: which training path a person's answers lead to, and which advice they need.

Pain comes first (S1, W5): nobody with pain in the genital area or pain when squeezing is offered
squeezing exercises; they practise relaxing instead (E8). Soon after childbirth or pelvic/genital
surgery (S2, E7), only soft circulation squeezes, and only if they do not hurt, until the midwife
(after a birth) or doctor has given the go-ahead; then a careful start. Everyone else begins by
finding the muscles (E0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
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


# E7 says "soon after" the birth or operation. The spec gives no number; mainstream practice puts
# the check-up that gives the go-ahead at six to eight weeks after a birth and most pelvic
# operations, so twelve weeks leaves a margin. Past it, circulation squeezes are no longer what the
# person needs: they start carefully (S2) and are told to ask whoever treated them.
SOON_AFTER = timedelta(weeks=12)
# V3 covers major symptoms in the whole first year after a birth (A3: heaviness and tiredness in
# the first year are common, and what is major then needs care).
FIRST_YEAR_AFTER_BIRTH = timedelta(days=365)


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
    WAIT_FOR_GO_AHEAD = "wait_for_go_ahead"  # S2, E7
    START_CAREFULLY = "start_carefully"  # S2
    ASK_ABOUT_GO_AHEAD = "ask_about_go_ahead"  # S2: past the weeks soon after, without a go-ahead
    TREAT_COUGH = "treat_cough"  # W4, L2


class Carer(StrEnum):
    """Whose advice to follow after the event (S2): the words must fit what happened."""

    MIDWIFE_OR_DOCTOR = "midwife_or_doctor"  # after a birth
    DOCTOR = "doctor"  # after an operation


class StimulatorContraindication(StrEnum):
    """S4: when an electrical stimulator must not be used. All three are always named together."""

    PACEMAKER = "pacemaker"
    PREGNANCY = "pregnancy"
    INFECTION = "infection"  # a urinary tract or vaginal infection


STIMULATOR_CONTRAINDICATIONS = tuple(StimulatorContraindication)


@dataclass(frozen=True)
class SafetyAnswers:
    pain: bool
    recent_event: RecentEvent = RecentEvent.NONE
    go_ahead: bool = False
    pregnant: bool = False
    # The day of the birth or operation; None when not given (older answers): then the event
    # counts as recent, the cautious reading.
    event_on: date | None = None

    def event_is_soon_after(self, today: date | None) -> bool:
        """E7: the birth or operation was recent enough for circulation squeezes."""
        if self.recent_event == RecentEvent.NONE:
            return False
        if self.event_on is None or today is None:
            return True
        return today - self.event_on <= SOON_AFTER

    def within_first_year_after_birth(self, today: date | None) -> bool:
        """V3: the whole first year after a birth."""
        if self.recent_event != RecentEvent.CHILDBIRTH:
            return False
        if self.event_on is None or today is None:
            return True
        return today - self.event_on <= FIRST_YEAR_AFTER_BIRTH

    @property
    def carer(self) -> Carer | None:
        return {RecentEvent.CHILDBIRTH: Carer.MIDWIFE_OR_DOCTOR, RecentEvent.SURGERY: Carer.DOCTOR}.get(
            self.recent_event)


def asks_about_pregnancy(body: Body | str | None) -> bool:
    """'Are you pregnant?' only where it can apply: not to a person whose body has a penis."""
    return body != Body.PENIS


def may_have_given_birth(body: Body | str | None) -> bool:
    return body != Body.PENIS


def training_path(answers: SafetyAnswers, today: date | None = None) -> TrainingPath:
    """The kind of training the safety answers allow right now (`today`: the person's own date)."""
    # S1/W5 before S2: circulation squeezes are only for those they do not hurt (E7).
    if answers.pain:
        return TrainingPath.RELAXATION
    if not answers.go_ahead and answers.event_is_soon_after(today):
        return TrainingPath.CIRCULATION  # S2, E7: soon after, until the go-ahead
    return TrainingPath.LEARNING


def advice_for(answers: SafetyAnswers, goals: frozenset[Goal] = frozenset(), today: date | None = None) -> list[Advice]:
    """Advice to show with the plan, most important first."""
    advice: list[Advice] = []
    path = training_path(answers, today)
    if path is TrainingPath.RELAXATION:
        advice.append(Advice.CONTACT_CARE_ABOUT_PAIN)  # S1, V1
    if answers.recent_event != RecentEvent.NONE:
        if not answers.go_ahead and answers.event_is_soon_after(today):
            # S2: whoever treated them says when training may begin (on the pain path its text
            # adds that squeezing waits until the pain has gone, S1).
            advice.append(Advice.WAIT_FOR_GO_AHEAD)
        elif path is TrainingPath.LEARNING:
            # S2: a careful start, after the go-ahead or, long after, while asking for it.
            advice.append(Advice.START_CAREFULLY if answers.go_ahead else Advice.ASK_ABOUT_GO_AHEAD)
    if Goal.COUGH in goals:
        # W4, L2: worth treating on every path; its text asks for the squeeze before a cough
        # only where squeezing is allowed (S1).
        advice.append(Advice.TREAT_COUGH)
    return advice
