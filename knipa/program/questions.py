"""The short self-report after each exercise: which questions each exercise asks, and why.

The player asks what the timeline lists (`SessionTimeline.as_dict`: each exercise's `questions`,
and the round's `asks_effort`), so these rules live here and nowhere else. The answers feed the
plan (knipa.program.plan: `RoundReport`, `Felt`, `Effort`).

- Pain (S1) is asked after every exercise: pain stops the round and pelvic floor training at once.
- Finding the muscles (E0) asks whether the squeeze and the release were felt clearly (E0: notice
  the difference between tense and relaxed). The lift (T3) comes with strength, later.
- The strength, speed and functional squeezes (E1, E2, E4, E5) ask how many squeezes were at full
  strength, and whether the lift upward and inward was felt (T3). So does E0 ask full strength.
- Endurance (E3) is one long hold at moderate force, so "full strength" does not apply; E6 is a
  moderate squeeze timed with a cough, and E7 is soft on purpose: they ask only about the lift (T3).
- Relaxation (E8) has no squeeze at all: neither full strength nor a lift to feel; pain only.
- How the round felt (T6: other muscles taking over when tired) is asked once, after the round's
  last exercise, unless the round is relaxation practice (E8), which has no squeezing to tire.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from knipa.program.exercises import Exercise, ExerciseKind


class Question(StrEnum):
    """A question of the self-report; the value is the field's name in the player's form."""

    FULL_STRENGTH = "full_strength"  # E1: how many squeezes were at full strength
    FELT_CLEARLY = "felt_clearly"  # E0: squeeze and release felt clearly
    FELT_LIFT = "felt_lift"  # T3: the lift upward and inward
    PAIN = "pain"  # S1
    EFFORT = "effort"  # T6: asked about the whole round, once (see asks_effort)


# E3, E6, E7, E8: no maximal squeeze, so no "full strength" (see the module's docstring).
_NO_FULL_STRENGTH = {ExerciseKind.ENDURANCE, ExerciseKind.DAILY_LIFE, ExerciseKind.CIRCULATION,
                     ExerciseKind.RELAXATION}
# E0 asks about clarity instead of the lift (T3 comes later); E8 has no lift to feel.
_NO_LIFT = {ExerciseKind.FIND, ExerciseKind.RELAXATION}


def questions_for(exercise: Exercise) -> tuple[Question, ...]:
    """The questions asked after this exercise, in the order the form shows them (never effort)."""
    asked = []
    if exercise.kind not in _NO_FULL_STRENGTH:
        asked.append(Question.FULL_STRENGTH)
    if exercise.kind is ExerciseKind.FIND:
        asked.append(Question.FELT_CLEARLY)  # E0
    if exercise.kind not in _NO_LIFT:
        asked.append(Question.FELT_LIFT)  # T3
    asked.append(Question.PAIN)  # S1: always
    return tuple(asked)


def asks_effort(exercises: Iterable[Exercise]) -> bool:
    """T6: whether the report after the round's last exercise asks how the round felt.

    Not in a round with relaxation (E8): it has no squeezing that could tire the person.
    """
    return all(exercise.kind is not ExerciseKind.RELAXATION for exercise in exercises)
