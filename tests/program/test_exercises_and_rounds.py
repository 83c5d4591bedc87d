"""Exercises as data and how rounds are composed (spec E0-E8, T4, P1-P4, S1, S2)."""

import pytest

from knipa.program.exercises import (
    ALL_EXERCISES,
    CIRCULATION,
    ENDURANCE,
    FIND_THE_MUSCLES,
    FUNCTIONAL,
    RELAXATION,
    SPEED,
    STRENGTH,
    ExerciseError,
    ExerciseKind,
    Intensity,
    Position,
    standing,
)
from knipa.program.rounds import (
    PRACTICE_STAGES,
    Stage,
    compose_round,
    counts_as_training,
    positions_for,
    stage_for_path,
)
from knipa.program.safety import TrainingPath


def test_finding_the_muscles_is_ten_calm_squeezes_in_lying_sitting_or_kneeling():  # spec E0, P1-P3
    assert FIND_THE_MUSCLES.reps == 10
    assert FIND_THE_MUSCLES.intensity is Intensity.CALM
    assert set(FIND_THE_MUSCLES.positions) == {Position.LYING, Position.SITTING, Position.ALL_FOURS}


def test_strength_holds_five_to_six_seconds_at_maximal_force_aiming_for_ten():  # spec E1
    assert 5 <= STRENGTH.squeeze_seconds <= 6
    assert STRENGTH.intensity is Intensity.MAXIMAL
    assert STRENGTH.reps == 10


def test_speed_is_two_seconds_on_two_off_ten_times_fast():  # spec E2
    assert (SPEED.squeeze_seconds, SPEED.rest_seconds, SPEED.reps) == (2, 2, 10)
    assert SPEED.intensity is Intensity.FAST


def test_endurance_is_one_open_ended_moderate_hold_aiming_for_a_minute():  # spec E3
    assert ENDURANCE.open_ended and ENDURANCE.target_seconds == 60
    assert ENDURANCE.intensity is Intensity.MODERATE
    assert ENDURANCE.reps == 1


def test_circulation_squeezes_are_soft_short_and_done_lying():  # spec E7
    assert CIRCULATION.intensity is Intensity.SOFT
    assert CIRCULATION.squeeze_seconds <= 3
    assert CIRCULATION.positions == (Position.LYING,)


def test_functional_squeezes_are_trained_standing():  # spec E5
    assert FUNCTIONAL.positions == (Position.STANDING,)


def test_relaxation_has_no_squeeze_intensity():  # spec E8
    assert RELAXATION.intensity is Intensity.RELAX


@pytest.mark.parametrize("exercise", list(ALL_EXERCISES.values()), ids=list(ALL_EXERCISES))
def test_every_exercise_rests_at_least_as_long_as_it_squeezes(exercise):  # spec T4
    assert exercise.rest_seconds >= exercise.squeeze_seconds


def test_an_exercise_with_a_rest_shorter_than_its_squeeze_is_refused():  # spec T4
    with pytest.raises(ExerciseError, match="T4"):
        STRENGTH.with_changes(squeeze_seconds=6, rest_seconds=4)


def test_an_exercise_without_repetitions_or_positions_is_refused():
    with pytest.raises(ExerciseError):
        STRENGTH.with_changes(reps=0)
    with pytest.raises(ExerciseError):
        STRENGTH.with_changes(positions=())


def test_standing_training_is_strength_speed_and_endurance_in_the_standing_position():  # spec E4, P4
    assert standing(STRENGTH).positions == (Position.STANDING,)
    with pytest.raises(ExerciseError):
        standing(CIRCULATION)


def test_a_training_round_is_strength_then_speed_then_endurance_last():  # spec E0, E3
    kinds = [exercise.kind for exercise in compose_round(Stage.TRAINING)]
    assert kinds == [ExerciseKind.STRENGTH, ExerciseKind.SPEED, ExerciseKind.ENDURANCE]


def test_a_learning_round_is_finding_the_muscles_alone():  # spec E0
    assert compose_round(Stage.LEARNING) == [FIND_THE_MUSCLES]


def test_the_post_birth_path_gets_only_circulation_squeezes():  # spec S2, E7
    assert compose_round(stage_for_path(TrainingPath.CIRCULATION)) == [CIRCULATION]


def test_the_pain_path_gets_only_relaxation_and_never_strength():  # spec S1, W5, E8
    exercises = compose_round(stage_for_path(TrainingPath.RELAXATION))
    assert exercises == [RELAXATION]
    assert all(exercise.intensity is not Intensity.MAXIMAL for exercise in exercises)


def test_standing_and_functional_rounds_keep_endurance_after_strength_and_speed():  # spec E3, E4, E5
    standing_round = compose_round(Stage.STANDING)
    assert [e.kind for e in standing_round] == [ExerciseKind.STRENGTH, ExerciseKind.SPEED, ExerciseKind.ENDURANCE]
    assert positions_for(standing_round) == (Position.STANDING,)
    functional_round = compose_round(Stage.FUNCTIONAL)
    assert [e.kind for e in functional_round] == [ExerciseKind.STRENGTH, ExerciseKind.SPEED, ExerciseKind.FUNCTIONAL,
                                                   ExerciseKind.ENDURANCE]


@pytest.mark.parametrize("strength_sets", [1, 2, 3])
@pytest.mark.parametrize("stage", list(Stage))
def test_endurance_is_the_last_squeeze_of_every_round_it_appears_in(stage, strength_sets):  # spec E3
    kinds = [exercise.kind for exercise in compose_round(stage, strength_sets=strength_sets)]
    if ExerciseKind.ENDURANCE in kinds:
        assert kinds[-1] is ExerciseKind.ENDURANCE and kinds.count(ExerciseKind.ENDURANCE) == 1
        # E3: after strength and speed (E1, E2), never before them.
        assert kinds.index(ExerciseKind.STRENGTH) < kinds.index(ExerciseKind.SPEED) < kinds.index(ExerciseKind.ENDURANCE)


def test_a_personal_hold_time_overrides_the_default_but_not_the_order():  # spec E1
    shorter = STRENGTH.with_changes(squeeze_seconds=3, rest_seconds=3, reps=6)
    round_ = compose_round(Stage.TRAINING, {"E1": shorter})
    assert round_[0] == shorter and round_[2].kind is ExerciseKind.ENDURANCE
    with pytest.raises(ExerciseError):
        compose_round(Stage.TRAINING, {"E1": SPEED})


def test_a_basic_round_can_be_done_lying_sitting_or_on_all_fours():  # spec P1-P3, P5
    assert positions_for(compose_round(Stage.TRAINING)) == (Position.LYING, Position.SITTING, Position.ALL_FOURS)


def test_the_daily_life_practice_does_not_count_as_a_round_of_the_plan():  # spec E6
    assert PRACTICE_STAGES == {Stage.DAILY_LIFE}
    assert not counts_as_training(Stage.DAILY_LIFE)
    assert not counts_as_training("daily_life")  # as stored
    for stage in Stage:
        if stage is not Stage.DAILY_LIFE:
            assert counts_as_training(stage) and counts_as_training(stage.value)
