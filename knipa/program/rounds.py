"""Which exercises make up a round, in which order (spec E0-E8, S1, S2).

- Learning: finding the muscles alone (E0).
- Training: strength, then speed, then endurance last (E1, E2, E3: "done at the end of every
  training round, after E1 and E2").
- Standing: the same three, standing (E4, P4).
- Functional: strength and speed standing, then a squeeze before the movement that causes symptoms
  (E5), and the long endurance hold last of all (E3 ends every training round).
- Maintenance: the functional round, only less often (K2; the plan sets how often).
- Daily life: a practice of the squeeze before a cough (E6), on its own, whenever the person likes.
- Circulation: only soft circulation squeezes, on the post-birth or post-surgery path (S2, E7).
- Relaxation: only relaxation, on the pain path (S1, W5, E8): never a strength exercise.
"""

from __future__ import annotations

from enum import StrEnum

from knipa.program.exercises import (
    CIRCULATION,
    DAILY_LIFE,
    ENDURANCE,
    FIND_THE_MUSCLES,
    FUNCTIONAL,
    RELAXATION,
    SPEED,
    STRENGTH,
    Exercise,
    ExerciseError,
    Position,
    standing,
)
from knipa.program.safety import TrainingPath


class Stage(StrEnum):
    LEARNING = "learning"
    TRAINING = "training"
    STANDING = "standing"
    FUNCTIONAL = "functional"
    MAINTENANCE = "maintenance"  # K2
    CIRCULATION = "circulation"  # side path (S2)
    RELAXATION = "relaxation"  # side path (S1, W5)
    DAILY_LIFE = "daily_life"  # a practice outside the plan's rounds (E6)


# The main path, in order (the plan moves people along it); the two side paths wait beside it.
MAIN_PATH = (Stage.LEARNING, Stage.TRAINING, Stage.STANDING, Stage.FUNCTIONAL, Stage.MAINTENANCE)

# Practice rounds (E6: the squeeze before a cough, done whenever the person likes) are extra: they
# are not the plan's rounds, so they count nowhere a round is counted: not today's or this week's
# rounds, not adherence (the seek-care advice), not the progress charts or the visit summary, and
# not the plan's evidence (which is the current stage's rounds only). Pain in one still counts (S1):
# that is a report about the person, not a round done.
PRACTICE_STAGES = frozenset({Stage.DAILY_LIFE})


def counts_as_training(stage: Stage | str) -> bool:
    """Whether a round of this stage counts as one of the plan's rounds (not a practice, E6)."""
    return stage not in PRACTICE_STAGES


def stage_for_path(path: TrainingPath) -> Stage:
    """The stage a safety path starts in (the plan moves people on from there)."""
    return {
        TrainingPath.LEARNING: Stage.LEARNING,
        TrainingPath.CIRCULATION: Stage.CIRCULATION,
        TrainingPath.RELAXATION: Stage.RELAXATION,
    }[path]


def compose_round(stage: Stage, overrides: dict[str, Exercise] | None = None, strength_sets: int = 1) -> list[Exercise]:
    """The exercises of one round in the order they are done.

    `overrides` replaces an exercise's parameters by spec id (a person's own hold time, say);
    it cannot change which exercises a stage has or their order. `strength_sets` repeats the
    strength squeezes, for training to real fatigue on fewer days (E1).
    """
    overrides = overrides or {}

    def pick(exercise: Exercise) -> Exercise:
        chosen = overrides.get(exercise.spec_id, exercise)
        if chosen.kind is not exercise.kind:
            raise ExerciseError(f"an override for {exercise.spec_id} must be the same kind of exercise")
        return chosen

    if stage is Stage.LEARNING:
        return [pick(FIND_THE_MUSCLES)]
    if stage is Stage.DAILY_LIFE:
        return [pick(DAILY_LIFE)]
    strength_and_speed = [pick(STRENGTH)] * strength_sets + [pick(SPEED)]
    endurance = pick(ENDURANCE)
    if stage is Stage.TRAINING:
        return [*strength_and_speed, endurance]
    # E4: the same three, standing.
    strength_and_speed = [standing(exercise) for exercise in strength_and_speed]
    endurance = standing(endurance)
    if stage is Stage.STANDING:
        return [*strength_and_speed, endurance]
    if stage in (Stage.FUNCTIONAL, Stage.MAINTENANCE):
        # E3: "at the end of every training round": the functional squeezes come before it.
        return [*strength_and_speed, pick(FUNCTIONAL), endurance]
    if stage is Stage.CIRCULATION:
        return [pick(CIRCULATION)]
    if stage is Stage.RELAXATION:
        return [pick(RELAXATION)]
    raise ExerciseError(f"unknown stage {stage!r}")


def positions_for(exercises: list[Exercise]) -> tuple[Position, ...]:
    """Positions in which the whole round can be done (shared by all its exercises).

    P5: every position the exercises allow is offered, not one fixed position, so that the
    person can vary it; training in several positions makes the squeeze easier to use in daily life.
    """
    allowed = set(exercises[0].positions)
    for exercise in exercises[1:]:
        allowed &= set(exercise.positions)
    return tuple(position for position in Position if position in allowed)
