"""The plan over months (spec E0-E8, K1, K2, S1, S2, T3, T6, H1): simulated people, rule by rule.

Synthetic people (tests/program/simulation.py) follow the plan day by day for up to 26 weeks; the
tests check in which week each stage is reached, what each round contains, and every step back.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from knipa.program import plan as rules
from knipa.program.exercises import Position
from knipa.program.plan import (
    CAREFUL_START,
    START,
    ExerciseReport,
    Override,
    OverrideRefused,
    Reason,
    RoundReport,
    new_plan,
    review,
    round_exercises,
)
from knipa.program.rounds import Stage, positions_for
from knipa.program.safety import TrainingPath
from tests.program.simulation import FIRST_DAY, ZONE, Person, Simulation

# --- The main path --------------------------------------------------------------------------------

def test_a_person_who_follows_the_plan_reaches_each_stage_in_the_expected_week():  # E0-E5, K1, K2
    simulation = Simulation(Person()).run(weeks=26)
    # E0: six clearly felt rounds over three days and a self-check, then strength, speed, endurance.
    assert simulation.week_reached(Stage.TRAINING) == 1
    # E4: standing opens after six weeks of basic training with the strength and endurance goals met.
    assert simulation.week_reached(Stage.STANDING) == 7
    # E5: functional training three weeks later.
    assert simulation.week_reached(Stage.FUNCTIONAL) == 10
    # K1, K2: maintenance once the goals are met, not before six months, and when the person is satisfied.
    assert simulation.week_reached(Stage.MAINTENANCE) == 25


def test_every_stage_change_on_the_main_path_names_its_rule():
    simulation = Simulation(Person()).run(weeks=26)
    reasons = simulation.reasons()
    for reason in (Reason.LEARNED, Reason.HOLD_GREW, Reason.REPS_GREW, Reason.ENDURANCE_FOLLOWED,
                   Reason.STANDING_OPENED, Reason.FUNCTIONAL_OPENED, Reason.MAINTENANCE_REACHED):
        assert reason in reasons
        assert rules.REASON_SPEC_IDS[reason], reason


def test_rounds_on_the_main_path_have_the_exercises_of_their_stage():  # E0, E3, E4, E5
    simulation = Simulation(Person()).run(weeks=26)
    for _day, stage, exercises in simulation.offered:
        ids = [exercise.spec_id for exercise in exercises]
        if stage is Stage.LEARNING:
            assert ids == ["E0"]
        elif stage is Stage.TRAINING:
            assert ids[-2:] == ["E2", "E3"] and set(ids[:-2]) == {"E1"}  # E3 last, after E1 and E2
            assert Position.STANDING not in positions_for(exercises)
        elif stage is Stage.STANDING:
            assert positions_for(exercises) == (Position.STANDING,)  # E4, P4
        else:
            assert ids[-1] == "E3" and ids[-2] == "E5"  # E3 ends every round, after the functional squeezes


def test_the_strength_hold_grows_after_three_full_rounds_then_reps_grow_towards_ten():  # E1
    simulation = Simulation(Person()).run(weeks=8)
    growth = [change for _d, change in simulation.changes if change.reason in (Reason.HOLD_GREW, Reason.REPS_GREW)]
    assert growth
    for change in growth:
        earned_by = [r for r in simulation.rounds if change.before.since <= r.started_at <= change.after.since]
        assert len(earned_by) >= rules.FULL_ROUNDS_TO_GROW  # more when waiting after an easing
        assert all(r.strength_full for r in earned_by[-rules.FULL_ROUNDS_TO_GROW:])
        before, after = change.before.parameters, change.after.parameters
        if change.reason is Reason.HOLD_GREW:
            assert after.strength_hold_seconds == before.strength_hold_seconds + 1 <= 6
            assert after.strength_rest_seconds >= after.strength_hold_seconds  # T4
        else:
            assert before.strength_hold_seconds == 6  # the hold first, then the number of squeezes
            assert after.strength_reps == before.strength_reps + 1 <= 10
    assert simulation.state.parameters.strength_hold_seconds == 6
    assert simulation.state.parameters.strength_reps == 10


def test_a_hold_grown_too_soon_eases_back_when_the_squeezes_are_no_longer_full():  # E1, T6
    simulation = Simulation(Person()).run(weeks=3)
    eased = [(day, change) for day, change in simulation.changes if change.reason is Reason.EASED_AFTER_FAILURES]
    assert eased
    for day, change in eased:
        assert change.after.parameters.strength_hold_seconds == change.before.parameters.strength_hold_seconds - 1
        # The synthetic person could not yet hold that long at full force.
        assert Person().hold_capacity(day) < change.before.parameters.strength_hold_seconds


def test_a_weaker_person_keeps_a_shorter_hold_until_they_manage_it():  # E1: start shorter if needed
    weaker = Person(hold_capacity=lambda day: 4 + day / 21)  # reaches 5 s only after three weeks
    simulation = Simulation(weaker).run(weeks=4)
    grew = [(day, change.after.parameters.strength_hold_seconds) for day, change in simulation.changes
            if change.reason is Reason.HOLD_GREW]
    tries = [hold for day, hold in grew if day < 21]
    assert len(tries) >= 2 and set(tries) == {5}  # tried 5 s now and then, and eased back each time
    # After a longer hold failed and the plan eased, it tries again no sooner than a week later.
    eased = [day for day, change in simulation.changes if change.reason is Reason.EASED_AFTER_FAILURES]
    for eased_day in eased:
        retried = [day for day, _hold in grew if day > eased_day]
        assert not retried or retried[0] - eased_day >= rules.GROWTH_PAUSE_AFTER_EASING.days
    assert simulation.state.parameters.strength_hold_seconds >= 5  # 5 s is managed from day 21


def test_the_endurance_target_follows_the_best_hold_towards_one_minute():  # E3
    simulation = Simulation(Person()).run(weeks=8)
    follows = [change for _d, change in simulation.changes if change.reason is Reason.ENDURANCE_FOLLOWED]
    for change in follows:
        before, after = change.before.parameters, change.after.parameters
        assert before.endurance_target_seconds < after.endurance_target_seconds <= 60
        assert after.endurance_target_seconds % 5 == 0
    assert simulation.state.parameters.endurance_target_seconds == 60


def test_fewer_days_but_to_fatigue_once_strong_and_sure():  # E1, E2
    simulation = Simulation(Person()).run(weeks=11)
    state = simulation.state
    assert state.stage is Stage.FUNCTIONAL
    assert 3 <= state.parameters.days_per_week <= 4
    assert state.parameters.strength_sets == 2  # train until really tired
    strength_blocks = [e for e in round_exercises(state) if e.spec_id == "E1"]
    assert len(strength_blocks) == 2


def test_maintenance_trains_one_to_three_times_a_week():  # K2
    simulation = Simulation(Person()).run(weeks=26)
    assert simulation.state.stage is Stage.MAINTENANCE
    assert 1 <= simulation.state.parameters.days_per_week <= 3


def test_maintenance_waits_until_the_person_says_they_are_satisfied():  # K2
    simulation = Simulation(Person(says_satisfied=False)).run(weeks=26)
    assert simulation.state.stage is Stage.FUNCTIONAL
    assert rules.ready_to_ask_satisfied(simulation.state, simulation.rounds,
                                        FIRST_DAY + timedelta(weeks=26), ZONE)


def test_maintenance_is_not_offered_before_six_months_even_when_every_goal_is_met():  # K1
    simulation = Simulation(Person()).run(weeks=23)
    assert simulation.state.stage is Stage.FUNCTIONAL
    assert not rules.ready_to_ask_satisfied(simulation.state, simulation.rounds,
                                            FIRST_DAY + timedelta(weeks=23), ZONE)


# --- Side paths -----------------------------------------------------------------------------------

def test_a_person_with_pain_only_ever_practises_relaxation_and_never_strength():  # S1, W5, E8
    simulation = Simulation(Person(path=lambda day: TrainingPath.RELAXATION)).run(weeks=26)
    assert simulation.offered
    for _day, stage, exercises in simulation.offered:
        assert stage is Stage.RELAXATION
        assert [exercise.spec_id for exercise in exercises] == ["E8"]
    assert simulation.state.stage is Stage.LEARNING  # the main path waits underneath


def test_pain_in_the_middle_of_training_moves_to_relaxation_at_once_and_back_eased_when_it_is_gone():  # S1, S2
    pain_weeks = range(3 * 7, 5 * 7)
    person = Person(path=lambda day: TrainingPath.RELAXATION if day in pain_weeks else TrainingPath.LEARNING)
    simulation = Simulation(person).run(weeks=6)
    during = [exercises for day, _stage, exercises in simulation.offered if day in pain_weeks]
    assert during and all([e.spec_id for e in exercises] == ["E8"] for exercises in during)
    into = next(change for day, change in simulation.changes if change.reason is Reason.PAIN_RELAXATION)
    assert into.after.current_stage is Stage.RELAXATION
    back_day, back = next((day, change) for day, change in simulation.changes if change.reason is Reason.PAIN_GONE)
    assert back_day == 5 * 7
    assert back.after.current_stage is Stage.TRAINING
    assert back.after.careful
    assert rules.eased(back.before.parameters) == back.after.parameters


def test_pain_reported_during_training_moves_to_relaxation_until_the_person_says_it_has_gone():  # S1, W5, E8
    # Weeks 3-4: squeezing hurts on days 21-23; the person says the pain has gone on day 30.
    person = Person(hurts_on=lambda day: 21 <= day <= 23, pain_gone_on=lambda day: day >= 30)
    simulation = Simulation(person).run(weeks=6)
    into_day, into = next((day, change) for day, change in simulation.changes if change.reason is Reason.PAIN_IN_ROUND)
    assert into_day == 21 and into.after.current_stage is Stage.RELAXATION
    assert "S1" in into.spec_ids
    # From the first painful round until the pain has gone, nothing asks for a squeeze.
    first_pain_round = next(i for i, (day, _s, _e) in enumerate(simulation.offered) if day == 21)
    after_pain = [(day, exercises) for day, _stage, exercises in simulation.offered[first_pain_round + 1:] if day < 30]
    assert after_pain and all([e.spec_id for e in exercises] == ["E8"] for _day, exercises in after_pain)
    back_day, back = next((day, change) for day, change in simulation.changes if change.reason is Reason.PAIN_GONE)
    assert back_day == 30 and back.after.current_stage is Stage.TRAINING and back.after.careful  # S2: eased


def test_three_rounds_stopped_for_pain_never_keep_strength_training_going():  # S1
    state = rules.new_plan(FIRST_DAY, TrainingPath.LEARNING)
    state = replace(state, stage=Stage.TRAINING, side_path=None)
    reports = []
    for day in range(3):
        started = FIRST_DAY + timedelta(days=day, hours=2)
        reports.append(RoundReport(started_at=started, stage="training", status="stopped_for_pain", exercises=(
            ExerciseReport(spec_id="E1", planned_reps=8, achieved_reps=3, squeeze_seconds=4, pain=True),)))
    # Even with answers that still say "no pain", the rounds' pain decides (S1).
    state, changes = rules.review(state, reports, FIRST_DAY + timedelta(days=3), TrainingPath.LEARNING, ZONE)
    assert [change.reason for change in changes] == [Reason.PAIN_IN_ROUND]
    assert [e.spec_id for e in round_exercises(state)] == ["E8"]


def test_a_round_stopped_for_pain_never_counts_as_evidence_for_progression():  # S1, E1, E3
    state = replace(rules.new_plan(FIRST_DAY, TrainingPath.LEARNING), stage=Stage.TRAINING, side_path=None,
                    parameters=replace(rules.START, endurance_target_seconds=20))
    full = ExerciseReport(spec_id="E1", planned_reps=8, achieved_reps=8, squeeze_seconds=4, full_strength_reps=8)
    long_hold = ExerciseReport(spec_id="E3", planned_reps=1, achieved_reps=1, squeeze_seconds=20,
                               held_seconds=55, pain=True)
    reports = [RoundReport(started_at=FIRST_DAY + timedelta(hours=day), stage="training", status="stopped_for_pain",
                           exercises=(full, long_hold)) for day in range(1, 4)]
    assert rules._evidence(state, reports) == []
    progress = rules.milestone(state, reports, FIRST_DAY + timedelta(hours=5), ZONE).progress
    assert all(item.have == 0 for item in progress if item.criterion in (
        rules.Criterion.FULL_ROUNDS_AT_TARGET, rules.Criterion.ENDURANCE_MINUTE))


def test_an_endurance_hold_past_the_target_is_what_the_plan_learns_from():  # spec E3
    # Open-ended holds: a person who holds 75 s is held back by no target; the target follows
    # towards one minute and the milestone counts the minute as reached.
    person = Person(endurance_capacity=lambda day: 75.0)
    simulation = Simulation(person).run(weeks=9)
    assert simulation.state.parameters.endurance_target_seconds == rules.TARGET_ENDURANCE_SECONDS
    held = [report.best_hold_seconds for report in simulation.rounds if report.best_hold_seconds]
    assert held and max(held) == 75.0


def test_after_childbirth_only_circulation_squeezes_until_the_go_ahead_then_a_careful_start():  # S2, E7
    go_ahead_day = 6 * 7
    person = Person(path=lambda day: TrainingPath.CIRCULATION if day < go_ahead_day else TrainingPath.LEARNING)
    simulation = Simulation(person).run(weeks=9)
    before = [exercises for day, _stage, exercises in simulation.offered if day < go_ahead_day]
    assert before and all([e.spec_id for e in exercises] == ["E7"] for exercises in before)
    go = next(change for day, change in simulation.changes if change.reason is Reason.GO_AHEAD)
    assert go.after.current_stage is Stage.LEARNING
    learned = next(change for day, change in simulation.changes if change.reason is Reason.LEARNED)
    assert learned.after.parameters.strength_hold_seconds == CAREFUL_START.strength_hold_seconds
    assert learned.after.parameters.strength_reps == CAREFUL_START.strength_reps


# --- Stepping back --------------------------------------------------------------------------------

def test_weeks_without_training_ease_the_plan():  # H1, K2
    person = Person(trains_on=lambda day: not (28 <= day < 49))
    simulation = Simulation(person).run(weeks=8)
    eased = [(day, change) for day, change in simulation.changes if change.reason is Reason.EASED_AFTER_BREAK]
    # The last round was on day 27; the first morning two whole weeks later is day 42.
    assert eased and eased[0][0] == 27 + rules.BREAK_DAYS + 1
    before, after = eased[0][1].before.parameters, eased[0][1].after.parameters
    assert (after.strength_hold_seconds, after.strength_reps) < (before.strength_hold_seconds, before.strength_reps)


def test_a_long_break_in_maintenance_goes_back_to_functional_training():  # K2
    person = Person(trains_on=lambda day: day < 26 * 7)
    simulation = Simulation(person).run(weeks=26)
    state = simulation.state
    assert state.stage is Stage.MAINTENANCE
    later = FIRST_DAY + timedelta(weeks=26, days=rules.MAINTENANCE_BREAK_DAYS + 3)
    state, changes = review(state, simulation.rounds, later, TrainingPath.LEARNING, ZONE)
    assert [c.reason for c in changes] == [Reason.STEPPED_BACK_AFTER_BREAK]
    assert state.stage is Stage.FUNCTIONAL


def test_rounds_reported_as_too_hard_ease_the_plan():  # T6
    person = Person(effort=lambda day: "too_hard" if 20 <= day < 22 else "right")
    simulation = Simulation(person).run(weeks=4)
    eased = [(day, change) for day, change in simulation.changes if change.reason is Reason.EASED_AFTER_FAILURES]
    later = [(day, change) for day, change in eased if day >= 20]
    assert later and later[0][0] == 20  # two too-hard rounds on the same day are enough
    assert later[0][1].after.parameters != later[0][1].before.parameters


def test_failures_in_standing_at_the_easiest_numbers_step_back_to_basic_training():  # T6, E4
    base = Simulation(Person()).run(weeks=8)
    state = replace(base.state, parameters=replace(base.state.parameters, strength_hold_seconds=3, strength_reps=5))
    assert state.stage is Stage.STANDING
    now = FIRST_DAY + timedelta(weeks=8, hours=2)
    failed = [RoundReport(started_at=now + timedelta(minutes=i), stage="standing", status="stopped")
              for i in range(2)]
    state, changes = review(replace(state, since=now), failed, now + timedelta(hours=1), TrainingPath.LEARNING, ZONE)
    assert [c.reason for c in changes] == [Reason.STEPPED_BACK_AFTER_FAILURES]
    assert state.stage is Stage.TRAINING


def test_three_rounds_without_feeling_the_squeeze_go_back_to_finding_the_muscles():  # T3, E0
    base = Simulation(Person()).run(weeks=2)
    now = FIRST_DAY + timedelta(weeks=2)
    unclear = [RoundReport(started_at=now + timedelta(hours=i), stage="training", status="finished", exercises=(
        ExerciseReport("E1", 8, 8, 4, full_strength_reps=8, felt_lift="no"),)) for i in range(3)]
    state, changes = review(replace(base.state, since=now), unclear, now + timedelta(hours=4), TrainingPath.LEARNING,
                            ZONE)
    assert [c.reason for c in changes] == [Reason.RELEARN_TECHNIQUE]
    assert state.stage is Stage.LEARNING


def test_one_review_applies_one_step_from_the_same_evidence():
    simulation = Simulation(Person()).run(weeks=3)
    state, changes = review(simulation.state, simulation.rounds, FIRST_DAY + timedelta(weeks=3),
                            TrainingPath.LEARNING, ZONE)
    assert changes == []  # reviewing again changes nothing


# --- The person's own choices ---------------------------------------------------------------------

def test_staying_stops_the_plan_moving_on_until_the_person_resumes():
    simulation = Simulation(Person())
    simulation.state = rules.override(simulation.state, Override.STAY, FIRST_DAY).after
    simulation.run(weeks=2)
    assert simulation.state.stage is Stage.LEARNING
    assert rules.milestone(simulation.state, simulation.rounds, FIRST_DAY + timedelta(weeks=2), ZONE).met
    change = rules.override(simulation.state, Override.RESUME, FIRST_DAY + timedelta(weeks=2))
    assert change.source is rules.Source.PERSON and not change.after.staying


def test_the_person_can_step_back_and_move_on_but_not_past_the_ends():
    state = new_plan(FIRST_DAY, TrainingPath.LEARNING)
    with pytest.raises(OverrideRefused):
        rules.override(state, Override.STEP_BACK, FIRST_DAY)
    moved = rules.override(state, Override.MOVE_ON, FIRST_DAY).after
    assert moved.stage is Stage.TRAINING and moved.parameters.strength_hold_seconds == START.strength_hold_seconds
    back = rules.override(moved, Override.STEP_BACK, FIRST_DAY).after
    assert back.stage is Stage.LEARNING


def test_a_side_path_cannot_be_left_by_an_override():  # S1, S2
    state = new_plan(FIRST_DAY, TrainingPath.RELAXATION)
    for choice in (Override.MOVE_ON, Override.STEP_BACK):
        with pytest.raises(OverrideRefused):
            rules.override(state, choice, FIRST_DAY)


@pytest.mark.parametrize(("name", "value", "problem"), [
    ("strength_hold_seconds", 11, rules.ParameterProblem.TOO_HIGH),
    ("strength_hold_seconds", 1, rules.ParameterProblem.TOO_LOW),
    ("rounds_per_day", 4, rules.ParameterProblem.TOO_HIGH),
    ("days_per_week", 0, rules.ParameterProblem.TOO_LOW),
    ("strength_rest_seconds", 4, rules.ParameterProblem.REST_SHORTER_THAN_HOLD),  # T4
])
def test_numbers_outside_the_safe_bounds_are_refused(name, value, problem):
    values = {**START.as_dict(), "strength_hold_seconds": 6, "strength_rest_seconds": 6, name: value}
    assert rules.check_parameters(values)[name] is problem
    with pytest.raises(ValueError):
        rules.set_parameters(new_plan(FIRST_DAY, TrainingPath.LEARNING), values, FIRST_DAY)


def test_a_persons_own_numbers_shape_the_round():
    state = new_plan(FIRST_DAY, TrainingPath.LEARNING)
    state = rules.override(state, Override.MOVE_ON, FIRST_DAY).after
    values = {**state.parameters.as_dict(), "strength_hold_seconds": 8, "strength_rest_seconds": 10,
              "strength_reps": 12, "endurance_target_seconds": 45}
    state = rules.set_parameters(state, values, FIRST_DAY).after
    strength, _speed, endurance = round_exercises(state)
    assert (strength.squeeze_seconds, strength.rest_seconds, strength.reps) == (8, 10, 12)
    assert endurance.target_seconds == 45


def test_the_milestone_says_exactly_what_finding_the_muscles_still_needs():  # E0, C1-C3
    state = new_plan(FIRST_DAY, TrainingPath.LEARNING)
    report = RoundReport(FIRST_DAY + timedelta(hours=1), "learning", "finished",
                         exercises=(ExerciseReport("E0", 10, 10, 3, felt_clearly="yes"),))
    goal = rules.milestone(state, [report], FIRST_DAY + timedelta(hours=2), ZONE)
    assert goal.next_stage is Stage.TRAINING
    have = {item.criterion: (item.have, item.need) for item in goal.progress}
    assert have == {rules.Criterion.CLEAR_ROUNDS: (1, 6), rules.Criterion.LEARNING_DAYS: (1, 3),
                    rules.Criterion.SELF_CHECK: (0, 1)}


def test_functional_rounds_practise_the_persons_own_movements_in_turn():  # E5
    state = replace(new_plan(FIRST_DAY, TrainingPath.LEARNING), stage=Stage.FUNCTIONAL,
                    movements=(rules.Movement.STAND_UP, rules.Movement.JUMP))
    functional = round_exercises(state)[-2]  # E3 comes last
    assert functional.spec_id == "E5" and functional.movements == ("stand_up", "jump")


@pytest.mark.parametrize("path", list(TrainingPath))
def test_without_a_stored_plan_the_rhythm_is_what_every_new_plan_starts_with(path):  # spec E0: 3 a day
    assert rules.DEFAULT_RHYTHM == (3, 7)
    assert rules.rhythm(new_plan(FIRST_DAY, path).parameters) == rules.DEFAULT_RHYTHM
