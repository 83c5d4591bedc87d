"""A clinician's prescription in the plan (issue 16): checked by the plan's own safe bounds (T4),
kept fixed or a new starting point, and never stronger than the safety rules (S1, S2, E7, T6)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from knipa.program import plan as rules
from knipa.program.exercises import Position
from knipa.program.plan import (
    ParameterProblem,
    PrescriptionMode,
    Reason,
    RoundReport,
    Source,
    apply_prescription,
    check_prescription,
    plan_positions,
    review,
)
from knipa.program.rounds import Stage, positions_for
from knipa.program.safety import TrainingPath
from tests.program.simulation import FIRST_DAY, ZONE, Person, Simulation

PRESCRIBED = {"stage": "training", "strength_hold_seconds": 5, "strength_rest_seconds": 10, "strength_reps": 8,
              "rounds_per_day": 3, "days_per_week": 5, "positions": ["lying", "sitting"]}


def trained(weeks: int = 2) -> Simulation:
    return Simulation(Person()).run(weeks=weeks)


def full_rounds(start, stage: str, count: int, hold: int = 10) -> list[RoundReport]:
    simulation = Simulation(Person(hold_capacity=lambda day: hold))
    exercises = rules.round_exercises(replace(simulation.state, stage=Stage(stage), side_path=None))
    reports = simulation.report(30, exercises)
    return [RoundReport(started_at=start + timedelta(hours=i), stage=stage, status="finished", effort="right",
                        exercises=reports) for i in range(count)]


def test_a_prescription_within_the_bounds_has_no_problems():
    assert check_prescription(PRESCRIBED) == {}


@pytest.mark.parametrize("name, value, problem", [
    ("strength_hold_seconds", 11, ParameterProblem.TOO_HIGH),
    ("strength_hold_seconds", 1, ParameterProblem.TOO_LOW),
    ("strength_reps", 21, ParameterProblem.TOO_HIGH),
    ("rounds_per_day", 4, ParameterProblem.TOO_HIGH),
    ("days_per_week", 0, ParameterProblem.TOO_LOW),
    ("strength_rest_seconds", 4, ParameterProblem.REST_SHORTER_THAN_HOLD),  # T4: rest >= hold
    ("stage", "relaxation", ParameterProblem.NOT_A_CHOICE),  # a side path is the safety screen's to set
    ("positions", ["upside_down"], ParameterProblem.NOT_A_CHOICE),
    ("strength_reps", "8", ParameterProblem.NOT_A_CHOICE),
    ("strength_reps", True, ParameterProblem.NOT_A_CHOICE),
])
def test_a_prescription_outside_the_safe_bounds_is_refused_by_name(name, value, problem):
    values = {**PRESCRIBED, name: value}
    assert check_prescription(values) == {name: problem}
    with pytest.raises(ValueError):
        apply_prescription(trained().state, values, PrescriptionMode.FIXED, FIRST_DAY + timedelta(weeks=2))


def test_a_prescription_without_a_value_is_refused():
    values = dict(PRESCRIBED)
    del values["days_per_week"]
    assert check_prescription(values) == {"days_per_week": ParameterProblem.MISSING}


def test_accepting_a_prescription_sets_exactly_its_numbers_and_records_the_clinician_as_source():
    state = trained().state
    now = FIRST_DAY + timedelta(weeks=2)
    change = apply_prescription(state, PRESCRIBED, PrescriptionMode.STARTING_POINT, now)
    after = change.after.parameters
    assert (after.strength_hold_seconds, after.strength_rest_seconds, after.strength_reps, after.rounds_per_day,
            after.days_per_week) == (5, 10, 8, 3, 5)
    assert change.reason is Reason.PRESCRIBED and change.source is Source.CLINICIAN
    assert change.after.stage is Stage.TRAINING and change.after.since == now  # the evidence starts afresh
    assert change.after.positions == (Position.LYING, Position.SITTING)
    assert not change.after.numbers_fixed


def test_a_prescribed_stage_moves_the_plan_there_with_the_prescribed_rhythm():
    state = trained().state
    assert state.stage is Stage.TRAINING
    change = apply_prescription(state, {**PRESCRIBED, "stage": "standing", "positions": []},
                                PrescriptionMode.FIXED, FIRST_DAY + timedelta(weeks=2))
    assert change.after.stage is Stage.STANDING and change.after.stage_since == FIRST_DAY + timedelta(weeks=2)
    assert change.after.parameters.days_per_week == 5  # the prescription's, not the stage's default


def test_kept_fixed_the_numbers_do_not_grow_however_many_full_rounds():  # E1 growth stopped
    now = FIRST_DAY + timedelta(weeks=2)
    state = apply_prescription(trained().state, PRESCRIBED, PrescriptionMode.FIXED, now).after
    later, changes = review(state, full_rounds(now + timedelta(hours=1), "training", 6), now + timedelta(hours=8),
                            TrainingPath.LEARNING, ZONE)
    assert changes == [] and later.parameters == state.parameters


def test_as_a_starting_point_the_numbers_grow_from_the_prescription():  # E1
    now = FIRST_DAY + timedelta(weeks=2)
    state = apply_prescription(trained().state, PRESCRIBED, PrescriptionMode.STARTING_POINT, now).after
    later, changes = review(state, full_rounds(now + timedelta(hours=1), "training", 3), now + timedelta(hours=8),
                            TrainingPath.LEARNING, ZONE)
    assert Reason.HOLD_GREW in [c.reason for c in changes]
    assert later.parameters.strength_hold_seconds == 6


def test_pain_in_a_round_wins_over_a_fixed_prescription():  # S1, W5, E8
    now = FIRST_DAY + timedelta(weeks=2)
    state = apply_prescription(trained().state, PRESCRIBED, PrescriptionMode.FIXED, now).after
    hurt = RoundReport(started_at=now + timedelta(hours=1), stage="training", status="stopped_for_pain",
                       exercises=(rules.ExerciseReport("E1", 8, 2, 5, pain=True),))
    later, changes = review(state, [hurt], now + timedelta(hours=2), TrainingPath.LEARNING, ZONE)
    assert [c.reason for c in changes] == [Reason.PAIN_IN_ROUND]
    assert later.current_stage is Stage.RELAXATION
    # When the pain has gone, the way back eases the numbers (S1, S2) and the rules lead again.
    back, changes = review(later, [hurt], now + timedelta(days=3), TrainingPath.LEARNING, ZONE)
    assert [c.reason for c in changes] == [Reason.PAIN_GONE]
    assert back.side_path is None and back.careful and not back.numbers_fixed
    assert back.parameters.strength_hold_seconds < 5


def test_a_prescription_accepted_on_the_pain_path_waits_behind_it():  # S1
    now = FIRST_DAY + timedelta(weeks=2)
    on_pain_path = replace(trained().state, side_path=Stage.RELAXATION)
    after = apply_prescription(on_pain_path, PRESCRIBED, PrescriptionMode.FIXED, now).after
    assert after.current_stage is Stage.RELAXATION
    assert [e.spec_id for e in rules.round_exercises(after)] == ["E8"]


def test_soon_after_a_birth_circulation_squeezes_win_over_a_prescription():  # S2, E7
    now = FIRST_DAY + timedelta(weeks=2)
    state = apply_prescription(trained().state, PRESCRIBED, PrescriptionMode.FIXED, now).after
    later, changes = review(state, [], now + timedelta(hours=1), TrainingPath.CIRCULATION, ZONE)
    assert [c.reason for c in changes] == [Reason.WAIT_FOR_GO_AHEAD]
    assert later.current_stage is Stage.CIRCULATION


def test_rounds_too_hard_ease_a_fixed_prescription_and_end_it():  # T6
    now = FIRST_DAY + timedelta(weeks=2)
    state = apply_prescription(trained().state, PRESCRIBED, PrescriptionMode.FIXED, now).after
    failed = [RoundReport(started_at=now + timedelta(hours=i + 1), stage="training", status="stopped")
              for i in range(2)]
    later, changes = review(state, failed, now + timedelta(hours=4), TrainingPath.LEARNING, ZONE)
    assert [c.reason for c in changes] == [Reason.EASED_AFTER_FAILURES]
    assert later.parameters.strength_hold_seconds == 4 and not later.numbers_fixed


def test_the_person_can_let_the_plan_lead_again_after_a_fixed_prescription():
    now = FIRST_DAY + timedelta(weeks=2)
    state = apply_prescription(trained().state, PRESCRIBED, PrescriptionMode.FIXED, now).after
    assert not rules.override(state, rules.Override.RESUME, now).after.numbers_fixed


def test_the_round_offers_the_prescribed_positions_when_it_allows_them():  # P1-P5
    state = replace(trained().state, positions=(Position.SITTING,))
    exercises = rules.round_exercises(state)
    assert plan_positions(state, positions_for(exercises)) == (Position.SITTING,)
    # Standing training (E4) allows standing only: then standing, not nothing.
    standing = replace(state, stage=Stage.STANDING)
    assert plan_positions(standing, positions_for(rules.round_exercises(standing))) == (Position.STANDING,)
