"""Which exercises make up a round, in which order (spec E0-E8, S1, S2).

- Learning: finding the muscles alone (E0).
- Training: strength, then speed, then endurance last (E1, E2, E3: "done at the end of every
  training round, after E1 and E2").
- Standing: the same three, standing (E4, P4).
- Functional: a squeeze before the movement that causes symptoms (E5), after the standing three.
- Circulation: only soft circulation squeezes, on the post-birth or post-surgery path (S2, E7).
- Relaxation: only relaxation, on the pain path (S1, W5, E8): never a strength exercise.
"""

from __future__ import annotations

from enum import StrEnum

from knipa.program.exercises import (
    CIRCULATION,
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
    CIRCULATION = "circulation"
    RELAXATION = "relaxation"


def stage_for_path(path: TrainingPath) -> Stage:
    """The stage a safety path starts in (the plan issue moves people on from there)."""
    return {
        TrainingPath.LEARNING: Stage.LEARNING,
        TrainingPath.CIRCULATION: Stage.CIRCULATION,
        TrainingPath.RELAXATION: Stage.RELAXATION,
    }[path]


def compose_round(stage: Stage, overrides: dict[str, Exercise] | None = None) -> list[Exercise]:
    """The exercises of one round in the order they are done.

    `overrides` replaces an exercise's parameters by spec id (a person's own hold time, say);
    it cannot change which exercises a stage has or their order.
    """
    overrides = overrides or {}

    def pick(exercise: Exercise) -> Exercise:
        chosen = overrides.get(exercise.spec_id, exercise)
        if chosen.kind is not exercise.kind:
            raise ExerciseError(f"an override for {exercise.spec_id} must be the same kind of exercise")
        return chosen

    if stage is Stage.LEARNING:
        return [pick(FIND_THE_MUSCLES)]
    if stage is Stage.TRAINING:
        return [pick(STRENGTH), pick(SPEED), pick(ENDURANCE)]
    if stage is Stage.STANDING:
        return [standing(pick(STRENGTH)), standing(pick(SPEED)), standing(pick(ENDURANCE))]
    if stage is Stage.FUNCTIONAL:
        return [standing(pick(STRENGTH)), standing(pick(SPEED)), standing(pick(ENDURANCE)), pick(FUNCTIONAL)]
    if stage is Stage.CIRCULATION:
        return [pick(CIRCULATION)]
    if stage is Stage.RELAXATION:
        return [pick(RELAXATION)]
    raise ExerciseError(f"unknown stage {stage!r}")


def positions_for(exercises: list[Exercise]) -> tuple[Position, ...]:
    """Positions in which the whole round can be done (shared by all its exercises)."""
    allowed = set(exercises[0].positions)
    for exercise in exercises[1:]:
        allowed &= set(exercise.positions)
    return tuple(position for position in Position if position in allowed)
