"""The self-report after each exercise: which questions each one asks (spec E0, T3, T6, S1)."""

import pytest

from knipa.program.exercises import (
    ALL_EXERCISES,
    CIRCULATION,
    DAILY_LIFE,
    ENDURANCE,
    FIND_THE_MUSCLES,
    FUNCTIONAL,
    RELAXATION,
    SPEED,
    STRENGTH,
    Position,
    standing,
)
from knipa.program.questions import Question, asks_effort, questions_for
from knipa.program.rounds import Stage, compose_round, positions_for
from knipa.program.timeline import build_timeline

Q = Question


@pytest.mark.parametrize("exercise", ALL_EXERCISES.values(), ids=ALL_EXERCISES.keys())
def test_every_exercise_asks_about_pain(exercise):  # spec S1: pain stops the round
    assert Q.PAIN in questions_for(exercise)


@pytest.mark.parametrize("exercise", ALL_EXERCISES.values(), ids=ALL_EXERCISES.keys())
def test_no_exercise_asks_how_the_whole_round_felt(exercise):  # spec T6: asked once, for the round
    assert Q.EFFORT not in questions_for(exercise)


def test_finding_the_muscles_asks_whether_squeeze_and_release_were_felt_clearly_not_the_lift():  # spec E0, T3
    assert questions_for(FIND_THE_MUSCLES) == (Q.FULL_STRENGTH, Q.FELT_CLEARLY, Q.PAIN)


@pytest.mark.parametrize("exercise", [STRENGTH, SPEED, FUNCTIONAL, standing(STRENGTH), standing(SPEED)],
                         ids=["E1", "E2", "E5", "E4-strength", "E4-speed"])
def test_strength_speed_and_functional_squeezes_ask_full_strength_and_the_lift(exercise):  # spec E1, E2, E4, E5, T3
    assert questions_for(exercise) == (Q.FULL_STRENGTH, Q.FELT_LIFT, Q.PAIN)


@pytest.mark.parametrize("exercise", [ENDURANCE, standing(ENDURANCE), DAILY_LIFE, CIRCULATION],
                         ids=["E3", "E4-endurance", "E6", "E7"])
def test_endurance_the_cough_squeeze_and_soft_squeezes_do_not_ask_full_strength(exercise):  # spec E3, E6, E7, T3
    assert questions_for(exercise) == (Q.FELT_LIFT, Q.PAIN)


def test_relaxation_asks_only_about_pain():  # spec E8, S1: no squeeze, no lift to feel
    assert questions_for(RELAXATION) == (Q.PAIN,)


@pytest.mark.parametrize("stage", [Stage.LEARNING, Stage.TRAINING, Stage.STANDING, Stage.FUNCTIONAL,
                                   Stage.MAINTENANCE, Stage.CIRCULATION, Stage.DAILY_LIFE])
def test_every_squeezing_round_asks_how_it_felt(stage):  # spec T6
    assert asks_effort(compose_round(stage))


def test_a_relaxation_round_does_not_ask_how_hard_it_was():  # spec E8, T6, S1
    assert not asks_effort(compose_round(Stage.RELAXATION))
    assert not asks_effort([STRENGTH, RELAXATION])


def test_the_timeline_sends_each_exercises_questions_and_whether_the_round_asks_effort():  # spec E0, T3, T6, S1
    exercises = compose_round(Stage.TRAINING)
    data = build_timeline(exercises, Position.SITTING).as_dict()
    assert data["asks_effort"] is True
    assert [exercise["questions"] for exercise in data["exercises"]] == [
        ["full_strength", "felt_lift", "pain"],  # E1
        ["full_strength", "felt_lift", "pain"],  # E2
        ["felt_lift", "pain"],  # E3
    ]
    relaxation = compose_round(Stage.RELAXATION)
    data = build_timeline(relaxation, positions_for(relaxation)[0]).as_dict()
    assert data["asks_effort"] is False
    assert data["exercises"][0]["questions"] == ["pain"]
