"""Every exercise of the programme as data: what is done, how long, how hard, and where.

Numbers come from the spec where it gives them (E0: 10 reps, 3 rounds a day; E1: hold 5-6 s, aim
for 10; E2: 2 s on, 2 s off, 10 times; E3: aim for one minute). Where the spec is silent we follow
mainstream physiotherapy practice and say so beside the number.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum


class Intensity(StrEnum):
    MAXIMAL = "maximal"  # E1: as hard as possible
    FAST = "fast"  # E2: as fast and hard as possible
    MODERATE = "moderate"  # E3: moderate force, held long
    SOFT = "soft"  # E7: soft, short squeezes
    RELAX = "relax"  # E8: letting go, no squeeze
    CALM = "calm"  # E0: a calm, controlled squeeze to feel the difference


class Position(StrEnum):
    LYING = "lying"  # P1
    SITTING = "sitting"  # P2
    ALL_FOURS = "all_fours"  # P3
    STANDING = "standing"  # P4


BASIC_POSITIONS = (Position.LYING, Position.SITTING, Position.ALL_FOURS)  # P1-P3


class ExerciseKind(StrEnum):
    FIND = "find"  # E0
    STRENGTH = "strength"  # E1
    SPEED = "speed"  # E2
    ENDURANCE = "endurance"  # E3
    STANDING = "standing"  # E4 (E1-E3 in P4; composed from those, see rounds.py)
    FUNCTIONAL = "functional"  # E5
    DAILY_LIFE = "daily_life"  # E6
    CIRCULATION = "circulation"  # E7
    RELAXATION = "relaxation"  # E8


class ExerciseError(ValueError):
    """An exercise's parameters break a rule of the programme."""


@dataclass(frozen=True)
class Exercise:
    kind: ExerciseKind
    spec_id: str
    intensity: Intensity
    squeeze_seconds: float
    rest_seconds: float
    reps: int
    positions: tuple[Position, ...]
    # Endurance (E3): the hold lasts until the person says it is done, aiming for the target.
    open_ended: bool = False
    target_seconds: float | None = None
    # Functional training (E5): the movements done during the squeeze, one per repetition in turn.
    movements: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.reps < 1:
            raise ExerciseError(f"{self.spec_id}: at least one repetition")
        if self.squeeze_seconds <= 0:
            raise ExerciseError(f"{self.spec_id}: the squeeze must last some time")
        # T4: relax completely and rest at least as long as the squeeze lasted.
        if self.rest_seconds < self.squeeze_seconds:
            raise ExerciseError(f"{self.spec_id}: rest ({self.rest_seconds} s) is shorter than the squeeze (T4)")
        if not self.positions:
            raise ExerciseError(f"{self.spec_id}: no position allows it")

    def with_changes(self, **changes) -> Exercise:
        """A copy with other parameters, checked against the same rules."""
        return replace(self, **changes)


# E0: "hold a few seconds" - we use 3 s, the common teaching value; rest as long (T4).
FIND_THE_MUSCLES = Exercise(
    ExerciseKind.FIND, "E0", Intensity.CALM, squeeze_seconds=3, rest_seconds=3, reps=10,
    positions=BASIC_POSITIONS,
)
# E1: hold 5-6 s with the same force; start shorter if needed; aim for 10.
STRENGTH = Exercise(
    ExerciseKind.STRENGTH, "E1", Intensity.MAXIMAL, squeeze_seconds=6, rest_seconds=6, reps=10,
    positions=BASIC_POSITIONS,
)
# E2: as fast and hard as possible, 2 s on, 2 s off, 10 times.
SPEED = Exercise(
    ExerciseKind.SPEED, "E2", Intensity.FAST, squeeze_seconds=2, rest_seconds=2, reps=10,
    positions=BASIC_POSITIONS,
)
# E3: moderate force, as long as possible, aiming for one minute; one hold per round.
# squeeze_seconds and target_seconds are the goal (the plan's endurance_target_seconds); the hold
# itself is open-ended and goes on past the goal until the person presses Done, up to the limit.
ENDURANCE = Exercise(
    ExerciseKind.ENDURANCE, "E3", Intensity.MODERATE, squeeze_seconds=60, rest_seconds=60, reps=1,
    positions=BASIC_POSITIONS, open_ended=True, target_seconds=60,
)
# E5: tighten before the movement, hold through it, relax after; "a few times". The 8 s hold
# covers standing up or lifting something; 5 times is mainstream practice (the spec says a few).
FUNCTIONAL = Exercise(
    ExerciseKind.FUNCTIONAL, "E5", Intensity.MODERATE, squeeze_seconds=8, rest_seconds=8, reps=5,
    positions=(Position.STANDING,),
)
# E6: the squeeze in daily life, practised: squeeze, and while holding it, cough (or sneeze, or
# lift); relax after. Known in physiotherapy as "the knack". 3 s covers one cough; 5 practice
# coughs, sitting or standing (mainstream practice; the spec gives no numbers).
DAILY_LIFE = Exercise(
    ExerciseKind.DAILY_LIFE, "E6", Intensity.MODERATE, squeeze_seconds=3, rest_seconds=5, reps=5,
    positions=(Position.SITTING, Position.STANDING),
)
# E7: soft, short squeezes for circulation after birth or surgery. 2 s and 8 times are
# mainstream post-natal practice; the spec gives no numbers. Lying (P1) while healing.
CIRCULATION = Exercise(
    ExerciseKind.CIRCULATION, "E7", Intensity.SOFT, squeeze_seconds=2, rest_seconds=4, reps=8,
    positions=(Position.LYING,),
)
# E8: relaxation, built from mainstream down-training (the spec gives no detail): a slow breath
# in (5 s), then a long breath out while letting the pelvic floor drop (7 s). "squeeze" here is
# the breath in; the rest is the release. 8 breaths, lying or sitting.
RELAXATION = Exercise(
    ExerciseKind.RELAXATION, "E8", Intensity.RELAX, squeeze_seconds=5, rest_seconds=7, reps=8,
    positions=(Position.LYING, Position.SITTING),
)

# E3: the safe upper limit of one open-ended endurance hold. The spec gives no upper limit; this is
# mainstream practice: three minutes is far beyond the one-minute aim, and a hold that long is
# better ended and rested (T4) than held on while the technique slips (T6).
ENDURANCE_SAFE_LIMIT_SECONDS = 180

ALL_EXERCISES = {
    exercise.spec_id: exercise
    for exercise in (FIND_THE_MUSCLES, STRENGTH, SPEED, ENDURANCE, FUNCTIONAL, DAILY_LIFE, CIRCULATION, RELAXATION)
}


def standing(exercise: Exercise) -> Exercise:
    """E4: the same exercise in the standing position (P4)."""
    if exercise.kind not in (ExerciseKind.STRENGTH, ExerciseKind.SPEED, ExerciseKind.ENDURANCE):
        raise ExerciseError("E4: only strength, speed and endurance are trained standing")
    return exercise.with_changes(positions=(Position.STANDING,))
